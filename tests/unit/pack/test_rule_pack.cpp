// The shipped pack as a whole: it loads, every rule is proven by a sample
// that expects it to fire, and every rule file is canonically formatted.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analyzer/pack/rule_loader.h"
#include "test_support.h"

using namespace appdiag;
namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("the built-in pack passes rules check") {
  RuleSet set = load_rules(builtin_rule_files());
  CHECK(set.rules.size() >= 16);
}

TEST_CASE("every rule is expected to fire by at least one sample, and every sample names known rules") {
  RuleSet set = load_rules(builtin_rule_files());
  std::set<std::string> fired_somewhere;
  for (const auto& dir : fs::directory_iterator(appdiag::test::source_dir() / "samples")) {
    fs::path expect = dir.path() / "expect.json";
    if (!fs::exists(expect)) continue;
    auto j = nlohmann::json::parse(read_file(expect));
    for (const auto& key : {"fires", "not_fires"})
      for (const auto& id : j.value(key, std::vector<std::string>{})) {
        INFO(expect.string() << " names " << id);
        CHECK(set.find(id) != nullptr);
      }
    for (const auto& id : j.value("fires", std::vector<std::string>{})) fired_somewhere.insert(id);
  }
  for (const Rule& rule : set.rules) {
    INFO("rule " << rule.id);
    CHECK(fired_somewhere.count(rule.id) == 1);
  }
}

TEST_CASE("rule files are canonically formatted (2-space indent, keys as written, final newline)") {
  for (const auto& entry : fs::directory_iterator(appdiag::test::source_dir() / "rules")) {
    if (entry.path().extension() != ".json") continue;
    std::string text = read_file(entry.path());
    std::string canonical = nlohmann::ordered_json::parse(text).dump(2) + "\n";
    INFO(entry.path().string() << " is not canonical; reformat with: python3 -c 'import json,sys; "
         "d=json.load(open(sys.argv[1])); open(sys.argv[1],\"w\").write(json.dumps(d, indent=2, ensure_ascii=False)+\"\\n\")' FILE");
    CHECK(text == canonical);
  }
}

TEST_CASE("README lists every rule of the pack") {
  std::string readme = read_file(appdiag::test::source_dir() / "README.md");
  RuleSet set = load_rules(builtin_rule_files());
  for (const Rule& rule : set.rules) {
    std::string row = "| `" + rule.id + "` | " + std::string(to_string(rule.severity)) + " | " + rule.title + " |";
    INFO("README has no row " << row);
    CHECK(readme.find(row) != std::string::npos);
  }
}

// The event ids and capture names the C++ reads (core/engine_reads.h) are
// checked against the pack when it is loaded whole: removing one from a copy
// of the built-in pack is a typed problem, not a silently empty report part.
namespace {

std::vector<RuleProblem> whole_pack_problems(const std::vector<RuleFile>& files) {
  try {
    load_rules(files, {}, PackScope::Whole);
  } catch (const RuleLoadError& e) {
    return e.problems();
  }
  return {};
}

// The built-in pack with `from` replaced by `to` in the events file.
std::vector<RuleFile> edited_pack(const std::string& from, const std::string& to) {
  std::vector<RuleFile> files = builtin_rule_files();
  size_t edits = 0;
  for (RuleFile& f : files)
    if (f.name.ends_with("events/events.json"))
      for (size_t at = f.text.find(from); at != std::string::npos; at = f.text.find(from, at + to.size()), ++edits)
        f.text.replace(at, from.size(), to);
  REQUIRE(edits == 1);
  return files;
}

}  // namespace

TEST_CASE("the built-in pack defines every event and capture the analyzer reads") {
  CHECK(whole_pack_problems(builtin_rule_files()).empty());
}

TEST_CASE("an event the analyzer reads, renamed in a copy of the pack, is an engine-event problem") {
  auto problems = whole_pack_problems(edited_pack("\"id\": \"gunicorn-command\"", "\"id\": \"gunicorn-cmd\""));
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].code == "engine-event");
  CHECK(problems[0].rule == "gunicorn-command");
  // A part of a pack (a DIR checked on its own) need not hold them.
  CHECK_NOTHROW(load_rules(edited_pack("\"id\": \"gunicorn-command\"", "\"id\": \"gunicorn-cmd\"")));
}

TEST_CASE("a capture the analyzer reads, renamed in a copy of the pack, is an engine-capture problem") {
  auto problems = whole_pack_problems(edited_pack("(?P<app_path>", "(?P<path>"));
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].code == "engine-capture");
  CHECK(problems[0].rule == "app-path");
  CHECK(problems[0].text().find("capture \"app_path\"") != std::string::npos);
}
