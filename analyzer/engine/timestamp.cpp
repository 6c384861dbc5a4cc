#include "analyzer/engine/timestamp.h"

#include "analyzer/engine/paste_prefix.h"

namespace appdiag {

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  // Howard Hinnant's algorithm: exact for every Gregorian date.
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

CivilDate civil_from_days(int64_t z) {
  // Howard Hinnant's algorithm, the inverse of the one above.
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

namespace {

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool eat(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) return ++pos_, true;
    return false;
  }
  bool peek(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
  bool peek_digit(size_t ahead = 0) const {
    return pos_ + ahead < s_.size() && s_[pos_ + ahead] >= '0' && s_[pos_ + ahead] <= '9';
  }
  // Exactly n digits.
  bool number(size_t n, int& out) {
    int v = 0;
    for (size_t i = 0; i < n; ++i) {
      if (!peek_digit()) return false;
      v = v * 10 + (s_[pos_++] - '0');
    }
    out = v;
    return true;
  }
  // Fraction digits after '.' or ',': milliseconds, extra digits ignored.
  int fraction_ms() {
    int ms = 0, scale = 100;
    while (peek_digit()) {
      ms += (s_[pos_++] - '0') * scale;
      scale /= 10;
    }
    return ms;
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

bool time_of_day(Cursor& c, int64_t& ms) {
  int h, m, s;
  if (!c.number(2, h) || !c.eat(':') || !c.number(2, m) || !c.eat(':') || !c.number(2, s)) return false;
  if (h > 23 || m > 59 || s > 60) return false;
  ms = ((h * 60 + m) * 60 + s) * 1000LL;
  if (c.peek('.') || c.peek(',')) {
    c.eat('.') || c.eat(',');
    ms += c.fraction_ms();
  }
  return true;
}

// "Z", "+0000", "+00:00", " +0000"; none means UTC. Returns the offset east of UTC in ms.
int64_t zone_offset(Cursor& c) {
  if (c.eat('Z') || c.eat('z')) return 0;
  Cursor probe = c;
  probe.eat(' ');
  int sign = probe.eat('+') ? 1 : probe.eat('-') ? -1 : 0;
  int h, m;
  if (!sign || !probe.number(2, h)) return 0;
  probe.eat(':');
  if (!probe.number(2, m) || h > 23 || m > 59) return 0;
  c = probe;
  return sign * (h * 60 + m) * 60000LL;
}

}  // namespace

std::optional<LineTime> parse_line_time(std::string_view line) {
  line = strip_paste_prefix(line);
  if (!line.empty() && (line[0] == '[' || line[0] == '"')) line.remove_prefix(1);
  Cursor c(line);
  LineTime t;
  int64_t tod = 0;
  if (!c.peek_digit(2)) {
    // HH:MM:SS (pip's [%T%z]): a date has a digit at offset 2, a time has ':'.
    if (!time_of_day(c, tod)) return std::nullopt;
    t.ms = tod - zone_offset(c);
    t.has_date = false;
    return t;
  }
  int y, mo, d;
  if (!c.number(4, y) || !c.eat('-') || !c.number(2, mo) || !c.eat('-') || !c.number(2, d)) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  if (!c.eat('T') && !c.eat('t') && !c.eat(' ')) return std::nullopt;  // 't': a paste lower-cased
  if (!time_of_day(c, tod)) return std::nullopt;
  t.ms = days_from_civil(y, mo, d) * kMsPerDay + tod - zone_offset(c);
  t.has_date = true;
  return t;
}

std::optional<int64_t> date_in_name(std::string_view name) {
  auto digits = [&](size_t at, size_t n) {
    for (size_t k = 0; k < n; ++k)
      if (name[at + k] < '0' || name[at + k] > '9') return false;
    return true;
  };
  auto number = [&](size_t at, size_t n) {
    unsigned v = 0;
    for (size_t k = 0; k < n; ++k) v = v * 10 + (name[at + k] - '0');
    return v;
  };
  for (size_t i = 0; i + 10 <= name.size(); ++i) {
    if (!digits(i, 4) || name[i + 4] != '_' || !digits(i + 5, 2) || name[i + 7] != '_' || !digits(i + 8, 2)) continue;
    unsigned m = number(i + 5, 2), d = number(i + 8, 2);
    if (m < 1 || m > 12 || d < 1 || d > 31) continue;
    return days_from_civil(number(i, 4), m, d) * kMsPerDay;
  }
  return std::nullopt;
}

}  // namespace appdiag
