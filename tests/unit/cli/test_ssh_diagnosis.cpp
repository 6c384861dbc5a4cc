// SSH end to end below the CLI: what the SSH collector gathers from a real
// OpenSSH server (sshd_fixture.h) diagnoses with the built-in rules. Here, not
// with the collector's tests: collectors/ sees neither the pack nor the engine.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "analyzer/engine/diagnosis.h"
#include "analyzer/pack/rule_loader.h"
#include "collectors/ssh_collector.h"
#include "sshd_fixture.h"

using namespace appdiag;
using appdiag::test::Sshd;

TEST_CASE("ssh: the gathered evidence diagnoses the committed venv with the built-in rules", "[ssh]") {
  unsetenv("SSH_AUTH_SOCK");  // the key file only: no agent, no password
  unsetenv("APPDIAG_SSH_PASSWORD");
  Sshd& s = Sshd::shared();
  Evidence e = collect_ssh(s.url(), s.options());
  RuleSet rules = load_rules(builtin_rule_files());
  Diagnosis d = diagnose(rules, e, DiagnoseOptions{});
  REQUIRE(d.root_cause());
  std::vector<std::string> ids;
  for (const Finding& f : d.findings) ids.push_back(f.rule->id);
  INFO("findings: " << Catch::Detail::stringify(ids));
  CHECK(d.root_cause()->rule->id == "shipped-venv");
  CHECK(std::find(ids.begin(), ids.end(), "module-not-found") != ids.end());
  // Evidence lines point at the remote files they came from.
  for (const Finding& f : d.findings) {
    for (const EvidenceLine& line : f.evidence) {
      if (line.kind == SourceKind::App) CHECK(line.file == "/home/LogFiles/2026_11_28_lw0sdlwk0001AB_default_docker.log");
    }
  }
}
