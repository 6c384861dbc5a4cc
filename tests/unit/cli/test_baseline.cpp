// Baseline and finding filter: known findings are matched by rule id, file
// and text whatever their line; --only/--skip; symptoms of dropped causes
// become causes; which rules the CI gate can decide on arrival.
#include <sstream>

#include <catch2/catch.hpp>

#include "analyzer/core/error.h"
#include "analyzer/engine/finding_filter.h"
#include "analyzer/cli/scan_command.h"
#include "tests/unit/report_fixture.h"

using namespace appdiag;
using namespace appdiag::test;

namespace {
std::string json_of(const Diagnosis& d) { return render("json", d); }
}  // namespace

TEST_CASE("baseline: a report's findings are known, whatever their line numbers") {
  Diagnosis before = diagnose_log("docker.log", module_not_found_line("dotenv"));
  REQUIRE(before.findings.size() == 1);
  Baseline b = Baseline::parse(json_of(before), "base.json");
  Diagnosis moved = diagnose_log("docker.log", "a new first line\n\n" + module_not_found_line("dotenv"));
  REQUIRE(moved.findings.size() == 1);
  CHECK(moved.findings[0].evidence[0].line == 3);
  CHECK(b.knows(moved.findings[0]));

  // Another text, another file: new.
  CHECK_FALSE(b.knows(diagnose_log("docker.log", module_not_found_line("flask")).findings[0]));
  CHECK_FALSE(b.knows(diagnose_log("other.log", module_not_found_line("dotenv")).findings[0]));
  // One new line among known ones makes the finding new.
  CHECK_FALSE(b.knows(diagnose_log("docker.log", module_not_found_line("dotenv") + module_not_found_line("flask")).findings[0]));
}

TEST_CASE("baseline: errors name the file and line") {
  try {
    Baseline::parse("{\n\"findings\": [\n", "base.json");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).rfind("base.json:3: ", 0) == 0);
  }
  CHECK_THROWS_WITH(Baseline::parse("{\"x\": 1}", "b.json"), Catch::Contains("b.json: not an appdiag JSON report"));
  CHECK_THROWS_WITH(Baseline::load("/nonexistent/base.json"), Catch::Contains("/nonexistent/base.json"));
}

TEST_CASE("filter: --only and --skip, with unknown ids refused") {
  const RuleSet& rules = builtin_pack();
  CHECK(parse_rule_ids("--only", "module-not-found,,worker-boot-failed", rules) ==
        std::set<std::string>{"module-not-found", "worker-boot-failed"});
  CHECK_THROWS_WITH(parse_rule_ids("--skip", "module-not-found,nope", rules), Catch::StartsWith("--skip nope: no rule"));

  std::string log = module_not_found_line("dotenv") +
                    "2024-03-15T10:21:48Z [2024-03-15 10:21:48 +0000] [73] [ERROR] Exception in worker process\n";
  Diagnosis d = diagnose_log("docker.log", log);
  REQUIRE(d.findings.size() == 3);  // module-not-found, worker-boot-failed and the generic startup-crash
  REQUIRE(d.root_cause()->rule->id == "module-not-found");
  FindingFilter skip;
  skip.skip = {"module-not-found", "startup-crash"};
  CHECK(apply_filter(skip, d) == 2);
  REQUIRE(d.findings.size() == 1);
  // The symptom of a dropped cause stands on its own.
  CHECK(d.findings[0].explained_by.empty());
  REQUIRE(d.root_cause() != nullptr);
  CHECK(d.root_cause()->rule->id == "worker-boot-failed");

  Diagnosis again = diagnose_log("docker.log", log);
  FindingFilter only;
  only.only = {"module-not-found"};
  apply_filter(only, again);
  REQUIRE(again.findings.size() == 1);
  CHECK(again.findings[0].symptoms.empty());
}

TEST_CASE("scan: only rules made of log patterns joined by all/any are decided on arrival") {
  const RuleSet& rules = builtin_pack();
  CHECK(decidable_on_arrival(rules.find("module-not-found")->when));
  size_t decidable = 0;
  for (const Rule& r : rules.rules) decidable += decidable_on_arrival(r.when);
  CHECK(decidable > 0);
  CHECK(decidable < rules.rules.size());  // some need absence, a listing or settings
  Condition none;
  none.node = NoneOf{};
  CHECK_FALSE(decidable_on_arrival(none));
}
