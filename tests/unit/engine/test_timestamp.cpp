#include <catch2/catch.hpp>

#include "analyzer/engine/timestamp.h"

using namespace appdiag;

namespace {
// 2024-03-15 00:00:00 UTC
const int64_t kDay = days_from_civil(2024, 3, 15) * kMsPerDay;
int64_t at(int h, int m, int s, int ms = 0) { return ((h * 60 + m) * 60 + s) * 1000LL + ms; }
}  // namespace

TEST_CASE("days_from_civil matches known epochs", "[timestamp]") {
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(2000, 3, 1) == 11017);
  CHECK(days_from_civil(2024, 3, 15) == 19797);
}

TEST_CASE("docker RFC 3339 with milliseconds and nanoseconds", "[timestamp]") {
  auto t = parse_line_time("2024-03-15T10:25:36.361Z ERROR - Container x didn't respond");
  REQUIRE(t);
  CHECK(t->has_date);
  CHECK(t->ms == kDay + at(10, 25, 36, 361));
  auto n = parse_line_time("2022-02-16T22:49:47.348018407Z ModuleNotFoundError: x");
  REQUIRE(n);
  CHECK(n->ms == days_from_civil(2022, 2, 16) * kMsPerDay + at(22, 49, 47, 348));
}

TEST_CASE("gunicorn bracketed time with offsets", "[timestamp]") {
  auto utc = parse_line_time("[2024-03-15 10:21:46 +0000] [73] [INFO] Starting gunicorn 21.2.0");
  REQUIRE(utc);
  CHECK(utc->ms == kDay + at(10, 21, 46));
  auto east = parse_line_time("[2024-03-15 12:21:46 +0200] [73] [INFO] Listening at: http://0.0.0.0:8000");
  REQUIRE(east);
  CHECK(east->ms == kDay + at(10, 21, 46));
  auto west = parse_line_time("[2024-03-15 05:21:46 -0500] [73] [INFO] x");
  REQUIRE(west);
  CHECK(west->ms == kDay + at(10, 21, 46));
}

TEST_CASE("Oryx LogError quoted date and git remote prefix", "[timestamp]") {
  auto t = parse_line_time("\"2023-04-14 08:32:40\"|ERROR|ERROR: Could not find a version");
  REQUIRE(t);
  CHECK(t->ms == days_from_civil(2023, 4, 14) * kMsPerDay + at(8, 32, 40));
  auto r = parse_line_time("remote: \"2023-04-14 08:32:40\"|WARNING|x");
  REQUIRE(r);
  CHECK(r->ms == t->ms);
}

TEST_CASE("Oryx pip time of day needs a date from context", "[timestamp]") {
  auto t = parse_line_time("[16:44:20+0000] Collecting Flask");
  REQUIRE(t);
  CHECK_FALSE(t->has_date);
  CHECK(t->ms == at(16, 44, 20));
  auto east = parse_line_time("[01:00:00+0200] Collecting Flask");
  REQUIRE(east);
  CHECK(east->ms == at(1, 0, 0) - at(2, 0, 0));  // the previous UTC day
}

TEST_CASE("Kudu and log-tail forms without a zone are UTC", "[timestamp]") {
  auto t = parse_line_time("2024-03-15T10:25:36  Welcome, you are now connected to log-streaming service.");
  REQUIRE(t);
  CHECK(t->ms == kDay + at(10, 25, 36));
  auto z = parse_line_time("2024-03-15 10:25:36.123 +00:00 [Info] x");
  REQUIRE(z);
  CHECK(z->ms == kDay + at(10, 25, 36, 123));
}

TEST_CASE("lines without a timestamp and malformed ones", "[timestamp]") {
  CHECK_FALSE(parse_line_time("Running oryx build..."));
  CHECK_FALSE(parse_line_time(""));
  CHECK_FALSE(parse_line_time("["));
  CHECK_FALSE(parse_line_time("2024-13-15T10:25:36Z"));
  CHECK_FALSE(parse_line_time("2024-03-15T25:25:36Z"));
  CHECK_FALSE(parse_line_time("2024-03-15"));
  CHECK_FALSE(parse_line_time("12:3"));
  CHECK_FALSE(parse_line_time("\"2024-03-1"));
}
