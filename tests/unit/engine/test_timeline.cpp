// The timeline end to end: real scanner, built-in events, in-memory sources in
// each timestamp format App Service writes.
#include <catch2/catch.hpp>

#include <memory>

#include "analyzer/engine/diagnosis.h"
#include "analyzer/pack/rule_loader.h"
#include "analyzer/engine/timeline.h"
#include "analyzer/engine/timestamp.h"
#include "builtin_pack.h"
#include "test_support.h"

using namespace appdiag;
using appdiag::test::builtin_pack;

namespace {

Timeline timeline_of(const Evidence& ev) { return build_timeline(builtin_pack(), ev, Scanner(builtin_pack()).scan(ev)); }

int64_t utc(int y, unsigned mo, unsigned d, int h, int mi, int s, int ms = 0) {
  return days_from_civil(y, mo, d) * kMsPerDay + ((h * 60 + mi) * 60 + s) * 1000LL + ms;
}

const TimelineEvent* find(const Timeline& t, const std::string& id, size_t nth = 0) {
  for (const TimelineEvent& e : t.events)
    if (e.id == id && nth-- == 0) return &e;
  return nullptr;
}

const std::string kPlatform =
    "2024-03-15T10:21:33.900Z INFO  - Starting container for site\n"
    "2024-03-15T10:25:36.361Z ERROR - Container x_0_1 didn't respond to HTTP pings on port: 8000, failing site start. See container logs for debugging.\n"
    "2024-03-15T10:25:36.400Z INFO  - Stopping site x because it failed during startup.\n"
    "2024-03-15T10:26:10.000Z INFO  - Starting container for site\n"
    "2024-03-15T10:26:20.000Z INFO  - Container x_0_2 for site x initialized successfully and is ready to serve requests.\n";

const std::string kApp =
    "2024-03-15T10:21:39.500800317Z A P P   S E R V I C E   O N   L I N U X\n"
    "2024-03-15T10:21:45.200900317Z Detected an app based on Flask\n"
    "2024-03-15T10:26:14.348018407Z A P P   S E R V I C E   O N   L I N U X\n"
    "[2024-03-15 12:26:16 +0200] [73] [INFO] Starting gunicorn 21.2.0\n";

}  // namespace

TEST_CASE("docker, app and gunicorn times are normalised to UTC milliseconds", "[timeline]") {
  Evidence ev;
  ev.sources.push_back(memory_source(SourceKind::Platform, "LogFiles/2024_03_15_lw0_docker.log", kPlatform));
  ev.sources.push_back(memory_source(SourceKind::App, "LogFiles/2024_03_15_lw0_default_docker.log", kApp));
  Timeline t = timeline_of(ev);
  REQUIRE(find(t, "ping-failed"));
  CHECK(find(t, "ping-failed")->utc_ms == utc(2024, 3, 15, 10, 25, 36, 361));
  CHECK(find(t, "ping-failed")->where.line == 2);
  REQUIRE(find(t, "image-banner", 1));
  CHECK(find(t, "image-banner", 1)->utc_ms == utc(2024, 3, 15, 10, 26, 14, 348));
  REQUIRE(find(t, "gunicorn-start"));
  CHECK(find(t, "gunicorn-start")->utc_ms == utc(2024, 3, 15, 10, 26, 16));
  CHECK(clock_text(find(t, "ping-failed")->utc_ms) == "10:25:36.361");
}

TEST_CASE("mixed sources interleave by time and attempts align across sources", "[timeline]") {
  Evidence ev;
  ev.sources.push_back(memory_source(SourceKind::Platform, "LogFiles/2024_03_15_lw0_docker.log", kPlatform));
  ev.sources.push_back(memory_source(SourceKind::App, "LogFiles/2024_03_15_lw0_default_docker.log", kApp));
  Timeline t = timeline_of(ev);
  for (size_t i = 1; i < t.events.size(); ++i) CHECK(t.events[i - 1].utc_ms <= t.events[i].utc_ms);
  CHECK(t.attempts == 2);
  CHECK(find(t, "container-start")->attempt == 1);
  CHECK(find(t, "image-banner")->attempt == 1);       // 6 s after the platform's start: same attempt
  CHECK(find(t, "framework-detected")->attempt == 1);
  CHECK(find(t, "site-stopped")->attempt == 1);
  CHECK(find(t, "container-start", 1)->attempt == 2);
  CHECK(find(t, "image-banner", 1)->attempt == 2);
  CHECK(find(t, "site-ready")->attempt == 2);
  REQUIRE(latest_stop_ms(t) == std::nullopt);  // the latest attempt started fine
}

TEST_CASE("the platform's stop of the latest attempt and lines after it", "[timeline]") {
  Evidence ev;
  ev.sources.push_back(memory_source(SourceKind::Platform, "LogFiles/2024_03_15_lw0_docker.log",
      kPlatform.substr(0, kPlatform.find("2024-03-15T10:26:10"))));
  Timeline t = timeline_of(ev);
  REQUIRE(latest_stop_ms(t));
  CHECK(*latest_stop_ms(t) == utc(2024, 3, 15, 10, 25, 36, 400));
  EvidenceLine late{SourceKind::App, "app.log", "", 9, "2024-03-15T10:25:40.000Z sqlite3.OperationalError: x"};
  EvidenceLine early = late;
  early.text = "2024-03-15T10:25:00.000Z sqlite3.OperationalError: x";
  CHECK(all_after({late}, *latest_stop_ms(t)));
  CHECK_FALSE(all_after({early, late}, *latest_stop_ms(t)));
  EvidenceLine listing{SourceKind::Listing, "wwwroot-listing.txt", "", 3, "-rw-r--r-- db.sqlite3"};
  CHECK_FALSE(all_after({late, listing}, *latest_stop_ms(t)));
}

