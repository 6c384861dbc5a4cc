#include "analyzer/report/report_util.h"

#include <algorithm>

#include "analyzer/core/text_escape.h"

namespace appdiag {

std::string where(const EvidenceLine& e) {
  std::string w = e.file + ":" + std::to_string(e.line);
  if (!e.part.empty()) w += " (" + e.part + ")";
  return w;
}

namespace {
// Where to cut `text` to keep at most `limit` bytes: backs up over UTF-8
// continuation bytes so no character is split.
size_t cut_at(std::string_view text, size_t limit) {
  if (text.size() <= limit) return text.size();
  size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return cut;
}
}  // namespace

std::string shorten(std::string_view text, size_t limit) {
  size_t cut = cut_at(text, limit);
  return cut == text.size() ? std::string(text) : std::string(text.substr(0, cut)) + "…";
}

ShownLine shown_line(const EvidenceLine& e, size_t limit) {
  ShownLine s;
  s.text = shorten(e.text, limit);
  limit = cut_at(e.text, limit);
  size_t keep = std::min<size_t>(e.text.size(), limit);
  s.begin = std::min<size_t>(e.begin, keep);
  s.end = std::min<size_t>(e.end, keep);
  if (s.end < s.begin) s.end = s.begin;
  return s;
}

}  // namespace appdiag
