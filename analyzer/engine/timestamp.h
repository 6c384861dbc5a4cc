#pragma once
// Timestamps at the start of a log line, as App Service's sources print them:
//   docker / app log prefix  2024-03-15T10:25:36.361Z, 2022-02-16T22:49:47.348018407Z
//   gunicorn                 [2024-03-15 10:21:46 +0000] (any offset)
//   Oryx LogError            "2023-04-14 08:32:40"|ERROR|...   (UTC)
//   Oryx pip output          [16:44:20+0000] ...                (time of day only)
//   Kudu / log tail          2024-03-15T10:25:36, 2024-03-15 10:25:36.123 +00:00
// An optional "remote: " (git deployments) and one leading '[' or '"' are skipped.
// Pure and total: any bytes in, nullopt or a value out; never throws.
#include <cstdint>
#include <optional>
#include <string_view>

namespace appdiag {

struct LineTime {
  // has_date: milliseconds since the Unix epoch, UTC. Otherwise milliseconds
  // since midnight UTC of a date the caller must infer (the offset applied, so
  // it may fall outside [0, 86400000)).
  int64_t ms = 0;
  bool has_date = false;
};

std::optional<LineTime> parse_line_time(std::string_view line);

// Days since 1970-01-01 of a proleptic Gregorian date (month 1-12).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);

struct CivilDate {
  int64_t year;
  unsigned month;  // 1-12
  unsigned day;    // 1-31
};
// The inverse of days_from_civil.
CivilDate civil_from_days(int64_t days);

constexpr int64_t kMsPerDay = 86400000;

// Midnight UTC (ms since the epoch) of the first YYYY_MM_DD in a file name, as
// LogFiles/2024_03_15_<machine>_docker.log carries it; nullopt when none.
std::optional<int64_t> date_in_name(std::string_view name);

}  // namespace appdiag
