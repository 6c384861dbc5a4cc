// Markdown: evidence fenced so no log text can close the fence, prose from
// logs cannot inject HTML, and the size limit is kept and stated.
#include <catch2/catch.hpp>

#include "tests/unit/report_fixture.h"

using namespace appdiag;
using namespace appdiag::test;

TEST_CASE("markdown: root cause, remediation and fenced evidence with file:line") {
  Diagnosis d = diagnose_log("2024_docker.log", module_not_found_line("dotenv"));
  std::string md = render("markdown", d);
  CHECK(md.find("## Root cause: `module-not-found`") != std::string::npos);
  CHECK(md.find("**What to do**") != std::string::npos);
  CHECK(md.find("```text\n2024_docker.log:1  2024-03-15T10:21:47.720900317Z ModuleNotFoundError") != std::string::npos);
}

TEST_CASE("markdown: a fence is longer than any backtick run in the evidence") {
  Diagnosis d = diagnose_log("docker.log", module_not_found_line("dotenv", " ````` ``` `"));
  std::string md = render("markdown", d);
  CHECK(md.find("``````text\n") != std::string::npos);  // six: one more than the five in the line
  CHECK(md.find("\n``````\n") != std::string::npos);
}

TEST_CASE("markdown: HTML in log captures is escaped in prose") {
  Diagnosis d = diagnose_log("docker.log", module_not_found_line("<img src=x onerror=alert(1)>"));
  std::string md = render("markdown", d);
  CHECK(md.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
  // Raw markup only inside the code fence, where it is shown as text.
  size_t fence_end = md.find("\n```\n");
  REQUIRE(fence_end != std::string::npos);
  CHECK(md.find("<img", fence_end) == std::string::npos);
}

TEST_CASE("markdown: the size limit is kept and the truncation stated") {
  std::string log;
  for (int i = 0; i < 400; ++i) log += module_not_found_line("dotenv", " padding " + std::string(200, 'x'));
  log += "2024-03-15T10:25:00Z Traceback (most recent call last):\n";
  Diagnosis d = diagnose_log("docker.log", log);
  ReportOptions o;
  o.markdown_limit = 2000;
  std::string md = render("markdown", d, o);
  CHECK(md.size() < 2000);
  CHECK(md.find("Report truncated to stay under 2000 bytes") != std::string::npos);
  std::string full = render("markdown", d);
  CHECK(full.size() <= 64 * 1024);
  CHECK(full.find("truncated to stay under") == std::string::npos);
}
