#include <catch2/catch.hpp>

#include "analyzer/engine/time_window.h"
#include "analyzer/engine/timestamp.h"

using namespace appdiag;

namespace {
const int64_t kDay = days_from_civil(2025, 6, 9) * kMsPerDay;  // 2025-06-09 00:00 UTC
constexpr int64_t kHour = 3600000;
}  // namespace

TEST_CASE("window ends read ISO dates and date-times", "[time_window]") {
  CHECK(parse_time_arg("2025-06-09", 0, false) == kDay);
  CHECK(parse_time_arg("2025-06-09", 0, true) == kDay + kMsPerDay - 1);  // --until: the whole day
  CHECK(parse_time_arg("2025-06-09T08:10", 0, false) == kDay + 8 * kHour + 10 * 60000);
  CHECK(parse_time_arg("2025-06-09T08:10", 0, true) == kDay + 8 * kHour + 11 * 60000 - 1);
  CHECK(parse_time_arg("2025-06-09 08:10:05", 0, false) == kDay + 8 * kHour + 605000);
  CHECK(parse_time_arg("2025-06-09T08:10:05.250Z", 0, false) == kDay + 8 * kHour + 605250);
  CHECK(parse_time_arg("2025-06-09T10:10:05+02:00", 0, false) == kDay + 8 * kHour + 605000);
  CHECK(parse_time_arg("2025-06-09T06:10:05-0200", 0, false) == kDay + 8 * kHour + 605000);
}

TEST_CASE("window ends read durations back from now", "[time_window]") {
  const int64_t now = kDay + 12 * kHour;
  CHECK(parse_time_arg("2h", now, false) == now - 2 * kHour);
  CHECK(parse_time_arg("90s", now, false) == now - 90000);
  CHECK(parse_time_arg("30m", now, false) == now - 30 * 60000);
  CHECK(parse_time_arg("3d", now, false) == now - 3 * kMsPerDay);
  CHECK(parse_time_arg("1w", now, false) == now - 7 * kMsPerDay);
}

TEST_CASE("window ends refuse what is not a time", "[time_window]") {
  for (const char* bad : {"", "x", "yesterday", "2h ago", "-2h", "2025-06-31", "2025-02-29", "2025-13-01",
                          "2025-06-09T25:00", "2025-06-09T08:61", "2025-06-09T08:10+25:00", "2025/06/09", "2y",
                          "2025-06-09T08"})
    CHECK_FALSE(parse_time_arg(bad, kDay, false));
  CHECK(parse_time_arg("2024-02-29", 0, false));  // a leap day
}

TEST_CASE("a window keeps what it contains and instances it names", "[time_window]") {
  TimeWindow w;
  CHECK_FALSE(w.restricts_time());
  w.since_ms = 10;
  w.until_ms = 20;
  CHECK(w.contains(10));
  CHECK(w.contains(20));
  CHECK_FALSE(w.contains(9));
  CHECK_FALSE(w.contains(21));
  CHECK(w.keeps_instance("anything"));
  w.instances = {"lw1sdlwk0000AB"};
  CHECK(w.keeps_instance("lw1sdlwk0000AB"));
  CHECK_FALSE(w.keeps_instance("lw1sdlwk0000CD"));
  CHECK(w.keeps_instance(""));  // deployment logs, listings: every instance's
}

TEST_CASE("LineClock dates every line of a source", "[time_window]") {
  LineClock clock("LogFiles/2025_06_09_lw1sdlwk0000AB_docker.log");
  // Before any timestamp: the file name's date is known, not the time.
  CHECK_FALSE(clock.at("no time here"));
  // A time of day alone takes the file name's date.
  CHECK(clock.at("[23:59:58+0000] Collecting flask") == kDay + 24 * kHour - 2000);
  // Past midnight the clock goes back: the next day.
  CHECK(clock.at("[00:00:03+0000] Installing") == kDay + kMsPerDay + 3000);
  // An untimed line takes the previous time.
  CHECK(clock.at("  continuation") == kDay + kMsPerDay + 3000);
  // A full timestamp wins.
  CHECK(clock.at("2025-06-11T08:00:00.000Z INFO - Starting container") == kDay + 2 * kMsPerDay + 8 * kHour);
  CHECK(clock.at("[08:00:05+0000] more") == kDay + 2 * kMsPerDay + 8 * kHour + 5000);
}

TEST_CASE("LineClock without a date in the name places nothing before the first date", "[time_window]") {
  LineClock clock("app.log");
  CHECK_FALSE(clock.at("[10:00:00+0000] a time of day with no date known"));
  CHECK(clock.at("2025-06-09T10:00:00Z x") == kDay + 10 * kHour);
}
