#include "analyzer/report/report_model.h"

#include <algorithm>

namespace appdiag {

namespace {

// Findings that head a section: the root cause first, then every other root
// cause (including ones demoted for appearing only after the platform's stop).
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

// Everything `cause` explains, directly or through another symptom, in
// diagnosis order.
std::vector<size_t> symptoms_of(const Finding& cause, const Diagnosis& d) {
  std::vector<std::string> ids = cause.symptoms;
  for (size_t i = 0; i < ids.size(); ++i)
    for (const Finding& f : d.findings)
      if (f.rule->id == ids[i])
        for (const auto& next : f.symptoms)
          if (std::find(ids.begin(), ids.end(), next) == ids.end()) ids.push_back(next);
  std::vector<size_t> out;
  for (size_t i = 0; i < d.findings.size(); ++i)
    if (std::find(ids.begin(), ids.end(), d.findings[i].rule->id) != ids.end()) out.push_back(i);
  return out;
}

ShownEvidence shown(const EvidenceLine& e) { return {&e, where(e), shown_line(e)}; }

EvidenceWindow window(const std::vector<EvidenceLine>& lines, uint64_t matched) {
  EvidenceWindow w;
  size_t count = std::min(lines.size(), kEvidenceShown);
  for (size_t i = lines.size() - count; i < lines.size(); ++i) w.lines.push_back(shown(lines[i]));
  if (matched > count) w.not_shown = matched - count;
  return w;
}

// The rule's decisive lines prove the cause best; without any, the latest do.
EvidenceWindow decisive(const Finding& f) {
  if (f.lead_lines == 0) {
    EvidenceWindow w = window(f.evidence, f.matched_lines);
    size_t drop = w.lines.size() > kDecisiveShown ? w.lines.size() - kDecisiveShown : 0;
    w.lines.erase(w.lines.begin(), w.lines.begin() + static_cast<std::ptrdiff_t>(drop));
    w.not_shown += drop;
    return w;
  }
  EvidenceWindow w;
  size_t count = std::min({f.lead_lines, f.evidence.size(), kDecisiveShown});
  for (size_t i = 0; i < count; ++i) w.lines.push_back(shown(f.evidence[i]));
  w.not_shown = f.matched_lines > count ? f.matched_lines - count : 0;
  return w;
}

}  // namespace

bool fails(const Finding& f, const ReportOptions& o) {
  return o.fail_on && f.status == FindingStatus::Current && f.rule->severity >= *o.fail_on;
}

std::unique_ptr<ReportModel> build_report_model(const Diagnosis& d, const RuleSet& rules, const ReportOptions& o) {
  auto m = std::make_unique<ReportModel>(d, rules, o);
  m->header = report_header(d, o);
  m->header_fields = header_fields(m->header);
  const Finding* root = d.root_cause();
  m->findings.reserve(d.findings.size());  // views point into it: no reallocation after this
  for (const Finding& f : d.findings) {
    FindingView v;
    v.finding = &f;
    v.is_root = &f == root;
    v.fails = fails(f, o);
    v.window = window(f.evidence, f.matched_lines);
    v.decisive = decisive(f);
    if (!f.evidence.empty()) v.latest = shown(f.evidence.back());
    m->failing += v.fails;
    m->findings.push_back(std::move(v));
  }
  for (size_t i = 0; i < d.findings.size(); ++i)
    for (size_t s : symptoms_of(d.findings[i], d)) m->findings[i].symptoms.push_back(&m->findings[s]);
  for (const Finding* f : headline_findings(d)) m->causes.push_back(&m->view(*f));
  if (root) m->root = &m->view(*root);
  m->startup_observed = window(d.started.lines, d.started.lines.size());
  for (const FindingView& v : m->findings) {
    if (v.finding->status == FindingStatus::Intermittent) m->intermittent.push_back(&v);
    if (v.finding->status == FindingStatus::Resolved) m->resolved.push_back(&v);
  }
  return m;
}

}  // namespace appdiag
