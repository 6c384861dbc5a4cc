// `appdiag explain` and `appdiag rules show` as text: the built-in
// module-not-found rule evaluated over a real scan of an in-memory app log.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "analyzer/engine/condition_eval.h"
#include "analyzer/engine/scanner.h"
#include "analyzer/report/explain_report.h"
#include "tests/unit/report_fixture.h"

using namespace appdiag;
using appdiag::test::builtin_pack;
using appdiag::test::module_not_found_line;

namespace {

const Rule& rule(const std::string& id) {
  const Rule* r = builtin_pack().find(id);
  REQUIRE(r);
  return *r;
}

// The rule's condition tree evaluated over an app log `text`, written as explain writes it.
std::string explain(const Rule& r, const std::string& text) {
  Evidence evidence;
  evidence.sources.push_back(memory_source(SourceKind::App, "app.log", text));
  ScanResult scan = Scanner(builtin_pack()).scan(evidence);
  Facts facts(builtin_pack(), evidence, scan);
  std::ostringstream out;
  Trace trace = evaluate(r.when, facts);
  materialize(trace, evidence, true);
  write_explain(r, trace, out);
  return out.str();
}

}  // namespace

TEST_CASE("explain: a rule that fires names its matching line by file and number") {
  const Rule& r = rule("module-not-found");
  std::string text = explain(r, "starting\n" + module_not_found_line("flask"));
  INFO(text);
  CHECK(text.rfind("module-not-found: " + r.title + "\nFIRES (the condition tree is true)\n", 0) == 0);
  CHECK(text.find("[true] log line /") != std::string::npos);
  CHECK(text.find("app.log:2  ") != std::string::npos);
  CHECK(text.find("No module named 'flask'") != std::string::npos);
}

TEST_CASE("explain: a rule that does not fire says so, and shows no evidence line") {
  const Rule& r = rule("module-not-found");
  std::string text = explain(r, "2024-03-15T10:21:47Z all is well\n");
  INFO(text);
  CHECK(text.rfind("module-not-found: " + r.title + "\ndoes not fire (the condition tree is ", 0) == 0);
  CHECK(text.find("[true]") == std::string::npos);
  CHECK(text.find("app.log:") == std::string::npos);
}

TEST_CASE("explain: a matched line's terminal escapes are shown escaped, not sent to the terminal") {
  std::string text = explain(rule("module-not-found"), module_not_found_line("fl\x1b[31mask"));
  INFO(text);
  CHECK(text.find("FIRES") != std::string::npos);
  CHECK(text.find('\x1b') == std::string::npos);
}

TEST_CASE("rules show: summary, condition tree, remediation steps, references and file") {
  const Rule& r = rule("module-not-found");
  std::ostringstream out;
  write_rule(r, out);
  std::string text = out.str();
  INFO(text);
  CHECK(text.rfind("module-not-found (", 0) == 0);
  CHECK(text.find("Fires when:\n  ") != std::string::npos);
  CHECK(text.find("log line /") != std::string::npos);
  CHECK(text.find("\nFile: " + r.file + "\n") != std::string::npos);
  REQUIRE(!r.remediation.empty());
  CHECK(text.find("Remediation:\n  1. ") != std::string::npos);
  REQUIRE(!r.references.empty());
  for (const Reference& ref : r.references) CHECK(text.find("See: " + ref.title + " <" + ref.url + ">") != std::string::npos);
}
