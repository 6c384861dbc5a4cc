// SARIF: the pack as driver rules, one result per finding pointing at its
// rule and its latest evidence line, file names as URI references.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/unit/report_fixture.h"

using namespace appdiag;
using namespace appdiag::test;
using nlohmann::json;

namespace {
const std::string kWorkerBoot = "2024-03-15T10:21:48Z [2024-03-15 10:21:48 +0000] [73] [ERROR] Exception in worker process\n";
}

TEST_CASE("sarif: rules, results and locations") {
  Diagnosis d = diagnose_log("Log Files/a#1.log", "x\n" + module_not_found_line("dotenv") + kWorkerBoot);
  REQUIRE(d.findings.size() == 3);  // module-not-found, worker-boot-failed and the generic startup-crash
  json s = json::parse(render("sarif", d));
  CHECK(s["version"] == "2.1.0");
  REQUIRE(s["runs"].size() == 1);
  const json& run = s["runs"][0];
  CHECK(run["tool"]["driver"]["rules"].size() == builtin_pack().rules.size());
  REQUIRE(run["results"].size() == 3);
  const json& root = run["results"][0];
  CHECK(root["ruleId"] == "module-not-found");
  CHECK(run["tool"]["driver"]["rules"][root["ruleIndex"].get<size_t>()]["id"] == "module-not-found");
  CHECK(root["level"] == "error");
  const json& loc = root["locations"][0]["physicalLocation"];
  CHECK(loc["artifactLocation"]["uri"] == "Log%20Files/a%231.log");
  CHECK(loc["region"]["startLine"] == 2);
  // The symptom is a related location of its cause.
  REQUIRE(root.contains("relatedLocations"));
  bool worker_boot = false;
  for (const json& rel : root["relatedLocations"])
    if (rel["message"]["text"].get<std::string>().rfind("symptom worker-boot-failed", 0) == 0) {
      worker_boot = true;
      CHECK(rel["physicalLocation"]["region"]["startLine"] == 3);
    }
  CHECK(worker_boot);
}

TEST_CASE("sarif: rule help carries the remediation, with the reference as helpUri") {
  json s = json::parse(render("sarif", diagnose_log("a.log", "nothing\n")));
  CHECK(s["runs"][0]["results"].empty());
  for (const json& r : s["runs"][0]["tool"]["driver"]["rules"]) {
    if (r["id"] != "module-not-found") continue;
    CHECK(r["help"]["text"].get<std::string>().rfind("1. Find the distribution", 0) == 0);
    CHECK(r["helpUri"].get<std::string>().rfind("https://learn.microsoft.com/", 0) == 0);
    CHECK(r["defaultConfiguration"]["level"] == "error");
    return;
  }
  FAIL("module-not-found is not among the driver rules");
}

TEST_CASE("sarif: an absolute path is a file:// URI, a rule's name is its id in PascalCase") {
  Diagnosis d = diagnose_log("/home/site/wwwroot/app log.txt", module_not_found_line("dotenv"));
  json s = json::parse(render("sarif", d));
  const json& run = s["runs"][0];
  REQUIRE_FALSE(run["results"].empty());
  // A relative reference must not begin with '/' (SARIF1004).
  CHECK(run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "file:///home/site/wwwroot/app%20log.txt");
  bool found = false;
  for (const json& rule : run["tool"]["driver"]["rules"]) {
    CHECK(rule.value("name", "") != rule["id"]);  // SARIF1001
    if (rule["id"] == "module-not-found") found = rule["name"] == "ModuleNotFound";
  }
  CHECK(found);
}
