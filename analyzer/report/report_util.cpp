#include "analyzer/report/report_util.h"

#include <algorithm>

#include "analyzer/core/text_escape.h"

namespace appdiag {

std::vector<const Finding*> headline_findings(const Diagnosis& d) {
  std::vector<const Finding*> out;
  const Finding* root = d.root_cause();
  if (root) out.push_back(root);
  for (const Finding& f : d.findings) {
    bool demoted_cause = f.after_stop && f.explained_by.empty();
    if (&f != root && f.status == FindingStatus::Current && (f.root_cause || demoted_cause)) out.push_back(&f);
  }
  return out;
}

std::vector<const Finding*> symptoms_of(const Finding& cause, const Diagnosis& d) {
  std::vector<std::string> ids = cause.symptoms;
  for (size_t i = 0; i < ids.size(); ++i)
    for (const Finding& f : d.findings)
      if (f.rule->id == ids[i])
        for (const auto& next : f.symptoms)
          if (std::find(ids.begin(), ids.end(), next) == ids.end()) ids.push_back(next);
  std::vector<const Finding*> out;
  for (const Finding& f : d.findings)
    if (std::find(ids.begin(), ids.end(), f.rule->id) != ids.end()) out.push_back(&f);
  return out;
}

std::string where(const EvidenceLine& e) {
  std::string w = e.file + ":" + std::to_string(e.line);
  if (!e.part.empty()) w += " (" + e.part + ")";
  return w;
}

// Only what holds now fails a gate: resolved and intermittent findings never do.
bool fails(const Finding& f, const ReportOptions& o) {
  return o.fail_on && f.status == FindingStatus::Current && f.rule->severity >= *o.fail_on;
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
