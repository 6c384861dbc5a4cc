#pragma once
// Events from all sources on one UTC time axis, grouped by start attempt.
//
// Built from the scan's event matches (rules/events/*.json, except the error
// lines: events with an "error" role). Times come from the line itself (see timestamp.h).
// A time of day without a date (Oryx pip output, [HH:MM:SS+0000]) takes its
// date from the nearest dated event line of the same source, else from a
// YYYY_MM_DD in the file name, else from the first dated event of any other
// source, assuming the build precedes the start (by at most an hour of clock
// skew); date_from says which. A line without a time is placed right after the
// previous event of its source (before the next one when it is the first) and
// has has_time = false.
//
// Attempts: a starts_attempt event opens a start attempt; starts from
// different sources within kAttemptJoinMs of each other (the platform's
// "Starting container" and the app's banner a few seconds later) are the same
// attempt, when they come from the same instance (machine): the instance is
// the machine name of `LogFiles/YYYY_MM_DD_<machine>_[default_]docker.log`
// (or of the log-tail part that names such a file). Attempts are numbered
// once, in time order, across instances and days. Events before the first
// start belong to attempt 0 (build, deploy).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/engine/condition_eval.h"
#include "analyzer/core/evidence.h"
#include "analyzer/core/rule.h"
#include "analyzer/engine/scanner.h"

namespace appdiag {

struct TimelineEvent {
  std::string instance;  // the machine the line's log came from ("" when not known)
  std::string id;        // EventDef id, or a rule id for findings placed on the timeline
  std::string label;
  std::string phase;     // build, deploy, start, run, fail, stop
  int64_t utc_ms = 0;    // milliseconds since the Unix epoch, UTC
  bool has_time = false; // false: no timestamp on the line; placed after the previous event of its source
  uint32_t attempt = 0;  // start attempt (1-based) this event belongs to; 0 = before any (build/deploy)
  bool starts_attempt = false;  // this event opened (or joined the opening of) its attempt
  EvidenceLine where;
  std::string date_from; // how the date of a time-of-day-only line was inferred; empty otherwise
};

struct Timeline {
  std::vector<TimelineEvent> events;  // ordered by time
  uint32_t attempts = 0;
};

constexpr int64_t kAttemptJoinMs = 120000;

// The machine a source's lines come from: "lw1sdlwk0000AB" for
// LogFiles/2025_06_10_lw1sdlwk0000AB_default_docker.log; "" when the name
// does not say (a single pasted log counts as one unnamed instance).
std::string instance_of(const Source& source);

Timeline build_timeline(const RuleSet& rules, const Evidence& evidence, const ScanResult& scan);

// When the platform gave up on the latest attempt: the time of its last
// ping-failed / container-exited / site-stopped event; nullopt if it did not.
std::optional<int64_t> latest_stop_ms(const Timeline& timeline);

// True when every line is a platform or app line with a dated timestamp later
// than stop_ms (so none of it can have caused that stop).
bool all_after(const std::vector<EvidenceLine>& lines, int64_t stop_ms);

// "HH:MM:SS.mmm" (UTC) of a time; "YYYY-MM-DD HH:MM:SS.mmm" with the date.
std::string clock_text(int64_t utc_ms, bool with_date = false);
// True when the timeline's dated events fall on more than one UTC day.
bool spans_days(const Timeline& timeline);

}  // namespace appdiag
