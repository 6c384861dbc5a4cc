// Checks one sample bundle against its expect.json: the root cause, the ids
// that must and must not fire, every finding in report order ("findings") and
// each one's symptoms ("symptoms"), that a healthy sample raises nothing at
// warning or above, and that every evidence line number points at the line it quotes.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <zip.h>

#include "analyzer/engine/diagnosis.h"
#include "analyzer/core/error.h"
#include "analyzer/report/report_model.h"
#include "analyzer/pack/rule_loader.h"
#include "collectors/collect.h"

using namespace appdiag;

namespace {

int failures = 0;

void fail(const std::string& message) {
  std::cerr << "FAIL: " << message << "\n";
  ++failures;
}

std::vector<std::string> read_lines_of(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

// Kudu's deployment JSON is read as one line per entry, "<message>  [LEVEL] <time>"
// (a deployment: "Deployment <id> <status>, ..., message: <message>  [LEVEL] <time>"),
// numbered as the line of its "message" key, which holds the message as a JSON string.
bool same_json_entry(const std::string& actual, const std::string& text) {
  size_t key = actual.find("\"message\"");
  size_t open = actual.find(": \"", key);
  size_t close = actual.rfind('"');
  size_t cut = text.rfind("  [");
  if (key == std::string::npos || open == std::string::npos || close <= open + 2 || cut == std::string::npos) return false;
  std::string value = actual.substr(open + 3, close - open - 3);
  std::string shown = text.substr(0, cut);
  return value.find(shown) != std::string::npos || shown.ends_with(value);
}

void check_evidence(const std::filesystem::path& dir, const Finding& f) {
  for (const EvidenceLine& e : f.evidence) {
    std::filesystem::path file = dir / e.file;
    if (!std::filesystem::exists(file)) continue;  // e.g. gathered file content named by its site path
    auto lines = read_lines_of(file);
    if (e.line == 0 || e.line > lines.size()) {
      fail(f.rule->id + ": evidence " + e.file + ":" + std::to_string(e.line) + " is past the end");
      continue;
    }
    const std::string& actual = lines[e.line - 1];
    bool same = e.truncated ? actual.compare(0, e.text.size(), e.text) == 0 : actual == e.text;
    if (!same && e.file.ends_with(".json")) same = same_json_entry(actual, e.text);
    if (!same)
      fail(f.rule->id + ": evidence " + e.file + ":" + std::to_string(e.line) + " says \"" + e.text +
           "\" but the file has \"" + actual + "\"");
  }
}

// Zips the sample folder with libzip, as a user would zip a downloaded bundle.
std::filesystem::path zip_folder(const std::filesystem::path& dir) {
  auto zip_path = std::filesystem::temp_directory_path() / (dir.filename().string() + "-" + std::to_string(getpid()) + ".zip");
  int error = 0;
  zip_t* z = zip_open(zip_path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (!z) throw std::runtime_error("cannot create " + zip_path.string());
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::string name = std::filesystem::relative(e.path(), dir).generic_string();
    zip_source_t* src = zip_source_file(z, e.path().c_str(), 0, -1);
    if (!src || zip_file_add(z, name.c_str(), src, ZIP_FL_ENC_UTF_8) < 0) throw std::runtime_error("cannot add " + name);
  }
  if (zip_close(z) != 0) throw std::runtime_error("cannot write " + zip_path.string());
  return zip_path;
}

std::string json_report(const RuleSet& rules, const Evidence& evidence) {
  std::ostringstream out;
  Diagnosis d = diagnose(rules, evidence, {});
  write_json(*build_report_model(d, rules, {}), out);
  return out.str();
}

// `appdiag analyze x.zip` and the same bundle unpacked must give identical JSON.
std::string joined(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : ", ") + id;
  return "[" + out + "]";
}

// "findings": every finding's id in report order; "symptoms": {"cause": [ids]}
// for each finding that explains others. Both are what a reader sees first.
void check_order_and_symptoms(const nlohmann::json& expect, const Diagnosis& d) {
  std::vector<std::string> order;
  for (const Finding& f : d.findings) order.push_back(f.rule->id);
  if (expect.contains("findings")) {
    auto want = expect["findings"].get<std::vector<std::string>>();
    if (order != want) fail("findings in order are " + joined(order) + ", expected " + joined(want));
  }
  nlohmann::json want_symptoms = expect.value("symptoms", nlohmann::json::object());
  for (const Finding& f : d.findings) {
    auto want = want_symptoms.value(f.rule->id, std::vector<std::string>{});
    if (f.symptoms != want) fail("symptoms of " + f.rule->id + " are " + joined(f.symptoms) + ", expected " + joined(want));
  }
  for (const auto& [id, list] : want_symptoms.items())
    if (std::find(order.begin(), order.end(), id) == order.end()) fail("symptoms: " + id + " did not fire");
}

void check_zip_matches_folder(const std::filesystem::path& dir, const RuleSet& rules, const Evidence& from_dir) {
  auto zip_path = zip_folder(dir);
  Evidence from_zip = collect({zip_path.string()}, CollectOptions{});
  std::string zip_json = json_report(rules, from_zip), dir_json = json_report(rules, from_dir);
  std::filesystem::remove(zip_path);  // only now: zip entries are read in place, during the scan
  if (zip_json == dir_json) return;
  size_t at = 0;
  while (at < zip_json.size() && at < dir_json.size() && zip_json[at] == dir_json[at]) ++at;
  fail("the zipped bundle gives different JSON than the folder, from: " + zip_json.substr(at, 120) + " | " +
       dir_json.substr(at, 120));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: sample_check SAMPLE_DIR\n";
    return 2;
  }
  std::filesystem::path dir = argv[1];
  try {
    std::ifstream in(dir / "expect.json");
    nlohmann::json expect = nlohmann::json::parse(in);
    RuleSet rules = load_rules(builtin_rule_files());
    Evidence evidence = collect({dir.string()}, CollectOptions{});
    DiagnoseOptions options;
    options.redact = false;  // evidence is compared with the files byte for byte
    Diagnosis d = diagnose(rules, evidence, options);
    check_zip_matches_folder(dir, rules, evidence);

    std::set<std::string> fired;
    for (const Finding& f : d.findings) {
      fired.insert(f.rule->id);
      check_evidence(dir, f);
    }
    check_order_and_symptoms(expect, d);
    const Finding* root = d.root_cause();
    std::string root_id = root ? root->rule->id : "null";
    std::string want_root = expect["root_cause"].is_null() ? "null" : expect["root_cause"].get<std::string>();
    if (root_id != want_root) fail("root cause is " + root_id + ", expected " + want_root);
    for (const auto& id : expect.value("fires", std::vector<std::string>{}))
      if (!fired.count(id)) fail(id + " did not fire");
    for (const auto& id : expect.value("not_fires", std::vector<std::string>{}))
      if (fired.count(id)) fail(id + " fired but must not");
    // A healthy-now sample may hold earlier failures, but none that holds now.
    if (want_root == "null")
      for (const Finding& f : d.findings)
        if (f.rule->severity != Severity::Info && f.status == FindingStatus::Current)
          fail("healthy sample raised " + f.rule->id + " as current");
    // "status": {"rule-id": "current" | "intermittent" | "resolved"}
    nlohmann::json statuses = nlohmann::json::object();
    if (expect.contains("status")) statuses = expect["status"];
    for (const auto& [id, want] : statuses.items()) {
      auto it = std::find_if(d.findings.begin(), d.findings.end(), [&](const Finding& f) { return f.rule->id == id; });
      if (it == d.findings.end()) fail("status: " + id + " did not fire");
      else if (to_string(it->status) != want.get<std::string>())
        fail("status of " + id + " is " + std::string(to_string(it->status)) + ", expected " + want.get<std::string>());
    }
    if (expect.contains("headline") && d.state.headline.find(expect["headline"].get<std::string>()) == std::string::npos)
      fail("headline is \"" + d.state.headline + "\", expected it to contain \"" + expect["headline"].get<std::string>() + "\"");
    std::cout << dir.filename().string() << ": root cause " << root_id << "; fired:";
    for (const auto& id : fired) std::cout << " " << id;
    std::cout << "\n";
  } catch (const std::exception& e) {
    fail(e.what());
  }
  return failures ? 1 : 0;
}
