// GitHub Actions workflow commands: one per finding, with the runner's
// escaping so log text cannot end a command or inject another one.
#include <catch2/catch.hpp>

#include "analyzer/core/version.h"
#include "tests/unit/report_fixture.h"

using namespace appdiag;
using namespace appdiag::test;

TEST_CASE("github: an error annotation at the evidence line") {
  Diagnosis d = diagnose_log("LogFiles/docker.log", "x\n" + module_not_found_line("dotenv"));
  std::string out = render("github", d);
  CHECK(out.rfind("::error file=LogFiles/docker.log,line=2,title=Root cause module-not-found%3A ", 0) == 0);
  CHECK(out.find("%0A1. ") != std::string::npos);  // remediation steps on their own lines
}

TEST_CASE("github: %, CR, LF in data and , : in properties are escaped") {
  Diagnosis d = diagnose_log("a,b:c%.log", module_not_found_line("dotenv", " 100% done\r::error::injected"));
  std::string out = render("github", d);
  CHECK(out.find("file=a%2Cb%3Ac%25.log,") != std::string::npos);
  // One line per annotated finding and the report notice: nothing from the log starts a command of its own.
  size_t commands = 0, annotated = 0;
  for (size_t at = 0; (at = out.find("\n::", at)) != std::string::npos; ++at) ++commands;
  for (const Finding& f : d.findings) annotated += f.explained_by.empty();
  CHECK(commands == annotated);
  CHECK(out.find("100%25 done") != std::string::npos);
  CHECK(out.find('\r') == std::string::npos);
}

TEST_CASE("github: a notice when nothing was found, then the report header") {
  Diagnosis d = diagnose_log("docker.log", "all good\n");
  ReportOptions o;
  o.app = "contoso";
  o.inputs = {"docker.log"};
  o.generated = 1700000000;
  CHECK(render("github", d, o) ==
        "::notice title=appdiag::No known failure found\n"
        "::notice title=appdiag report::App: contoso; Inputs: docker.log; Generated: 2023-11-14 22:13:20 UTC; Tool: appdiag " +
            std::string(kVersion) + "\n");
}

TEST_CASE("github: what could not be read is one warning, the notes one notice") {
  Diagnosis d = diagnose_log("docker.log", "all good\n");
  d.unreadable = {"a.gz: gzip-compressed data, not text", "b.bin: binary"};
  d.notes = {"x.txt: kind not recognised, read as an app log"};
  std::string out = render("github", d);
  CHECK(out.find("::warning title=appdiag could not read::a.gz: gzip-compressed data, not text%0Ab.bin: binary\n") !=
        std::string::npos);
  CHECK(out.find("::notice title=appdiag notes::Note: x.txt: kind not recognised, read as an app log\n") != std::string::npos);
}

TEST_CASE("github: standard input is no file of the repository") {
  Diagnosis d = diagnose_log("-", module_not_found_line("dotenv"));
  CHECK(render("github", d).rfind("::error title=Root cause module-not-found%3A ", 0) == 0);
}

TEST_CASE("github: one ::error per root cause, its symptoms in the message") {
  Diagnosis d = diagnose_log("docker.log", "[2024-03-15 10:25:40 +0000] [9] [ERROR] Exception in worker process\n" +
                                               module_not_found_line("dotenv") +
                                               "[2024-03-15 10:25:41 +0000] [8] [ERROR] Reason: Worker failed to boot.\n");
  REQUIRE(d.findings.size() >= 2);  // module-not-found explains worker-boot-failed
  std::string out = render("github", d);
  size_t errors = 0;
  for (size_t at = 0; (at = out.find("::error ", at)) != std::string::npos; ++at) ++errors;
  CHECK(errors == 1);
  CHECK(out.find("title=Root cause module-not-found") != std::string::npos);
  CHECK(out.find("Symptoms: worker-boot-failed") != std::string::npos);
  CHECK(out.find("title=worker-boot-failed") == std::string::npos);
}
