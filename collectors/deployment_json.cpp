#include "collectors/deployment_json.h"

#include <algorithm>

#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include "analyzer/core/error.h"

namespace appdiag {

using nlohmann::json;

namespace {

uint32_t line_at(std::string_view text, size_t offset) {
  return 1 + static_cast<uint32_t>(std::count(text.begin(), text.begin() + std::min(offset, text.size()), '\n'));
}

std::string text_of(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

int int_of(const json& object, const char* key, int otherwise) {
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<int>() : otherwise;
}

bool is_log_entry(const json& j) { return j.is_object() && j.contains("log_time") && j.contains("message"); }
bool is_deployment(const json& j) {
  return j.is_object() && j.contains("status") && (j.contains("deployer") || j.contains("log_url"));
}

std::string_view level(int type) { return type == 2 ? "ERROR" : type == 1 ? "WARNING" : "INFO"; }

std::string_view deploy_status(int status) {
  switch (status) {
    case 0: return "Pending";
    case 1: return "Building";
    case 2: return "Deploying";
    case 3: return "Failed";
    case 4: return "Success";
    default: return "";
  }
}

// The lines of the JSON where each "message" key sits, in document order:
// entries appear in that order, so the n-th entry's message is the n-th key.
std::vector<uint32_t> message_lines(std::string_view text) {
  static const RE2 key(R"((?:^|[^\\])("message"\s*:))");  // not an escaped quote inside a string
  std::vector<uint32_t> lines;
  re2::StringPiece rest(text.data(), text.size());
  re2::StringPiece found;
  while (RE2::FindAndConsume(&rest, key, &found)) lines.push_back(line_at(text, static_cast<size_t>(found.data() - text.data())));
  return lines;
}

class Renderer {
 public:
  Renderer(std::string_view text, DeploymentLog& out) : lines_(message_lines(text)), out_(out) {}

  void entry(const json& e) {
    int type = int_of(e, "type", 0);
    if (std::string url = text_of(e, "details_url"); !url.empty()) details_.push_back(url);
    failed_ = failed_ || type == 2;
    add(text_of(e, "log_time"), level(type), text_of(e, "message"));
  }

  // A failed log's details (Kudu keeps a step's command output there, e.g.
  // the Oryx build behind "Running oryx build..."): what to fetch.
  void finish() {
    if (failed_) out_.to_fetch.insert(out_.to_fetch.end(), details_.begin(), details_.end());
  }

  void deployment(const json& d) {
    int status = int_of(d, "status", -1);
    std::string id = text_of(d, "id");
    std::string end = text_of(d, "end_time");
    std::string time = end.empty() ? text_of(d, "start_time") : end;
    std::string_view name = deploy_status(status);
    out_.deployments.push_back({id, std::string(name), end.empty() ? text_of(d, "last_success_end_time") : end});
    if (d.value("active", false)) out_.active = id;
    if (status == 3 && !text_of(d, "log_url").empty()) out_.to_fetch.push_back(text_of(d, "log_url"));
    std::string line = "Deployment " + id + " " + (name.empty() ? "status " + std::to_string(status) : std::string(name));
    for (const char* key : {"deployer", "status_text", "message"})
      if (std::string v = text_of(d, key); !v.empty()) line += std::string(", ") + key + ": " + v;
    add(time, status == 3 ? "ERROR" : "INFO", line);
  }

 private:
  void add(const std::string& time, std::string_view lvl, const std::string& message) {
    uint32_t line = next_ < lines_.size() ? lines_[next_] : (lines_.empty() ? 1 : lines_.back());
    ++next_;
    size_t start = 0;
    do {  // a multi-line message stays on its entry's line
      size_t nl = message.find('\n', start);
      std::string part = message.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
      if (!part.empty() && part.back() == '\r') part.pop_back();
      // The message first, as the deploy log prints it, so that patterns
      // anchored at the start of an Oryx or Kudu line match it.
      out_.text += part + "  [" + std::string(lvl) + "]" + (time.empty() ? "" : " " + time) + "\n";
      out_.line_map.push_back(line);
      start = nl == std::string::npos ? std::string::npos : nl + 1;
    } while (start != std::string::npos && start < message.size());
  }

  std::vector<uint32_t> lines_;
  std::vector<std::string> details_;
  bool failed_ = false;
  size_t next_ = 0;
  DeploymentLog& out_;
};

}  // namespace

bool is_deployment_json(std::string_view head) {
  size_t first = head.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || (head[first] != '[' && head[first] != '{')) return false;
  static const RE2 entry(R"("log_time"\s*:)");
  static const RE2 deployment(R"("deployer"\s*:|"log_url"\s*:)");
  static const RE2 status(R"("status"\s*:\s*\d)");
  re2::StringPiece text(head.data(), head.size());
  return RE2::PartialMatch(text, entry) || (RE2::PartialMatch(text, deployment) && RE2::PartialMatch(text, status));
}

DeploymentLog parse_deployment_json(std::string_view text, const std::string& name) {
  json j;
  try {
    j = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    throw InputError(name + ":" + std::to_string(line_at(text, e.byte == 0 ? 0 : e.byte - 1)) +
                     ": not valid deployment JSON");
  }
  DeploymentLog log;
  Renderer render(text, log);
  const json items = j.is_array() ? j : json::array({j});
  for (const json& item : items) {
    if (is_log_entry(item)) render.entry(item);
    else if (is_deployment(item)) render.deployment(item);
  }
  render.finish();
  if (log.text.empty()) throw InputError(name + ":1: JSON with no deployment or log entry");
  return log;
}

}  // namespace appdiag
