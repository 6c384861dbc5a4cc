// Strict rule loading: one test per kind of problem, and the pack itself.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "analyzer/pack/rule_loader.h"

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
    std::vector<std::string> out;
    for (const RuleProblem& p : e.problems()) out.push_back(p.text());
    return out;
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
  CHECK(problems[0] == "rules/x.json:9:3: x: unknown key \"severty\" [unknown-key]");
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

TEST_CASE("the built-in pack loads") {  // (its pattern sets compile: engine/test_rule_scan.cpp)
  RuleSet set = load_rules(builtin_rule_files());
  CHECK_FALSE(set.rules.empty());
  CHECK_FALSE(set.events.empty());
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

TEST_CASE("an event's error role is one of line, traceback, exception, traceback-end") {
  auto with_role = [](const std::string& role) {
    return std::vector<RuleFile>{{"rules/events/e.json",
        R"J({"events": [{"id": "e", "label": "e", "phase": "fail", "error": ")J" + role + R"J(", "pattern": "x"}]})J"}};
  };
  CHECK(load_rules(with_role("traceback")).events.at(0).error == "traceback");
  CHECK(any_contains(problems_of(with_role("fatal")), "\"error\" must be line, traceback, exception or traceback-end"));
}

TEST_CASE("starts_attempt must be a boolean: a located problem, not a JSON type error") {
  auto problems = problems_of({{"rules/events/e.json", R"J({"events": [
  {"id": "s", "label": "s", "phase": "start", "pattern": "START",
   "starts_attempt": "yes"}]}
)J"}});
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] == "rules/events/e.json:3:4: s: \"starts_attempt\" must be true or false, got \"yes\" [wrong-type]");
}

TEST_CASE("within without after is rejected") {
  auto problems = problems_of({{"rules/events/e.json", R"J({"events": [
  {"id": "s", "label": "s", "phase": "start", "pattern": "START", "within": 5}]}
)J"}});
  CHECK(any_contains(problems, "rules/events/e.json:2:67: s: \"within\" needs \"after\""));
}

TEST_CASE("only a folder named events holds events: DIR/myevents holds rules") {
  // Read as an events file, this rule would be "an events file holds {"events": [...]}".
  RuleSet set = load_rules({{"custom/myevents/x.json", rule_json("x")}});
  REQUIRE(set.rules.size() == 1);
  CHECK(set.events.empty());
}

TEST_CASE("empty patterns are rejected with file and rule id") {
  for (const char* when : {R"J({"log": ""})J", R"J({"path": ""})J", R"J({"content": "app.py", "matches": ""})J",
                                  R"J({"setting": "X", "matches": ""})J", R"J({"file": ""})J"}) {
    INFO(when);
    auto problems = problems_of({{"rules/x.json", rule_json("x", "", when)}});
    CHECK(any_contains(problems, "rules/x.json:"));
    CHECK(any_contains(problems, ": x: "));
    CHECK(any_contains(problems, "empty"));
  }
  auto events = problems_of({{"rules/events/e.json", R"J({"events": [{"id": "s", "label": "s", "phase": "start", "pattern": ""}]})J"}});
  CHECK(any_contains(events, "non-empty pattern"));
}

TEST_CASE("deeply nested conditions are one problem, not a stack overflow") {
  std::string when;
  for (int i = 0; i < 30000; ++i) when += R"J({"all": [)J";
  when += R"J({"log": "x"})J";
  for (int i = 0; i < 30000; ++i) when += "]}";
  auto problems = problems_of({{"rules/x.json", rule_json("x", "", when)}});
  CHECK(any_contains(problems, "nested more than 32 deep"));
}

