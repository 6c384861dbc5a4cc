#pragma once
// The part of the input an analysis covers: --since / --until (a time window,
// UTC, both ends inclusive) and --instance (machines). Lines outside the window
// and sources of other instances are not scanned, so findings, attempts, the
// timeline and the current state all describe the window only; the report says
// which window and instances it covered (and how many lines it left out).
//
// A line's time is its own timestamp (timestamp.h); a line without one takes
// the time of the previous timed line of its source; a time of day alone takes
// the date of the previous timed line (a day later when the clock went back
// more than 12 hours), else the YYYY_MM_DD of the file name. Lines before the
// first time of a source whose name carries no date have no time and are kept:
// a window never drops what it cannot place.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace appdiag {

struct TimeWindow {
  std::optional<int64_t> since_ms, until_ms;  // ms since the epoch, UTC, inclusive
  std::vector<std::string> instances;         // empty: every instance

  bool restricts_time() const { return since_ms || until_ms; }
  bool contains(int64_t ms) const { return (!since_ms || ms >= *since_ms) && (!until_ms || ms <= *until_ms); }
  // Sources that name no machine (deployment logs, a pasted log, listings,
  // settings) belong to every instance.
  bool keeps_instance(const std::string& instance) const;
};

// A --since / --until value: an ISO date-time, "2025-06-09T08:10[:SS[.mmm]]"
// ('T' or a space) with an optional "Z" or "+HH:MM" (UTC when none), or a date
// alone "2025-06-09" (its first millisecond, or with end_of_day its last);
// or a duration before now_ms: "90s", "30m", "2h", "3d", "1w". nullopt when
// the text is none of these.
std::optional<int64_t> parse_time_arg(std::string_view text, int64_t now_ms, bool end_of_day);

// The time of each line of one source, in order (see the header comment).
class LineClock {
 public:
  explicit LineClock(const std::string& source_name);
  // The time of the next line of the source; nullopt when it cannot be placed.
  std::optional<int64_t> at(std::string_view line);

 private:
  std::optional<int64_t> day_ms_;   // midnight UTC of the date lines fall on
  std::optional<int64_t> last_ms_;  // the last timed line
};

}  // namespace appdiag
