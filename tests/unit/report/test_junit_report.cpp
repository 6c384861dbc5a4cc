// JUnit: one testcase per rule; findings at or above --fail-on fail theirs,
// others show in system-out; log text cannot break the XML.
#include <catch2/catch.hpp>

#include "tests/unit/report_fixture.h"

using namespace appdiag;
using namespace appdiag::test;

namespace {
size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += what.size()) ++n;
  return n;
}
}  // namespace

TEST_CASE("junit: a testcase per rule, a failure per finding at or above --fail-on") {
  Diagnosis d = diagnose_log("docker.log", module_not_found_line("dotenv", " ]]></failure><x a=\"&"));
  std::string xml = render("junit", d);
  CHECK(count(xml, "<testcase ") == builtin_pack().rules.size());
  CHECK(count(xml, "<failure ") == 1);
  CHECK(xml.find("tests=\"" + std::to_string(builtin_pack().rules.size()) + "\" failures=\"1\"") != std::string::npos);
  CHECK(xml.find("]]&gt;&lt;/failure&gt;&lt;x a=&quot;&amp;") != std::string::npos);
  CHECK(xml.find("docker.log:1") != std::string::npos);

  ReportOptions never;
  never.fail_on = std::nullopt;
  std::string passing = render("junit", d, never);
  CHECK(count(passing, "<failure ") == 0);
  CHECK(count(passing, "<system-out>") == 1);  // still shown, not failed
}
