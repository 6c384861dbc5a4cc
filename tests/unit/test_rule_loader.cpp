// Strict rule loading: one test per kind of problem, and the pack itself.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "analyzer/pack/rule_loader.h"
#include "analyzer/engine/scanner.h"

using namespace appdiag;

namespace {

std::string rule_json(const std::string& id, const std::string& extra = "",
                      const std::string& when = R"J({"log": "boom (?P<what>\\w+)"})J") {
  return R"J({
  "id": ")J" + id + R"J(",
  "title": "T",
  "summary": "S",
  "severity": "error",
  "category": "c",
  "when": )J" + when + R"J(,
  "remediation": ["fix ${what}"])J" + extra + "\n}\n";
}

std::vector<std::string> problems_of(const std::vector<RuleFile>& files) {
  try {
    load_rules(files);
  } catch (const RuleLoadError& e) {
    return e.problems();
  }
  return {};
}

bool any_contains(const std::vector<std::string>& problems, const std::string& text) {
  for (const auto& p : problems)
    if (p.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("a valid rule loads with its pattern and captures") {
  RuleSet set = load_rules({{"rules/ok.json", rule_json("ok")}});
  REQUIRE(set.rules.size() == 1);
  CHECK(set.rules[0].id == "ok");
  REQUIRE(set.patterns.size() == 1);
  CHECK(set.patterns[0].regex == "boom (?P<what>\\w+)");
  CHECK(set.patterns[0].kinds.size() == 3);
}

TEST_CASE("JSON syntax errors name file, line and column") {
  auto problems = problems_of({{"rules/bad.json", "{\n  \"id\": \"bad\",\n  \"title\": oops\n}\n"}});
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].rfind("rules/bad.json:3:", 0) == 0);
  CHECK(any_contains(problems, "syntax error"));
}

TEST_CASE("unknown keys are errors with the line of the key") {
  auto problems = problems_of({{"rules/x.json", rule_json("x", ",\n  \"severty\": \"error\"")}});
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] == "rules/x.json:9: x: unknown key \"severty\"");
}

TEST_CASE("unknown keys inside conditions are errors") {
  auto problems = problems_of({{"rules/x.json", rule_json("x", "", R"J({"log": "a", "kinds": ["app"]})J")}});
  CHECK(any_contains(problems, "unknown key \"kinds\" in condition"));
}

