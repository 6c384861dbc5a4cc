// `appdiag fleet`'s writer: real sample bundles, a missing path and a corrupt
// zip analysed in parallel; one JSON line per bundle in input order, and the
// summary table by rule id.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "analyzer/cli/fleet.h"
#include "builtin_pack.h"
#include "test_support.h"

using namespace appdiag;
using appdiag::test::builtin_pack;
using appdiag::test::source_dir;
using appdiag::test::TempDir;
using appdiag::test::write_file;

namespace {

struct FleetRun {
  FleetSummary summary;
  std::vector<std::string> lines;
  std::string records;
};

FleetRun run(const std::vector<std::string>& bundles, int jobs) {
  FleetOptions options;
  options.jobs = jobs;
  std::ostringstream records, progress;
  FleetRun r;
  r.summary = run_fleet(builtin_pack(), bundles, options, records, progress);
  r.records = records.str();
  std::istringstream in(r.records);
  for (std::string line; std::getline(in, line);) r.lines.push_back(line);
  CHECK(progress.str().empty());  // no progress unless asked for
  return r;
}

}  // namespace

TEST_CASE("fleet: one record per bundle in input order; unreadable bundles are records, not failures") {
  TempDir tmp;
  std::string failing = (source_dir() / "samples/module-not-found-three-attempts").string();
  std::string healthy = (source_dir() / "samples/healthy-flask").string();
  std::string missing = (tmp.path / "no-such-bundle").string();
  std::string corrupt = (tmp.path / "corrupt.zip").string();
  write_file(corrupt, "PK\x03\x04 not really a zip");
  FleetRun r = run({failing, missing, healthy, corrupt}, 2);
  REQUIRE(r.lines.size() == 4);
  std::vector<nlohmann::json> records;
  for (const auto& line : r.lines) records.push_back(nlohmann::json::parse(line));

  CHECK(records[0]["bundle"] == failing);
  CHECK(records[0]["ok"] == true);
  CHECK(records[0]["root_cause"] == "module-not-found");
  CHECK(records[0]["root_severity"] == "error");
  CHECK(records[0]["findings"][0] == "module-not-found");  // root causes first
  CHECK(records[0]["counts"]["error"].get<int>() >= 1);

  CHECK(records[1]["bundle"] == missing);
  CHECK(records[1]["ok"] == false);
  CHECK(records[1]["error"].get<std::string>().find("no-such-bundle") != std::string::npos);
  CHECK_FALSE(records[1].contains("findings"));

  CHECK(records[2]["bundle"] == healthy);
  CHECK(records[2]["ok"] == true);
  CHECK(records[2]["root_cause"].is_null());
  CHECK(records[2]["findings"].empty());

  CHECK(records[3]["bundle"] == corrupt);
  CHECK(records[3]["ok"] == false);

  CHECK(r.summary.bundles == 4);
  CHECK(r.summary.readable == 2);
  CHECK(r.summary.with_findings == 1);
  REQUIRE(r.summary.unreadable.size() == 2);
  CHECK(r.summary.unreadable[0].rfind(missing + ": ", 0) == 0);
  CHECK(r.summary.unreadable[1].rfind(corrupt + ": ", 0) == 0);
  REQUIRE(r.summary.rules.count("module-not-found"));
  CHECK(r.summary.rules.at("module-not-found").apps == 1);
  CHECK(r.summary.rules.at("module-not-found").root_cause == 1);
  CHECK(r.summary.worst == Severity::Error);
}

TEST_CASE("fleet: the records are the same bytes whatever the number of threads") {
  std::vector<std::string> bundles;
  for (const char* name : {"module-not-found-three-attempts", "healthy-flask", "module-not-found-three-attempts",
                           "healthy-flask", "module-not-found-three-attempts"})
    bundles.push_back((source_dir() / "samples" / name).string());
  std::string one = run(bundles, 1).records;
  CHECK(run(bundles, 4).records == one);
  CHECK(run(bundles, 2).records == one);
}

TEST_CASE("fleet: a record is one line of valid JSON even when the path is not UTF-8") {
  BundleRecord r;
  r.bundle = "bad\xff\nname";
  r.root_cause = "module-not-found";
  r.root_severity = "error";
  r.fired = {"module-not-found", "startup-crash"};
  r.counts[Severity::Error] = 2;
  std::string line = to_json_line(r);
  CHECK(line.find('\n') == std::string::npos);
  nlohmann::json j = nlohmann::json::parse(line);
  CHECK(j["ok"] == true);
  CHECK(j["findings"] == nlohmann::json({"module-not-found", "startup-crash"}));
  CHECK(j["counts"] == nlohmann::json({{"error", 2}, {"warning", 0}, {"info", 0}}));
  CHECK(j["bundle"].get<std::string>().rfind("bad", 0) == 0);
}

TEST_CASE("fleet: the summary lists rules by apps hit, then the unreadable bundles, escaped") {
  FleetSummary s;
  s.bundles = 3;
  s.readable = 2;
  s.with_findings = 2;
  s.rules["startup-crash"] = RuleTally{1, 0};
  s.rules["module-not-found"] = RuleTally{2, 2};
  s.unreadable = {"/x/\x1b[31mbad.zip: not a zip"};
  std::ostringstream out;
  write_fleet_summary(s, out);
  std::string text = out.str();
  INFO(text);
  CHECK(text.rfind("fleet: 3 bundles, 2 read, 1 unreadable, 2 with findings; ", 0) == 0);
  size_t most = text.find("module-not-found"), fewer = text.find("startup-crash");
  REQUIRE(most != std::string::npos);
  REQUIRE(fewer != std::string::npos);
  CHECK(most < fewer);
  CHECK(text.find("unreadable bundles:\n  /x/") != std::string::npos);
  CHECK(text.find('\x1b') == std::string::npos);
}