TEST_CASE("reference URLs are http or https only") {
  auto problems = problems_of({{"rules/x.json", rule_json("x", R"J(,
  "references": [{"title": "t", "url": "javascript:alert(1)"}])J")}});
  CHECK(any_contains(problems, "must start with https:// or http://"));
  CHECK(load_rules({{"rules/x.json", rule_json("x", R"J(,
  "references": [{"title": "t", "url": "https://learn.microsoft.com/"}])J")}}).rules[0].references.size() == 1);
}

namespace {

const std::string kLookup = R"J(,
  "lookup": {"pkg": {"table": "pkgs", "from": "what"}})J";
const RuleFile kPkgs = {"rules/data/pkgs.json", R"J({"about": "a", "entries": {"a": "dist-a"}})J"};

std::string with_steps(const std::string& steps) {
  std::string r = rule_json("x", kLookup);
  size_t at = r.find(R"J("remediation": ["fix ${what}"])J");
  return r.replace(at, std::string(R"J("remediation": ["fix ${what}"])J").size(), "\"remediation\": " + steps);
}

}  // namespace

TEST_CASE("a rule's lookup reads a table of rules/data/ and its steps offer an alternative without it") {
  RuleSet set = load_rules({{"rules/x.json", with_steps(R"J([["use ${pkg}", "find ${what}"], "then ${what}"])J")}, kPkgs});
  REQUIRE(set.tables.count("pkgs"));
  CHECK(*set.tables.at("pkgs").find("a.sub") == "dist-a");
  CHECK(set.tables.at("pkgs").find("b") == nullptr);
  REQUIRE(set.rules[0].remediation.size() == 2);
  CHECK(set.rules[0].remediation[0] == std::vector<std::string>{"use ${pkg}", "find ${what}"});
}

TEST_CASE("lookups and their alternatives are checked") {
  CHECK(any_contains(problems_of({{"rules/x.json", with_steps(R"J([["use ${pkg}", "find ${what}"]])J")}}),
                     "lookup \"pkg\" names unknown table \"pkgs\""));
  CHECK(any_contains(problems_of({{"rules/x.json", with_steps(R"J(["use ${pkg}"])J")}, kPkgs}),
                     "the last alternative of a step uses a looked-up capture"));
  CHECK(any_contains(problems_of({{"rules/x.json", with_steps(R"J([["find ${what}", "other"]])J")}, kPkgs}),
                     "an alternative before the last uses no looked-up capture"));
  CHECK(any_contains(problems_of({{"rules/x.json", with_steps(R"J([[]])J")}, kPkgs}),
                     "a remediation step is a string or a list of alternative strings"));
  CHECK(any_contains(problems_of({{"rules/x.json", rule_json("x", R"J(,
  "lookup": {"pkg": {"table": "pkgs", "from": "nope"}})J")}, kPkgs}),
                     "lookup \"pkg\" reads capture \"nope\""));
  CHECK(any_contains(problems_of({{"rules/x.json", rule_json("x", R"J(,
  "lookup": {"pkg": {"table": "pkgs"}})J")}, kPkgs}),
                     "lookup \"pkg\" must be {\"table\""));
}

TEST_CASE("a data file maps keys to non-empty strings and its id is unique") {
  CHECK(any_contains(problems_of({{"rules/data/t.json", R"J({"entries": {"a": ["x"]}})J"}}),
                     "rules/data/t.json:1:14: entry \"a\" must be a non-empty string"));
  CHECK(any_contains(problems_of({{"rules/data/t.json", R"J({"entries": {}, "extra": 1})J"}}),
                     "unknown key \"extra\""));
  CHECK(any_contains(problems_of({{"rules/data/t.json", R"J({"entries": []})J"}}), "a data file holds"));
  CHECK(any_contains(problems_of({{"rules/data/t.json", R"J({"entries": {}})J"}, {"more/data/t.json", R"J({"entries": {}})J"}}),
                     "duplicate table \"t\" (also in rules/data/t.json)"));
}

TEST_CASE("a problem is located at the offending key of that rule, not the first key of that name") {
  // The first "in" is fine; the second is wrong and two lines further down.
  auto problems = problems_of({{"rules/x.json", rule_json("x", "", R"J({"all": [
    {"log": "(?P<what>a)", "in": ["app"]},
    {"log": "b", "in": ["app", "listing"],
     "bogus": 1}
  ]})J")}});
  REQUIRE(problems.size() == 2);
  CHECK(problems[0] == "rules/x.json:10:6: x: unknown key \"bogus\" in condition [unknown-key]");
  CHECK(problems[1] == "rules/x.json:9:32: x: \"in\" takes deploy, platform or app, not \"listing\" [bad-value]");
}

TEST_CASE("problems carry stable codes") {
  auto code_of = [](const std::vector<RuleFile>& files) {
    try {
      load_rules(files);
    } catch (const RuleLoadError& e) {
      return e.problems().at(0).code;
    }
    return std::string("none");
  };
  CHECK(code_of({{"rules/x.json", "{ nope"}}) == "json-syntax");
  CHECK(code_of({{"rules/x.json", rule_json("x", ",\n  \"bogus\": 1")}}) == "unknown-key");
  CHECK(code_of({{"rules/x.json", rule_json("x", ",\n  \"note\": 1")}}) == "wrong-type");
  CHECK(code_of({{"rules/x.json", rule_json("x", "", R"J({"log": "("})J")}}) == "bad-regex");
  CHECK(code_of({{"rules/x.json", rule_json("x", ",\n  \"explains\": [\"nope\"]")}}) == "unknown-rule");
  CHECK(code_of({{"rules/x.json", rule_json("x", ",\n  \"title\": \"again\"")}}) == "duplicate-key");
}

TEST_CASE("a key given twice in one object is a problem at the second one") {
  auto problems = problems_of({{"rules/x.json", rule_json("x", ",\n  \"title\": \"again\"")}});
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] == "rules/x.json:9:3: key /title appears twice; only the last is read [duplicate-key]");
}

TEST_CASE("locations follow escapes and multi-byte text in keys and values") {
  // "\u00e9" and the escaped quote must not shift what comes after them.
  auto problems = problems_of({{"rules/x.json", rule_json("x", ",\n  \"note\": \"caf\\u00e9 \\\" \u20ac\", \"b\\u00e9\": 1")}});
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].starts_with("rules/x.json:9:"));
  CHECK(any_contains(problems, "unknown key \"b\u00e9\" [unknown-key]"));
}

TEST_CASE("a pack of more files than one batch loads whole, its problems in file order") {
  std::vector<RuleFile> files;
  for (int i = 0; i < 600; ++i) {
    std::string id = "r" + std::to_string(1000 + i);
    // Every 150th file holds a syntax error, every 150th (offset) a bad regex.
    if (i % 150 == 7) files.push_back({"rules/" + id + ".json", "{\n  \"id\": oops\n}\n"});
    else if (i % 150 == 70) files.push_back({"rules/" + id + ".json", rule_json(id, "", R"J({"log": "(unclosed"})J")});
    else files.push_back({"rules/" + id + ".json", rule_json(id, "", R"J({"log": "boom )J" + id + R"J( (?P<what>\\w+)"})J")});
  }
  auto problems = problems_of(files);
  INFO(Catch::Detail::stringify(problems));
  // A syntax error is one problem; a bad regex two (and the capture it would have defined is unknown).
  std::vector<std::string> expected_files = {"r1007", "r1070", "r1070", "r1157", "r1220", "r1220",
                                             "r1307", "r1370", "r1370", "r1457", "r1520", "r1520"};
  REQUIRE(problems.size() == expected_files.size());
  for (size_t i = 0; i < problems.size(); ++i) CHECK(problems[i].rfind("rules/" + expected_files[i] + ".json:", 0) == 0);

  std::vector<RuleFile> good;
  for (const RuleFile& f : files)
    if (f.text.find("oops") == std::string::npos && f.text.find("(unclosed") == std::string::npos) good.push_back(f);
  RuleSet set = load_rules(good);
  REQUIRE(set.rules.size() == good.size());
  REQUIRE(set.patterns.size() == good.size());
  for (size_t i = 0; i < good.size(); ++i) {
    CHECK(set.rules[i].id + ".json" == good[i].name.substr(6));
    REQUIRE(set.patterns[i].compiled);
    CHECK(set.patterns[i].compiled->pattern() == set.patterns[i].regex);
    CHECK(RE2::PartialMatch("boom " + set.rules[i].id + " x", *set.patterns[i].compiled));
  }
}
