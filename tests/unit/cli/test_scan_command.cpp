// `appdiag scan`, the CI gate, over real log files: it stops at the first
// failing finding unless told to follow, prints findings neutralised for CI
// logs, and writes the reports at the end.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "analyzer/cli/scan_command.h"
#include "builtin_pack.h"
#include "test_support.h"

using namespace appdiag;
using appdiag::test::builtin_pack;
using appdiag::test::TempDir;
using appdiag::test::write_file;

namespace {

// Three lines, each deciding a failing rule on arrival.
const char* three_failures =
    "ModuleNotFoundError: No module named 'flask'\n"
    "sqlite3.OperationalError: database is locked\n"
    "[ERROR] Connection in use: ('0.0.0.0', 8000)\n";

struct Scan {
  ScanResultSummary summary;
  std::string out;
};

Scan scan(const std::string& log, bool follow, std::optional<Severity> fail_on = Severity::Error,
          const std::vector<std::pair<const Reporter*, std::string>>& outputs = {}) {
  TempDir tmp;
  std::string path = (tmp.path / "app.log").string();
  write_file(path, log);
  AnalysisOptions options;
  options.inputs = {path};
  options.report.fail_on = fail_on;
  Analysis analysis(builtin_pack(), options);
  std::ostringstream out;
  Scan s;
  s.summary = run_scan(analysis, follow, outputs, out);
  s.out = out.str();
  return s;
}

size_t count_of(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("scan: the gate stops at the first failing finding and prints nothing after it") {
  Scan s = scan(three_failures, false);
  INFO(s.out);
  CHECK(s.summary.failed);
  CHECK(s.summary.reported == 1);
  CHECK(s.out.rfind("error module-not-found: ", 0) == 0);
  CHECK(count_of(s.out, "\nerror ") == 0);
  CHECK(s.out.find("sqlite") == std::string::npos);
}

TEST_CASE("scan: with follow it reads to the end and reports every finding") {
  Scan s = scan(three_failures, true);
  INFO(s.out);
  CHECK(s.summary.failed);
  CHECK(s.summary.lines == 3);
  CHECK(s.summary.reported >= 3);
  CHECK(s.out.rfind("error module-not-found: ", 0) == 0);
  CHECK(count_of("\n" + s.out, "\nerror ") >= 3);
  CHECK(s.out.find("sqlite3.OperationalError") != std::string::npos);
}

TEST_CASE("scan: with fail-on never nothing fails, so nothing stops the scan") {
  Scan s = scan(three_failures, false, std::nullopt);
  INFO(s.out);
  CHECK_FALSE(s.summary.failed);
  CHECK(s.summary.lines == 3);
  CHECK(count_of("\n" + s.out, "\nerror ") >= 3);
}

TEST_CASE("scan: a healthy log passes the gate and prints no finding") {
  Scan s = scan("2024-03-15T10:21:47Z Booting worker with pid: 80\n2024-03-15T10:21:48Z GET / 200\n", false);
  CHECK_FALSE(s.summary.failed);
  CHECK(s.summary.reported == 0);
  CHECK(s.summary.lines == 2);
  CHECK(s.out.empty());
}

TEST_CASE("scan: the reports asked for are written at the end, stopped scan included") {
  TempDir tmp;
  std::string json = (tmp.path / "scan.json").string();
  Scan s = scan(three_failures, false, Severity::Error, {{find_reporter("json"), json}});
  CHECK(s.summary.failed);
  std::ifstream in(json);
  REQUIRE(in);
  nlohmann::json report = nlohmann::json::parse(in);
  REQUIRE(report["findings"].size() == 1);  // a stopped scan reports only what it decided
  CHECK(report["findings"][0]["id"] == "module-not-found");
}

TEST_CASE("scan: a printed line cannot issue a CI command") {
  Scan s = scan("ModuleNotFoundError: No module named '##vso[task.setvariable variable=x]1'\n", true);
  INFO(s.out);
  CHECK(s.summary.failed);
  CHECK(s.out.find("##vso[") == std::string::npos);
  CHECK(s.out.find("\\x23#vso[") != std::string::npos);
}

TEST_CASE("scan: Azure Pipelines commands anywhere and GitHub commands at a line's start are escaped") {
  CHECK(neutralise_ci_commands("a ##vso[task.complete] b ##vso[x]") == "a \\x23#vso[task.complete] b \\x23#vso[x]");
  CHECK(neutralise_ci_commands("  ::error file=a::x") == "  \\x3a:error file=a::x");
  CHECK(neutralise_ci_commands("a ::error::x") == "a ::error::x");  // not at the start: not a command
  CHECK(neutralise_ci_commands("plain text") == "plain text");
}
