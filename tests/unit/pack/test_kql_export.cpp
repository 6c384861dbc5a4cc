// KQL export: string literals that decode to the exact pattern, capture group
// numbers for extract(), and what each kind of condition becomes. Parsing by
// the real Kusto language service is in tests/scripts/kql_parse_test.sh.
#include <catch2/catch.hpp>

#include "analyzer/core/error.h"
#include "analyzer/pack/kql_export.h"
#include "analyzer/pack/rule_loader.h"
#include "builtin_pack.h"
#include "test_support.h"

using namespace appdiag;

namespace {

RuleSet pack_of(const std::string& id, const std::string& when) {
  return load_rules({{"rules/" + id + ".json", R"J({"id": ")J" + id + R"J(", "title": "T", "summary": "S",
    "severity": "warning", "category": "c", "when": )J" + when + R"J(, "remediation": ["fix"]})J"}});
}

const KqlQuery& only_query(const KqlExport& e) {
  REQUIRE(e.rules.size() == 1);
  return e.rules[0];
}

}  // namespace

TEST_CASE("KQL string literals: verbatim with doubled quotes, escaped when a line break is inside") {
  CHECK(kql_string_literal(R"K(a\d+ "q" \\)K") == R"K(@"a\d+ ""q"" \\")K");
  CHECK(kql_string_literal("two\nlines\t\"x\"\\") == R"K("two\nlines\t\"x\"\\")K");
  CHECK(kql_string_literal("") == "@\"\"");
  CHECK_THROWS_AS(kql_string_literal(std::string("bell\x07")), InputError);
}

TEST_CASE("a log-only rule exports fully; extract() gets the named group's number") {
  auto e = export_kql(pack_of("cap", R"J({"log": "(a|b)(?:c)(?P<what>\\w+) at (?P<where>\\S+)", "in": ["app"]})J"), {});
  const KqlQuery& q = only_query(e);
  CHECK(q.coverage == KqlCoverage::Full);
  CHECK(q.left_out.empty());
  CHECK_THAT(q.text, Catch::Contains(R"K(Line matches regex @"(a|b)(?:c)(?P<what>\w+) at (?P<where>\S+)")K"));
  CHECK_THAT(q.text, Catch::Contains(R"K((?P<what>\w+) at (?P<where>\S+)", 2, Line))K"));
  CHECK_THAT(q.text, Catch::Contains(R"K((?P<what>\w+) at (?P<where>\S+)", 3, Line))K"));
  CHECK_THAT(q.text, Catch::Contains("RuleId = @\"cap\", Severity = @\"warning\""));
  CHECK_THAT(q.text, Catch::Contains("AppServiceConsoleLogs"));
  CHECK_THAT(e.combined, Catch::Contains("cap"));
}

TEST_CASE("listing and settings conditions are left out and named; a rule with no log condition is not exported") {
  auto partial = export_kql(pack_of("mixed", R"J({"all": [{"log": "boom"}, {"setting": "X", "equals": "1"}]})J"), {});
  const KqlQuery& p = only_query(partial);
  CHECK(p.coverage == KqlCoverage::Partial);
  REQUIRE(p.left_out.size() == 1);
  CHECK_THAT(p.text, Catch::Contains("X"));
  CHECK_THAT(p.text, Catch::Contains("Left out"));

  auto none = export_kql(pack_of("settings-only", R"J({"setting": "X", "equals": "1"})J"), {});
  CHECK(only_query(none).coverage == KqlCoverage::None);
  CHECK(only_query(none).text.empty());
}

TEST_CASE("a deploy-only log condition has no Log Analytics table") {
  auto e = export_kql(pack_of("build", R"J({"log": "Running oryx build", "in": ["deploy"]})J"), {});
  CHECK(only_query(e).coverage == KqlCoverage::None);
}

TEST_CASE("only: selects rules and rejects unknown ids") {
  const RuleSet& pack = test::builtin_pack();
  auto e = export_kql(pack, {"module-not-found", "startup-timeout"});
  REQUIRE(e.rules.size() == 2);
  CHECK(e.rules[0].rule_id == "module-not-found");
  CHECK_THROWS_WITH(export_kql(pack, {"no-such-rule"}), Catch::Contains("no-such-rule"));
}
