#include "analyzer/engine/paste_prefix.h"

namespace appdiag {

std::string_view strip_paste_prefix(std::string_view line) {
  constexpr std::string_view kRemote = "remote: ";
  for (;;) {
    if (line.starts_with("> ")) {
      line.remove_prefix(2);
    } else if (line == ">") {
      line.remove_prefix(1);
    } else if (line.starts_with(kRemote)) {
      line.remove_prefix(kRemote.size());
    } else {
      return line;
    }
  }
}

namespace {
bool digits(std::string_view s, size_t from, size_t n) {
  if (s.size() < from + n) return false;
  for (size_t i = from; i < from + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}
}  // namespace

bool upcase_pasted_stamp(std::string_view line, std::string& out) {
  // yyyy-mm-ddthh:mm:ss[.fff][z]; runs on every line scanned, so the bytes
  // that decide (separators, then the lower-case t or z) are looked at
  // before the digits: a well-formed upper-case stamp costs a few compares.
  if (line.size() < 19 || line[4] != '-' || line[7] != '-' || line[13] != ':' || line[16] != ':') return false;
  size_t end = 19;
  if (end < line.size() && line[end] == '.')
    for (++end; end < line.size() && line[end] >= '0' && line[end] <= '9';) ++end;
  bool t = line[10] == 't', z = end < line.size() && line[end] == 'z';
  if (!t && !z) return false;
  if (!digits(line, 0, 4) || !digits(line, 5, 2) || !digits(line, 8, 2) || !digits(line, 11, 2) ||
      !digits(line, 14, 2) || !digits(line, 17, 2))
    return false;
  out.assign(line);
  if (t) out[10] = 'T';
  if (z) out[end] = 'Z';
  return true;
}

}  // namespace appdiag
