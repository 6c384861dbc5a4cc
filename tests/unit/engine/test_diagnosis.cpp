// The engine end to end on in-memory evidence: conditions, root cause and
// symptoms, start attempts, captures in remediation, exact line numbers.
#include <catch2/catch.hpp>

#include <memory>

#include "analyzer/engine/diagnosis.h"
#include "analyzer/pack/rule_loader.h"
#include "builtin_pack.h"

using namespace appdiag;

namespace {

Source log_source(SourceKind kind, const std::string& name, const std::string& text) {
  return memory_source(kind, name, text);
}

Source listing_source(const std::string& text, std::vector<ListingEntry> entries) {
  Source s = log_source(SourceKind::Listing, "wwwroot-listing.txt", text);
  auto listing = std::make_shared<Listing>();
  listing->entries = std::move(entries);
  s.listing = listing;
  return s;
}

Source settings_source(const std::string& text, std::vector<Setting> items) {
  Source s = log_source(SourceKind::Settings, "appsettings.json", text);
  auto settings = std::make_shared<Settings>();
  settings->items = std::move(items);
  s.settings = settings;
  return s;
}

std::string rule(const std::string& id, const std::string& when, const std::string& extra = "",
                 const std::string& severity = "error") {
  // A key given twice is a load error: `extra` may bring its own remediation.
  std::string steps = extra.find("\"remediation\"") == std::string::npos ? R"J(, "remediation": ["step"])J" : "";
  return R"J({"id": ")J" + id + R"J(", "title": ")J" + id + R"J(", "summary": "s", "severity": ")J" + severity +
         R"J(", "category": "c", "when": )J" + when + steps + extra + "}";
}

RuleSet pack(std::vector<std::pair<std::string, std::string>> rules) {
  std::vector<RuleFile> files;
  for (auto& [id, text] : rules) files.push_back({"rules/" + id + ".json", text});
  files.push_back({"rules/events/events.json",
                   R"J({"events": [{"id": "start", "label": "start", "phase": "start", "in": ["platform"],
                        "pattern": "Starting container for site", "starts_attempt": true}]})J"});
  return load_rules(files);
}

const Finding* find(const Diagnosis& d, const std::string& id) {
  for (const Finding& f : d.findings)
    if (f.rule->id == id) return &f;
  return nullptr;
}

}  // namespace

