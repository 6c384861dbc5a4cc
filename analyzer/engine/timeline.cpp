#include "analyzer/engine/timeline.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include <re2/re2.h>

#include "analyzer/engine/error_templates.h"
#include "analyzer/engine/timestamp.h"

namespace appdiag {

namespace {

constexpr int64_t kHourMs = 3600000;

struct Placed {
  TimelineEvent event;
  size_t source = 0;
  bool starts = false;
  int64_t key = 0;   // sort time: own time, or the neighbour's for undated lines
  size_t seq = 0;    // order within its source
  std::optional<LineTime> time;
};

int64_t day_of(int64_t ms) { return (ms >= 0 ? ms : ms - kMsPerDay + 1) / kMsPerDay * kMsPerDay; }

std::string where_text(const TimelineEvent& e) { return e.where.file + ":" + std::to_string(e.where.line); }

// Gives time-of-day-only events of one source a date (see the header).
void infer_dates(std::vector<Placed*>& src, const Placed* first_dated_elsewhere) {
  for (size_t i = 0; i < src.size(); ++i) {
    Placed& p = *src[i];
    if (!p.time || p.time->has_date) continue;
    const int64_t tod = p.time->ms;
    const Placed* before = nullptr;
    const Placed* after = nullptr;
    for (size_t k = i; k-- > 0;)
      if (src[k]->time && src[k]->time->has_date) { before = src[k]; break; }
    for (size_t k = i + 1; k < src.size() && !before; ++k)
      if (src[k]->time && src[k]->time->has_date) { after = src[k]; break; }
    int64_t t;
    if (before) {
      t = day_of(before->event.utc_ms) + tod;
      if (t < before->event.utc_ms - 12 * kHourMs) t += kMsPerDay;
      p.event.date_from = "date of " + where_text(before->event);
    } else if (after) {
      t = day_of(after->event.utc_ms) + tod;
      if (t > after->event.utc_ms + 12 * kHourMs) t -= kMsPerDay;
      p.event.date_from = "date of " + where_text(after->event);
    } else if (auto named = date_in_name(p.event.where.file)) {
      t = *named + tod;
      p.event.date_from = "date in the file name";
    } else if (first_dated_elsewhere) {
      const TimelineEvent& ref = first_dated_elsewhere->event;
      t = day_of(ref.utc_ms) + tod;
      if (t > ref.utc_ms + kHourMs) t -= kMsPerDay;
      p.event.date_from = "date of the first dated event, " + where_text(ref) + " (the build precedes the start)";
    } else {
      p.time.reset();
      continue;
    }
    p.event.utc_ms = t;
    p.event.has_time = true;
  }
}

// Undated lines take the time of the previous event of their source, or of
// the next when none precedes; a source with no times at all goes first.
void assign_keys(std::vector<Placed*>& src) {
  std::optional<int64_t> previous;
  for (Placed* p : src) {
    if (p->event.has_time) previous = p->event.utc_ms;
    p->key = previous.value_or(LLONG_MIN);
  }
  std::optional<int64_t> next;
  for (size_t i = src.size(); i-- > 0;) {
    if (src[i]->event.has_time) next = src[i]->event.utc_ms;
    else if (src[i]->key == LLONG_MIN && next) src[i]->key = *next;
  }
}

// One open attempt per instance; a start joins its instance's open attempt
// when it comes from another source of that instance within kAttemptJoinMs.
void number_attempts(std::vector<Placed>& placed, Timeline& timeline) {
  struct Open {
    uint32_t number = 0;
    std::set<size_t> sources;
    int64_t start = 0;
    bool timed = false;
  };
  std::map<std::string, Open> open;
  for (Placed& p : placed) {
    Open& o = open[p.event.instance];
    if (p.starts) {
      bool join = o.number > 0 && !o.sources.count(p.source) &&
                  (!p.event.has_time || !o.timed || p.event.utc_ms - o.start <= kAttemptJoinMs);
      if (!join) o = Open{++timeline.attempts, {}, 0, false};
      o.sources.insert(p.source);
      if (p.event.has_time && !o.timed) o.start = p.event.utc_ms, o.timed = true;
    }
    p.event.attempt = o.number;
  }
}

}  // namespace

std::string instance_of(const Source& source) {
  static const RE2 machine(R"((?:^|/)\d{4}_\d{2}_\d{2}_([A-Za-z0-9]+)_(?:default_|easyauth_|msi_)?docker\.log$)");
  std::string name;
  if (!RE2::PartialMatch(source.part, machine, &name)) RE2::PartialMatch(source.name, machine, &name);
  return name;
}

Timeline build_timeline(const RuleSet& rules, const Evidence& evidence, const ScanResult& scan) {
  std::vector<Placed> placed;
  std::vector<std::optional<std::string>> instances(evidence.sources.size());  // by source: a regex run once each
  for (const Match& m : scan.matches) {
    if (!m.event || is_error_line_event(rules.events[m.index])) continue;
    const EventDef& def = rules.events[m.index];
    Placed p;
    p.event.id = def.id;
    p.event.label = def.label;
    p.event.phase = def.phase;
    p.event.where = to_evidence(m, evidence);
    std::optional<std::string>& instance = instances[m.source];
    if (!instance) instance = instance_of(evidence.sources[m.source]);
    p.event.instance = *instance;
    p.source = m.source;
    p.starts = p.event.starts_attempt = def.starts_attempt;
    p.time = parse_line_time(m.text);
    if (p.time && p.time->has_date) p.event.utc_ms = p.time->ms, p.event.has_time = true;
    placed.push_back(std::move(p));
  }
  // Matches are ordered by source then line, but one line may hold several events.
  std::vector<std::vector<Placed*>> by_source(evidence.sources.size());
  for (Placed& p : placed) {
    p.seq = by_source[p.source].size();
    by_source[p.source].push_back(&p);
  }
  const Placed* first_dated = nullptr;
  for (const Placed& p : placed)
    if (p.event.has_time && (!first_dated || p.event.utc_ms < first_dated->event.utc_ms)) first_dated = &p;
  for (auto& src : by_source) {
    const Placed* elsewhere = first_dated;
    if (first_dated && !src.empty() && first_dated->source == src.front()->source) {
      elsewhere = nullptr;
      for (const Placed& p : placed)
        if (p.event.has_time && p.source != src.front()->source &&
            (!elsewhere || p.event.utc_ms < elsewhere->event.utc_ms))
          elsewhere = &p;
    }
    infer_dates(src, elsewhere);
    assign_keys(src);
  }
  std::stable_sort(placed.begin(), placed.end(), [](const Placed& a, const Placed& b) {
    if (a.key != b.key) return a.key < b.key;
    if (a.source != b.source) return a.source < b.source;
    return a.seq < b.seq;
  });
  Timeline timeline;
  number_attempts(placed, timeline);
  timeline.events.reserve(placed.size());
  for (Placed& p : placed) timeline.events.push_back(std::move(p.event));
  return timeline;
}

std::optional<int64_t> latest_stop_ms(const Timeline& timeline) {
  std::optional<int64_t> stop;
  for (const TimelineEvent& e : timeline.events) {
    if (e.attempt != timeline.attempts || !e.has_time || e.where.kind != SourceKind::Platform) continue;
    if (e.phase == "fail" || e.phase == "stop") stop = std::max(stop.value_or(e.utc_ms), e.utc_ms);
  }
  return stop;
}

bool all_after(const std::vector<EvidenceLine>& lines, int64_t stop_ms) {
  if (lines.empty()) return false;
  for (const EvidenceLine& e : lines) {
    if (e.kind != SourceKind::Platform && e.kind != SourceKind::App) return false;
    auto t = parse_line_time(e.text);
    if (!t || !t->has_date || t->ms <= stop_ms) return false;
  }
  return true;
}

std::string clock_text(int64_t utc_ms, bool with_date) {
  int64_t tod = utc_ms - day_of(utc_ms);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d.%03d", static_cast<int>(tod / kHourMs),
                static_cast<int>(tod / 60000 % 60), static_cast<int>(tod / 1000 % 60), static_cast<int>(tod % 1000));
  if (!with_date) return buf;
  auto [y, m, d] = civil_from_days(day_of(utc_ms) / kMsPerDay);
  char date[24];
  std::snprintf(date, sizeof date, "%04d-%02u-%02u ", static_cast<int>(y), static_cast<unsigned>(m), static_cast<unsigned>(d));
  return date + std::string(buf);
}

bool spans_days(const Timeline& timeline) {
  std::optional<int64_t> first;
  for (const TimelineEvent& e : timeline.events) {
    if (!e.has_time) continue;
    if (!first) first = day_of(e.utc_ms);
    else if (day_of(e.utc_ms) != *first) return true;
  }
  return false;
}

}  // namespace appdiag
