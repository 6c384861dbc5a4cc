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