TEST_CASE("a log condition fires with exact evidence and captures in remediation") {
  RuleSet rules = pack({{"mnf", R"J({"id": "mnf", "title": "t", "summary": "s", "severity": "error", "category": "c",
      "when": {"log": "ModuleNotFoundError: No module named '(?P<module>[^']+)'"},
      "remediation": ["Add ${module} to requirements.txt"]})J"}});
  Evidence ev;
  ev.sources.push_back(log_source(SourceKind::App, "app.log",
      "line one\nTraceback\nModuleNotFoundError: No module named 'flask'\nend\n"));
  Diagnosis d = diagnose(rules, ev, {});
  REQUIRE(d.findings.size() == 1);
  const Finding& f = d.findings[0];
  CHECK(f.root_cause);
  REQUIRE(f.evidence.size() == 1);
  CHECK(f.evidence[0].line == 3);
  CHECK(f.evidence[0].file == "app.log");
  CHECK(f.evidence[0].text.substr(f.evidence[0].begin, f.evidence[0].end - f.evidence[0].begin) ==
        "ModuleNotFoundError: No module named 'flask'");
  CHECK(f.remediation == std::vector<std::string>{"Add flask to requirements.txt"});
  CHECK(d.sources[0].lines == 4);
}

TEST_CASE("a capture value holding ${name} is shown as it is, not substituted again") {
  RuleSet rules = pack({{"two", R"J({"id": "two", "title": "t", "summary": "s", "severity": "error", "category": "c",
      "when": {"log": "first=(?P<a>\\S+) second=(?P<b>\\S+)"},
      "remediation": ["a is ${a}, b is ${b}"]})J"}});
  Evidence ev;
  ev.sources.push_back(log_source(SourceKind::App, "app.log", "first=${b} second=real\n"));
  Diagnosis d = diagnose(rules, ev, {});
  REQUIRE(d.findings.size() == 1);
  CHECK(d.findings[0].remediation == std::vector<std::string>{"a is ${b}, b is real"});
}

TEST_CASE("a negative log condition is unknown without a log of its kind") {
  RuleSet rules = pack({{"nobuild", rule("nobuild", R"J({"none": [{"log": "Running pip install", "in": ["deploy"]}]})J")}});
  Evidence app_only;
  app_only.sources.push_back(log_source(SourceKind::App, "app.log", "hello\n"));
  CHECK(diagnose(rules, app_only, {}).findings.empty());
  Evidence with_deploy = app_only;
  with_deploy.sources.push_back(log_source(SourceKind::Deploy, "deploy.log", "Handling Basic Web Site deployment.\n"));
  CHECK(diagnose(rules, with_deploy, {}).findings.size() == 1);
  with_deploy.sources.push_back(log_source(SourceKind::Deploy, "deploy2.log", "Running pip install...\n"));
  CHECK(diagnose(rules, with_deploy, {}).findings.empty());
}

TEST_CASE("listing and settings conditions, with evidence lines from their sources") {
  RuleSet rules = pack({{"venv", rule("venv", R"J({"all": [
      {"path": "^(?P<venv>[^/]+)/pyvenv\\.cfg$"},
      {"none": [{"file": "antenv", "dir": true}]},
      {"any": [{"setting": "SCM_DO_BUILD_DURING_DEPLOYMENT", "absent": true},
               {"setting": "SCM_DO_BUILD_DURING_DEPLOYMENT", "matches": "(?i)^(false|0)$"}]}]})J",
      R"J(, "remediation": ["Remove ${venv}/"])J")}});
  Evidence ev;
  ev.sources.push_back(listing_source("total 8\n-rw-r--r-- app.py\ndrwxr-xr-x venv\n-rw-r--r-- venv/pyvenv.cfg\n",
      {{"app.py", false, 10, 2}, {"venv", true, 0, 3}, {"venv/pyvenv.cfg", false, 70, 4}}));
  ev.sources.push_back(settings_source("[\n  {\"name\": \"SCM_DO_BUILD_DURING_DEPLOYMENT\", \"value\": \"False\"}\n]\n",
      {{"SCM_DO_BUILD_DURING_DEPLOYMENT", "False", 2}}));
  Diagnosis d = diagnose(rules, ev, {});
  REQUIRE(d.findings.size() == 1);
  const Finding& f = d.findings[0];
  CHECK(f.remediation[0] == "Remove venv/");
  REQUIRE(f.evidence.size() == 2);
  CHECK(f.evidence[0].file == "appsettings.json");
  CHECK(f.evidence[0].line == 2);
  CHECK(f.evidence[1].file == "wwwroot-listing.txt");
  CHECK(f.evidence[1].line == 4);
  CHECK(f.evidence[1].text == "-rw-r--r-- venv/pyvenv.cfg");

  ev.sources[1] = settings_source("[]\n", {{"SCM_DO_BUILD_DURING_DEPLOYMENT", "true", 1}});
  CHECK(diagnose(rules, ev, {}).findings.empty());
}

