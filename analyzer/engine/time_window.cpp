#include "analyzer/engine/time_window.h"

#include <algorithm>

#include <re2/re2.h>

#include "analyzer/engine/timestamp.h"

namespace appdiag {

namespace {

constexpr int64_t kHourMs = 3600000;

int64_t day_of(int64_t ms) { return (ms >= 0 ? ms : ms - kMsPerDay + 1) / kMsPerDay * kMsPerDay; }

std::optional<int64_t> parse_duration(std::string_view text, int64_t now_ms) {
  static const RE2 duration(R"(([0-9]{1,9})([smhdw]))");
  int64_t n = 0;
  std::string unit;
  if (!RE2::FullMatch(text, duration, &n, &unit)) return std::nullopt;
  static const std::string units = "smhdw";
  static const int64_t unit_ms[] = {1000, 60000, kHourMs, kMsPerDay, 7 * kMsPerDay};
  return now_ms - n * unit_ms[units.find(unit[0])];
}

// "Z", "+HH:MM", "+HHMM", "-HH:MM": ms east of UTC; nullopt when malformed.
std::optional<int64_t> zone_ms(const std::string& zone) {
  if (zone.empty() || zone == "Z") return 0;
  static const RE2 offset(R"(([+-])([0-9]{2}):?([0-9]{2}))");
  std::string sign;
  int h = 0, m = 0;
  if (!RE2::FullMatch(zone, offset, &sign, &h, &m) || h > 23 || m > 59) return std::nullopt;
  return (sign == "-" ? -1 : 1) * (h * 60 + m) * 60000LL;
}

std::optional<int64_t> parse_date_time(std::string_view text, bool end_of_day) {
  static const RE2 iso(
      R"(([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,3})[0-9]*)?)?)?)"
      R"( ?(Z|[+-][0-9]{2}:?[0-9]{2})?)");
  int y = 0, mo = 0, d = 0;
  std::string hh, mm, ss, frac, zone;
  if (!RE2::FullMatch(text, iso, &y, &mo, &d, &hh, &mm, &ss, &frac, &zone)) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  int64_t days = days_from_civil(y, mo, d);
  CivilDate back = civil_from_days(days);
  if (back.month != static_cast<unsigned>(mo) || back.day != static_cast<unsigned>(d)) return std::nullopt;  // 2025-02-30
  auto offset = zone_ms(zone);
  if (!offset) return std::nullopt;
  if (hh.empty()) return days * kMsPerDay + (end_of_day ? kMsPerDay - 1 : 0) - *offset;
  int h = std::stoi(hh), m = std::stoi(mm), s = ss.empty() ? 0 : std::stoi(ss);
  if (h > 23 || m > 59 || s > 59) return std::nullopt;
  while (frac.size() < 3) frac += '0';
  int64_t ms = ((h * 60 + m) * 60 + s) * 1000LL + std::stoi(frac);
  // A time given to the minute or second covers that whole minute or second as an end.
  if (end_of_day) ms += ss.empty() ? 59999 : frac == "000" && text.find('.') == std::string_view::npos ? 999 : 0;
  return days * kMsPerDay + ms - *offset;
}

}  // namespace

bool TimeWindow::keeps_instance(const std::string& instance) const {
  return instances.empty() || instance.empty() || std::find(instances.begin(), instances.end(), instance) != instances.end();
}

std::optional<int64_t> parse_time_arg(std::string_view text, int64_t now_ms, bool end_of_day) {
  if (auto t = parse_duration(text, now_ms)) return t;
  return parse_date_time(text, end_of_day);
}

LineClock::LineClock(const std::string& source_name) : day_ms_(date_in_name(source_name)) {}

std::optional<int64_t> LineClock::at(std::string_view line) {
  std::optional<LineTime> t = parse_line_time(line);
  if (!t) return last_ms_;
  if (t->has_date) {
    last_ms_ = t->ms;
    day_ms_ = day_of(t->ms);
    return last_ms_;
  }
  if (!day_ms_) return last_ms_;
  int64_t ms = *day_ms_ + t->ms;
  if (last_ms_ && ms < *last_ms_ - 12 * kHourMs) ms += kMsPerDay;  // past midnight
  last_ms_ = ms;
  day_ms_ = day_of(ms);
  return last_ms_;
}

}  // namespace appdiag
