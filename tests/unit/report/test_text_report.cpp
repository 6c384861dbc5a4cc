// The text report: long lines cut at a character boundary, the same headline
// findings as the other formats, untrusted text escaped.
#include <catch2/catch.hpp>

#include "analyzer/report/report_util.h"
#include "tests/unit/report_fixture.h"

using namespace appdiag;
using namespace appdiag::test;

TEST_CASE("text: a long line is cut at a UTF-8 boundary, never inside a character") {
  // "€" is three bytes; with this padding one of them straddles the 300-byte cut.
  std::string tail = " " + std::string(kLineShown - 80, 'x');
  for (int i = 0; i < 40; ++i) tail += "€";
  Diagnosis d = diagnose_log("docker.log", module_not_found_line("dotenv", tail));
  for (const char* format : {"text", "markdown"}) {
    INFO(format);
    std::string out = render(format, d);
    CHECK(out.find("€…") != std::string::npos);
    CHECK(out.find("\\xe2") == std::string::npos);
    CHECK(out.find("\\x82") == std::string::npos);
  }
}

TEST_CASE("shorten cuts templates the same way") {
  std::string text = std::string(kLineShown - 1, 'a') + "€";
  CHECK(shorten(text) == std::string(kLineShown - 1, 'a') + "…");
  CHECK(shorten("short") == "short");
}

TEST_CASE("text: the headline findings are the report model's, in its order") {
  Diagnosis d = diagnose_log("docker.log", "[2024-03-15 10:25:40 +0000] [9] [ERROR] Exception in worker process\n" +
                                               module_not_found_line("dotenv") +
                                               "[2024-03-15 10:25:41 +0000] [8] [ERROR] Reason: Worker failed to boot.\n");
  std::string out = render("text", d);
  auto model = build_report_model(d, builtin_pack(), {});
  REQUIRE_FALSE(model->causes.empty());
  CHECK(model->causes[0] == model->root);
  CHECK(out.rfind("ROOT CAUSE [error] " + model->root->finding->rule->id + ":", 0) == 0);
}