TEST_CASE("captures_differ compares captures of different conditions") {
  RuleSet rules = pack({{"mismatch", rule("mismatch", R"J({"all": [
      {"path": "^antenv/lib/python(?P<venv_py>\\d+\\.\\d+)$"},
      {"setting": "linuxFxVersion", "matches": "(?i)^python\\|(?P<runtime_py>\\d+\\.\\d+)"},
      {"captures_differ": ["venv_py", "runtime_py"]}]})J")}});
  Evidence ev;
  ev.sources.push_back(listing_source("a\nb\n", {{"antenv/lib/python3.9", true, 0, 2}}));
  ev.sources.push_back(settings_source("{}\n", {{"linuxFxVersion", "PYTHON|3.11", 1}}));
  CHECK(diagnose(rules, ev, {}).findings.size() == 1);
  ev.sources[1] = settings_source("{}\n", {{"linuxFxVersion", "PYTHON|3.9", 1}});
  CHECK(diagnose(rules, ev, {}).findings.empty());
}

TEST_CASE("a finding explained by another is a symptom under its root cause") {
  RuleSet rules = pack({
      {"timeout", rule("timeout", R"J({"log": "didn't respond to HTTP pings"})J")},
      {"boot", rule("boot", R"J({"log": "Worker failed to boot"})J", R"J(, "explains": ["timeout"])J")},
      {"mnf", rule("mnf", R"J({"log": "ModuleNotFoundError"})J", R"J(, "explains": ["boot", "timeout"])J")},
  });
  Evidence ev;
  ev.sources.push_back(log_source(SourceKind::App, "app.log", "ModuleNotFoundError: x\nReason: Worker failed to boot.\n"));
  ev.sources.push_back(log_source(SourceKind::Platform, "docker.log", "ERROR - Container c didn't respond to HTTP pings on port: 8000\n"));
  Diagnosis d = diagnose(rules, ev, {});
  REQUIRE(d.findings.size() == 3);
  CHECK(d.root_cause()->rule->id == "mnf");
  CHECK(d.findings[0].rule->id == "mnf");
  CHECK_FALSE(find(d, "boot")->root_cause);
  CHECK(find(d, "timeout")->explained_by == std::vector<std::string>{"boot", "mnf"});
  CHECK(find(d, "mnf")->symptoms.size() == 2);
}

TEST_CASE("the latest start attempt is diagnosed first; earlier attempts are counted") {
  RuleSet rules = pack({
      {"old", rule("old", R"J({"log": "OLD FAILURE"})J")},
      {"ping", rule("ping", R"J({"log": "didn't respond to HTTP pings"})J")},
  });
  Evidence ev;
  ev.sources.push_back(log_source(SourceKind::Platform, "docker.log",
      "INFO  - Starting container for site\nOLD FAILURE\nERROR - didn't respond to HTTP pings\n"
      "INFO  - Starting container for site\nERROR - didn't respond to HTTP pings\n"
      "INFO  - Starting container for site\nERROR - didn't respond to HTTP pings\n"));
  Diagnosis d = diagnose(rules, ev, {});
  CHECK(d.attempts == 3);
  REQUIRE(d.findings.size() == 2);
  CHECK(d.findings[0].rule->id == "ping");
  CHECK(d.findings[0].attempts_with == 3);
  CHECK(d.findings[0].in_latest_attempt);
  CHECK(find(d, "old")->attempts_with == 1);
  CHECK_FALSE(find(d, "old")->in_latest_attempt);
}

TEST_CASE("line maps translate lines of a split log-tail part to the capture file") {
  RuleSet rules = pack({{"mnf", rule("mnf", R"J({"log": "ModuleNotFoundError"})J")}});
  Source part = log_source(SourceKind::App, "tail.txt", "ok\nModuleNotFoundError: No module named 'x'\n");
  part.part = "2024_01_01_lw1_default_docker.log";
  part.line_map = {7, 9};
  Evidence ev;
  ev.sources.push_back(part);
  Diagnosis d = diagnose(rules, ev, {});
  REQUIRE(d.findings.size() == 1);
  CHECK(d.findings[0].evidence[0].line == 9);
  CHECK(d.findings[0].evidence[0].part == "2024_01_01_lw1_default_docker.log");
}

TEST_CASE("secrets in evidence and captures are redacted unless asked not to") {
  RuleSet rules = pack({{"db", rule("db", R"J({"log": "could not connect: (?P<dsn>\\S+)"})J",
                                    R"J(, "remediation": ["check ${dsn}"])J")}});
  Evidence ev;
  ev.sources.push_back(log_source(SourceKind::App, "app.log", "could not connect: postgres://admin:hunter2@db:5432/app\n"));
  Diagnosis d = diagnose(rules, ev, {});
  REQUIRE(d.findings.size() == 1);
  CHECK(d.findings[0].evidence[0].text.find("hunter2") == std::string::npos);
  CHECK(d.findings[0].captures.at("dsn").find("hunter2") == std::string::npos);
  CHECK(d.findings[0].remediation[0].find("hunter2") == std::string::npos);
  DiagnoseOptions raw;
  raw.redact = false;
  CHECK(diagnose(rules, ev, raw).findings[0].evidence[0].text.find("hunter2") != std::string::npos);
}

TEST_CASE("many matching lines keep the first and last ones and count the rest") {
  RuleSet rules = pack({{"many", rule("many", R"J({"log": "WORKER TIMEOUT \\(pid:(?P<pid>\\d+)\\)"})J")}});
  std::string text;
  for (int i = 1; i <= 1000; ++i) text += "[CRITICAL] WORKER TIMEOUT (pid:" + std::to_string(i) + ")\n";
  Evidence ev;
  ev.sources.push_back(log_source(SourceKind::App, "app.log", text));
  Diagnosis d = diagnose(rules, ev, {});
  REQUIRE(d.findings.size() == 1);
  CHECK(d.findings[0].matched_lines == 1000);
  CHECK(d.findings[0].evidence.size() == 40);
  CHECK(d.findings[0].evidence.front().line == 1);
  CHECK(d.findings[0].evidence.back().line == 1000);
  CHECK(d.findings[0].captures.at("pid") == "1000");
}

TEST_CASE("rules are pure data: a content condition cannot reach files outside the evidence") {
  RuleSet rules = pack({{"peek", rule("peek", R"J({"content": "../../../../etc/passwd", "matches": "root:"})J")}});
  Evidence ev;
  Source listing = listing_source("x\n", {{"app.py", false, 1, 1}});
  ev.sources.push_back(listing);
  Diagnosis d = diagnose(rules, ev, {});
  CHECK(d.findings.empty());  // unknown: only gathered site files can be read, never the local disk
}

namespace {

std::vector<std::string> module_not_found_steps(const std::string& module) {
  static const RuleSet builtin = load_rules(builtin_rule_files());
  Evidence ev;
  ev.sources.push_back(log_source(SourceKind::App, "app.log",
      "Traceback (most recent call last):\nModuleNotFoundError: No module named '" + module + "'\n"));
  Diagnosis d = diagnose(builtin, ev, {});
  const Finding* f = find(d, "module-not-found");
  REQUIRE(f);
  return f->remediation;
}

bool any_step_has(const std::vector<std::string>& steps, const std::string& text) {
  for (const auto& s : steps)
    if (s.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("module-not-found names the distribution of a module in rules/data/module-packages.json") {
  auto steps = module_not_found_steps("cv2");
  REQUIRE_FALSE(steps.empty());
  CHECK(steps[0].starts_with("Add opencv-python-headless to requirements.txt"));
  CHECK(steps[0].find("'cv2'") != std::string::npos);
  CHECK_FALSE(any_step_has(steps, "dotenv"));
  // A submodule is looked up by its longest listed prefix.
  CHECK(module_not_found_steps("google.protobuf.internal")[0].starts_with("Add protobuf to"));
  CHECK(module_not_found_steps("yaml")[0].starts_with("Add PyYAML to"));
}

TEST_CASE("module-not-found shows no package example for a module the table does not know") {
  auto steps = module_not_found_steps("acme_internal_utils");
  REQUIRE_FALSE(steps.empty());
  CHECK(steps[0].starts_with("Find the distribution that provides the module 'acme_internal_utils'"));
  CHECK_FALSE(any_step_has(steps, "dotenv"));
  CHECK_FALSE(any_step_has(steps, "<package>"));
  // "google" alone is a namespace many distributions share: no guess.
  CHECK(module_not_found_steps("google")[0].starts_with("Find the distribution"));
}

TEST_CASE("a lookup capture never leaks into a step through a captured value") {
  RuleSet rules = load_rules({{"rules/mnf.json", R"J({"id": "mnf", "title": "t", "summary": "s", "severity": "error",
      "category": "c", "when": {"log": "No module named '(?P<module>[^']+)'"},
      "lookup": {"package": {"table": "pkgs", "from": "module"}},
      "remediation": [["install ${package} for ${module}", "find ${module}"]]})J"},
      {"rules/data/pkgs.json", R"J({"entries": {"a": "dist-a"}})J"}});
  Evidence ev;
  ev.sources.push_back(log_source(SourceKind::App, "app.log",
      "No module named 'a'\nNo module named '${package}'\n"));
  Diagnosis d = diagnose(rules, ev, {});
  REQUIRE(d.findings.size() == 1);
  REQUIRE(d.findings[0].remediation.size() == 1);
  // The latest match is the capture; its literal "${package}" is not substituted again.
  CHECK(d.findings[0].remediation[0] == "find ${package}");
}

TEST_CASE("database-firewall knows each Azure database's refusal, not MySQL's own grant error") {
  const RuleSet& rules = test::builtin_pack();
  auto root = [&](const std::string& line) {
    Evidence ev;
    ev.sources.push_back(log_source(SourceKind::App, "app.log", line + "\n"));
    Diagnosis d = diagnose(rules, ev, {});
    const Finding* f = d.root_cause();
    return f ? f->rule->id : std::string("(none)");
  };
  // PostgreSQL's auth.c wording (Azure Database for PostgreSQL's firewall).
  CHECK(root(R"(psycopg2.OperationalError: connection to server at "pg.postgres.database.azure.com" (20.1.2.3), )"
             R"(port 5432 failed: FATAL:  no pg_hba.conf entry for host "20.119.0.41", user "app", database "app", )"
             R"(no encryption)") == "database-firewall");
  // Azure SQL 40615, as pyodbc reports it.
  CHECK(root("pyodbc.ProgrammingError: ('42000', \"[42000] [Microsoft][ODBC Driver 18 for SQL Server][SQL Server]"
             "Cannot open server 'orders' requested by the login. Client with IP address '20.119.0.41' is not "
             "allowed to access the server.  (40615) (SQLDriverConnect)\")") == "database-firewall");
  // Azure Database for PostgreSQL single server, VNet without a rule.
  CHECK(root("psycopg2.OperationalError: FATAL:  Client from Azure Virtual Networks is not allowed to access the "
             "server") == "database-firewall");
  // Azure Database for MySQL single server 9000.
  CHECK(root("pymysql.err.OperationalError: (9000, \"Client with IP address '20.119.0.41' is not allowed to connect "
             "to this MySQL server.\")") == "database-firewall");
  // MySQL's own 1130 is a grant (user@host) problem, not a firewall.
  CHECK(root("pymysql.err.OperationalError: (1130, \"Host '10.0.1.4' is not allowed to connect to this MySQL "
             "server\")") != "database-firewall");
}

TEST_CASE("database-host-unset fires on a host named None from each client, not on a real host that does not resolve") {
  const RuleSet& rules = test::builtin_pack();
  auto root = [&](const std::string& line) {
    Evidence ev;
    ev.sources.push_back(log_source(SourceKind::App, "app.log", line + "\n"));
    Diagnosis d = diagnose(rules, ev, {});  // the finding points into d
    const Finding* f = d.root_cause();
    return f ? f->rule->id : std::string("(none)");
  };
  CHECK(root(R"(psycopg2.OperationalError: could not translate host name "None" to address: Name or service not known)") ==
        "database-host-unset");
  CHECK(root("pymysql.err.OperationalError: (2003, \"Can't connect to MySQL server on 'None' ([Errno -2] Name or "
             "service not known)\")") == "database-host-unset");
  CHECK(root("MySQLdb.OperationalError: (2005, \"Unknown MySQL server host 'None' (-2)\")") == "database-host-unset");
  // A real name that does not resolve (private DNS, VNet) is another problem.
  CHECK(root(R"(psycopg2.OperationalError: could not translate host name "db.postgres.database.azure.com" to address: )"
             R"(Name or service not known)") != "database-host-unset");
}

TEST_CASE("database-host-unresolved fires on a real host name no client can resolve, and is explained by an unset host") {
  const RuleSet& rules = test::builtin_pack();
  auto ids = [&](const std::string& line) {
    Evidence ev;
    ev.sources.push_back(log_source(SourceKind::App, "app.log", line + "\n"));
    Diagnosis d = diagnose(rules, ev, {});
    std::string out;
    for (const Finding& f : d.findings) out += (out.empty() ? "" : " ") + f.rule->id + (f.root_cause ? "*" : "");
    return out;
  };
  CHECK(ids(R"(psycopg2.OperationalError: could not translate host name "db.postgres.database.azure.com" to address: )"
            R"(Name or service not known)") == "database-host-unresolved*");
  CHECK(ids("pymysql.err.OperationalError: (2003, \"Can't connect to MySQL server on 'db.mysql.database.azure.com' "
            "([Errno -3] Temporary failure in name resolution)\")") == "database-host-unresolved*");
  CHECK(ids("MySQLdb.OperationalError: (2005, \"Unknown MySQL server host 'db.mysql.database.azure.com' (-2)\")") ==
        "database-host-unresolved*");
  // A refused connection is not a name problem.
  CHECK(ids("pymysql.err.OperationalError: (2003, \"Can't connect to MySQL server on 'db' ([Errno 111] Connection "
            "refused)\")") != "database-host-unresolved*");
  // The host None is an unset setting: that is the root, the lookup failure its symptom.
  CHECK(ids(R"(psycopg2.OperationalError: could not translate host name "None" to address: Name or service not known)") ==
        "database-host-unset* database-host-unresolved");
}
