// HTML: log text is always escaped, the matched part is marked, and the page
// can load nothing (CSP, no script).
#include <catch2/catch.hpp>

#include "analyzer/report/html_escape.h"
#include "tests/unit/report_fixture.h"

using namespace appdiag;
using namespace appdiag::test;

TEST_CASE("escape_markup: markup characters, controls and bad UTF-8") {
  CHECK(escape_markup("<a href=\"x\">&'</a>") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  CHECK(escape_markup("bell\x07 esc\x1b[1m") == "bell\\x07 esc\\x1b[1m");
  CHECK(escape_markup("caf\xc3\xa9 \xff") == "caf\xc3\xa9 \\xff");
}

TEST_CASE("html: hostile log text is shown as text, the match is marked") {
  Diagnosis d = diagnose_log("docker.log", module_not_found_line("dotenv", " <script>document.title='pwned'</script>\"><img src=x onerror=alert(1)>"));
  std::string html = render("html", d);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;&quot;&gt;&lt;img src=x") != std::string::npos);
  // The pattern takes the optional timestamp in, so the mark starts there.
  CHECK(html.find("<mark>2024-03-15T10:21:47.720900317Z ModuleNotFoundError: No module named &#39;dotenv&#39;</mark> &lt;script") != std::string::npos);
  CHECK(html.find("<td class=\"loc\">docker.log:1</td>") != std::string::npos);
}

TEST_CASE("html: a CSP forbids loading anything and the root cause card leads") {
  Diagnosis d = diagnose_log("docker.log", module_not_found_line("dotenv"));
  std::string html = render("html", d);
  CHECK(html.find("content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"") != std::string::npos);
  size_t card = html.find("<section class=\"card root\" id=\"module-not-found\">");
  CHECK(card != std::string::npos);
  CHECK(card < html.find("Sources read"));
}