TEST_CASE("Oryx deploy log: dated LogError lines, pip time of day dated from context, undated lines", "[timeline]") {
  Evidence ev;
  ev.sources.push_back(memory_source(SourceKind::Deploy, "deployments/abc/log.log",
      "Running oryx build...\n"
      "Running pip install...\n"
      "[23:59:58+0000] Collecting Flask\n"
      "[00:00:02+0000] Successfully installed Flask-2.2.2\n"
      "\"2024-03-16 00:00:05\"|ERROR|Something failed | Exit code: 1\n"
      "Deployment Failed. deployer = Push-Deployer\n"));
  Timeline t = timeline_of(ev);
  const TimelineEvent* pip = find(t, "pip-installed");
  REQUIRE(pip);
  CHECK(pip->has_time);
  CHECK(pip->utc_ms == utc(2024, 3, 16, 0, 0, 2));
  CHECK(pip->date_from == "date of deployments/abc/log.log:5");
  const TimelineEvent* error = find(t, "build-error");
  REQUIRE(error);
  CHECK(error->utc_ms == utc(2024, 3, 16, 0, 0, 5));
  // No time on the line: after the previous event of its source, marked.
  const TimelineEvent* failed = find(t, "deploy-failed");
  REQUIRE(failed);
  CHECK_FALSE(failed->has_time);
  CHECK(&t.events.back() == failed);
  const TimelineEvent* started = find(t, "build-started");
  REQUIRE(started);
  CHECK_FALSE(started->has_time);
  CHECK(&t.events.front() == started);  // the first event of its source comes before the next timed one
  CHECK(started->attempt == 0);
}

TEST_CASE("a deploy log with only times of day takes the date of the first container start", "[timeline]") {
  Evidence ev;
  ev.sources.push_back(memory_source(SourceKind::Deploy, "deployments/abc/log.log",
      "Running pip install...\n[10:20:02+0000] Successfully installed Flask-2.2.2\nDeployment successful.\n"));
  ev.sources.push_back(memory_source(SourceKind::Platform, "docker.log", kPlatform));
  Timeline t = timeline_of(ev);
  const TimelineEvent* pip = find(t, "pip-installed");
  REQUIRE(pip);
  CHECK(pip->utc_ms == utc(2024, 3, 15, 10, 20, 2));
  CHECK(pip->date_from.find("the build precedes the start") != std::string::npos);
  CHECK(pip->attempt == 0);
  CHECK(find(t, "deploy-succeeded")->attempt == 0);
  CHECK(t.events.front().id == "pip-install");
  CHECK(t.attempts == 2);
}

TEST_CASE("app log lines without timestamps follow the previous event of their source", "[timeline]") {
  Evidence ev;
  ev.sources.push_back(memory_source(SourceKind::Platform, "docker.log", kPlatform));
  ev.sources.push_back(memory_source(SourceKind::App, "stream.log",
      "2024-03-15T10:26:12.000Z A P P   S E R V I C E   O N   L I N U X\n"
      "Detected an app based on Django\n"
      "Generating `gunicorn` command for 'mysite.wsgi'\n"));
  Timeline t = timeline_of(ev);
  const TimelineEvent* detected = find(t, "framework-detected");
  REQUIRE(detected);
  CHECK_FALSE(detected->has_time);
  CHECK(detected->attempt == 2);
  size_t banner = 0, det = 0, ready = 0;
  for (size_t i = 0; i < t.events.size(); ++i) {
    if (t.events[i].id == "image-banner") banner = i;
    if (&t.events[i] == detected) det = i;
    if (t.events[i].id == "site-ready") ready = i;
  }
  CHECK(det == banner + 1);
  CHECK(det < ready);
}

TEST_CASE("a finding seen only after the platform stopped the site is not the root cause of that stop", "[timeline]") {
  const std::string platform =
      "2024-03-15T10:21:33.900Z INFO  - Starting container for site\n"
      "2024-03-15T10:25:36.361Z ERROR - Container x_0_1 didn't respond to HTTP pings on port: 8000, failing site start. See container logs for debugging.\n"
      "2024-03-15T10:25:36.400Z INFO  - Stopping site x because it failed during startup.\n";
  auto diagnose_with = [&](const std::string& when) {
    Evidence ev;
    ev.sources.push_back(memory_source(SourceKind::Platform, "docker.log", platform));
    ev.sources.push_back(memory_source(SourceKind::App, "app.log",
        "2024-03-15T10:21:39.000Z A P P   S E R V I C E   O N   L I N U X\n" + when +
        " sqlite3.OperationalError: database is locked\n"));
    return diagnose(builtin_pack(), ev, {});
  };
  Diagnosis late = diagnose_with("2024-03-15T10:25:37.120Z");
  REQUIRE(late.stopped_at_ms);
  REQUIRE(late.root_cause());
  CHECK(late.root_cause()->rule->id == "startup-timeout");
  bool listed = false;
  for (const Finding& f : late.findings)
    if (f.rule->id == "sqlite-locked") listed = f.after_stop && !f.root_cause && f.symptoms.empty();
  CHECK(listed);

  Diagnosis early = diagnose_with("2024-03-15T10:22:00.000Z");
  REQUIRE(early.root_cause());
  CHECK(early.root_cause()->rule->id == "sqlite-locked");
  CHECK_FALSE(early.root_cause()->after_stop);
}