TEST_CASE("a bad regex is reported with RE2's message") {
  auto problems = problems_of({{"rules/x.json", rule_json("x", "", R"J({"log": "(?P<what>unclosed"})J")}});
  CHECK(any_contains(problems, "bad regex /(?P<what>unclosed/: missing )"));
}

TEST_CASE("a regex too large for bounded memory is rejected at load time") {
  auto problems = problems_of({{"rules/x.json", rule_json("x", "", R"J({"log": "(?P<what>((a{100}){100}){100})"})J")}});
  CHECK(any_contains(problems, "bad regex"));
}

TEST_CASE("duplicate ids across files are errors") {
  auto problems = problems_of({{"rules/a/dup.json", rule_json("dup")}, {"rules/b/dup.json", rule_json("dup")}});
  CHECK(any_contains(problems, "duplicate id (also in rules/a/dup.json)"));
}

TEST_CASE("explains must name existing rules and form no cycle") {
  auto unknown = problems_of({{"rules/a.json", rule_json("a", ",\n  \"explains\": [\"nope\"]")}});
  CHECK(any_contains(unknown, "explains unknown rule id \"nope\""));
  auto cycle = problems_of({{"rules/a.json", rule_json("a", ",\n  \"explains\": [\"b\"]")},
                            {"rules/b.json", rule_json("b", ",\n  \"explains\": [\"a\"]")}});
  CHECK(any_contains(cycle, "explains forms a cycle"));
}

TEST_CASE("every problem is reported at once") {
  auto problems = problems_of({{"rules/one.json", rule_json("one", ",\n  \"bogus\": 1")},
                               {"rules/two.json", "{ nope"},
                               {"rules/three.json", rule_json("three", "", R"J({"log": "("})J")}});
  CHECK(problems.size() >= 3);
  CHECK(any_contains(problems, "rules/one.json"));
  CHECK(any_contains(problems, "rules/two.json"));
  CHECK(any_contains(problems, "rules/three.json"));
}

TEST_CASE("required keys, enum values, id form and remediation captures are checked") {
  CHECK(any_contains(problems_of({{"rules/x.json", R"J({"id": "x"})J"}}), "missing required key \"when\""));
  CHECK(any_contains(problems_of({{"rules/x.json", rule_json("x", ",\n  \"confidence\": \"sure\"")}}),
                     "\"confidence\" must be one of high, medium, low"));
  CHECK(any_contains(problems_of({{"rules/Bad_Id.json", rule_json("Bad_Id")}}), "kebab-case"));
  CHECK(any_contains(problems_of({{"rules/y.json", rule_json("x")}}), "id must equal the file name"));
  CHECK(any_contains(problems_of({{"rules/x.json", rule_json("x", "", R"J({"log": "no captures"})J")}}),
                     "remediation uses ${what}"));
}

TEST_CASE("condition shapes are validated") {
  auto bad = [](const std::string& when) { return problems_of({{"rules/x.json", rule_json("x", "", when)}}); };
  CHECK(any_contains(bad(R"J({"all": []})J"), "must be a non-empty array"));
  CHECK(any_contains(bad(R"J({"log": "(?P<what>a)", "file": "x"})J"), "more than one type"));
  CHECK(any_contains(bad(R"J({"all": [{"log": "(?P<what>a)"}, {"file": "x", "at": "top"}]})J"), "\"at\" must be"));
  CHECK(any_contains(bad(R"J({"all": [{"log": "(?P<what>a)"}, {"setting": "S"}]})J"), "exactly one of absent"));
  CHECK(any_contains(bad(R"J({"all": [{"log": "(?P<what>a)", "in": ["listing"]}]})J"), "\"in\" takes deploy"));
  CHECK(any_contains(bad(R"J({"all": [{"log": "(?P<what>a)"}, {"captures_differ": ["what", "nope"]}]})J"),
                     "captures_differ names 'nope'"));
}

TEST_CASE("globs become anchored regexes") {
  CHECK(glob_to_regex("*/wsgi.py", true) == "^[^/]*/wsgi\\.py$");
  CHECK(glob_to_regex("requirements.txt", false) == "^(?:.*/)?requirements\\.txt$");
  CHECK(glob_to_regex("a/**/b?", true) == "^a/.*/b[^/]$");
}

TEST_CASE("the built-in pack loads and its pattern sets compile") {
  RuleSet set = load_rules(builtin_rule_files());
  CHECK_FALSE(set.events.empty());
  Scanner scanner(set);
  SUCCEED();
}

TEST_CASE("an event's after names a known event and comes with within") {
  auto events = [](const std::string& follower) {
    return std::vector<RuleFile>{{"rules/events/e.json", R"J({"events": [
  {"id": "begin", "label": "b", "phase": "fail", "pattern": "BEGIN"},
  )J" + follower + "]}\n"}};
  };
  auto ok = load_rules(events(R"J({"id": "f", "label": "f", "phase": "fail", "after": "begin", "within": 2, "pattern": "^x\\d"})J"));
  REQUIRE(ok.events.size() == 2);
  CHECK(ok.events[1].after == "begin");
  CHECK(ok.events[1].within == 2);
  CHECK(any_contains(problems_of(events(R"J({"id": "f", "label": "f", "phase": "fail", "after": "begin", "pattern": "x"})J")),
                     "\"after\" needs \"within\""));
  CHECK(any_contains(problems_of(events(R"J({"id": "f", "label": "f", "phase": "fail", "after": "begin", "within": 0, "pattern": "x"})J")),
                     "from 1 to 1000"));
  CHECK(any_contains(problems_of(events(R"J({"id": "f", "label": "f", "phase": "fail", "after": "nope", "within": 3, "pattern": "x"})J")),
                     "names unknown event \"nope\""));
  CHECK(any_contains(problems_of(events(R"J({"id": "f", "label": "f", "phase": "fail", "after": "f", "within": 3, "pattern": "x"})J")),
                     "names unknown event \"f\""));
}

TEST_CASE("an event with after is matched only within its lines after the anchor, on both scan paths") {
  RuleSet set = load_rules({{"rules/events/e.json", R"J({"events": [
  {"id": "begin", "label": "b", "phase": "fail", "pattern": "BEGIN"},
  {"id": "x", "label": "x", "phase": "fail", "after": "begin", "within": 2, "pattern": "^x(?P<n>\\d)"}]}
)J"}});
  Evidence ev;
  ev.sources.push_back(memory_source(SourceKind::App, "app.log", "x1\nBEGIN\nx2\ny\nx3\nBEGIN x4\nx5\n"));
  for (bool prefilter : {true, false}) {
    ScanOptions options;
    options.prefilter = prefilter;
    options.prefilter_min_bytes = 0;
    ScanResult r = Scanner(set, options).scan(ev);
    std::vector<std::pair<uint64_t, std::string>> followers;
    for (const Match& m : r.matches)
      if (m.index == 1) followers.emplace_back(m.line, m.captures.at(0).value);
    INFO("prefilter " << prefilter);
    // x1 precedes any anchor, x3 is three lines after it, x4 is on the anchor's own line.
    CHECK(followers == std::vector<std::pair<uint64_t, std::string>>{{3, "2"}, {7, "5"}});
  }
}

TEST_CASE("an event's error role is one of line, traceback, exception, traceback-end") {
  auto with_role = [](const std::string& role) {
    return std::vector<RuleFile>{{"rules/events/e.json",
        R"J({"events": [{"id": "e", "label": "e", "phase": "fail", "error": ")J" + role + R"J(", "pattern": "x"}]})J"}};
  };
  CHECK(load_rules(with_role("traceback")).events.at(0).error == "traceback");
  CHECK(any_contains(problems_of(with_role("fatal")), "\"error\" must be line, traceback, exception or traceback-end"));
}
