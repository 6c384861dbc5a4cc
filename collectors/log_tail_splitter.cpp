#include "collectors/log_tail_splitter.h"

#include <map>

#include <re2/re2.h>

namespace appdiag {

namespace {

const RE2& header() {
  static const RE2 re(R"(^(/\S+\.(?:log|txt))\s+\(https?://\S+\)\s*$)");
  return re;
}

// Whether the line can be chrome at all: every chrome line starts with one
// of these letters or holds one of these two phrases. Most lines of a capture
// are the files' own and are ruled out without RE2, which cost more than
// scanning the parts did.
bool may_be_chrome(std::string_view line) {
  char first = line.empty() ? '\0' : line.front();
  return first == 'S' || first == 'E' || first == 'C' ||
         line.find("Welcome, you are now connected") != std::string_view::npos ||
         line.find("No new trace in the past") != std::string_view::npos;
}

bool is_chrome(std::string_view line) {
  if (!may_be_chrome(line)) return false;
  static const RE2 re(
      R"(Welcome, you are now connected to log-streaming service|^Starting Log Tail -n \d+ of existing logs|)"
      R"(^Ending Log Tail of existing logs|^Starting Live Log Stream|No new trace in the past \d+ min\(s\)|^Connected!\s*$)");
  return RE2::PartialMatch(line, re);
}

}  // namespace

bool is_log_tail_capture(std::string_view head) {
  static const RE2 framing(R"((?m)^Starting Log Tail -n \d+ of existing logs|^(/\S+\.(?:log|txt))\s+\(https?://\S+\)\s*$)");
  return RE2::PartialMatch(head, framing);
}

std::vector<TailPart> split_log_tail(std::string_view text) {
  std::vector<TailPart> parts;
  std::map<std::string, size_t> index;  // a file may appear again later in the stream
  // Index, not pointer: parts grows while we go.
  auto part_for = [&](const std::string& log) {
    auto [it, inserted] = index.emplace(log, parts.size());
    if (inserted) parts.push_back({log, "", {}});
    return it->second;
  };
  constexpr size_t kNone = static_cast<size_t>(-1);
  size_t current = kNone;
  uint32_t number = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    start = nl == std::string_view::npos ? text.size() : nl + 1;
    ++number;
    std::string_view bare = line;
    if (!bare.empty() && bare.back() == '\r') bare.remove_suffix(1);
    std::string file;
    if (bare.starts_with('/') && RE2::FullMatch(bare, header(), &file)) {  // the header's pattern starts with '/'
      current = part_for(file);
      continue;
    }
    if (bare.rfind("Starting Live Log Stream", 0) == 0) {
      current = part_for("live");
      continue;
    }
    if (is_chrome(bare) || current == kNone) continue;
    parts[current].text.append(line);
    parts[current].text.push_back('\n');
    parts[current].line_map.push_back(number);
  }
  return parts;
}

}  // namespace appdiag
