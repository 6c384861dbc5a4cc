// The text report: what a person reads first. Root cause on top with its
// proof and numbered steps, symptoms under it, then the rest.
#include <algorithm>
#include <map>

#include "analyzer/report/report_header.h"
#include "analyzer/report/report_util.h"
#include "analyzer/report/reporters.h"
#include "analyzer/core/text_escape.h"

namespace appdiag {

namespace {

constexpr size_t kTemplatesShown = 10;
constexpr size_t kTimelineHead = 10;
constexpr size_t kTimelineTail = 30;

std::string location(const EvidenceLine& e) { return escape_for_terminal(where(e)); }

std::string severity_tag(const Rule& rule) {
  std::string tag = "[";
  return tag.append(to_string(rule.severity)).append("]");
}

void write_evidence(const Finding& f, const std::string& indent, std::ostream& out) {
  // The latest lines prove the current state best.
  size_t shown = std::min(f.evidence.size(), kEvidenceShown);
  size_t first = f.evidence.size() - shown;
  for (size_t i = first; i < f.evidence.size(); ++i) {
    const EvidenceLine& e = f.evidence[i];
    out << indent << location(e) << "  " << escape_for_terminal(shown_line(e).text)
        << (e.truncated ? "  [line truncated]" : "") << "\n";
  }
  if (f.matched_lines > shown)
    out << indent << "(" << f.matched_lines - shown << " more matching line"
        << (f.matched_lines - shown == 1 ? "" : "s") << " not shown)\n";
}

void write_attempts(const Finding& f, const Diagnosis& d, std::ostream& out) {
  if (d.attempts < 2 || f.attempts_with == 0) return;
  out << "  Seen in " << f.attempts_with << " of " << d.attempts << " start attempts"
      << (f.in_latest_attempt ? ", including the latest" : "; not in the latest") << ".\n";
}

void write_finding(const Finding& f, const Diagnosis& d, std::ostream& out) {
  const Rule& r = *f.rule;
  // Rule text is data from a pack that may not be ours: escaped like log text.
  out << severity_tag(r) << " " << r.id << ": " << escape_for_terminal(r.title) << "\n";
  if (!r.summary.empty()) out << "  " << escape_for_terminal(r.summary) << "\n";
  if (r.confidence != Confidence::High)
    out << "  Confidence: " << to_string(r.confidence) << (r.note.empty() ? "" : " — " + r.note) << "\n";
  write_attempts(f, d, out);
  if (f.after_stop && d.stopped_at_ms)
    out << "  Seen only after the platform stopped the site at " << clock_text(*d.stopped_at_ms)
        << " UTC: not the cause of that stop.\n";
  if (!f.evidence.empty()) {
    out << "  Evidence:\n";
    write_evidence(f, "    ", out);
  }
  out << "  What to do:\n";
  for (size_t i = 0; i < f.remediation.size(); ++i)
    out << "    " << i + 1 << ". " << escape_for_terminal(f.remediation[i]) << "\n";
  for (const Reference& ref : r.references) out << "  See: " << escape_for_terminal(ref.title) << " <" << escape_for_terminal(ref.url) << ">\n";
}

void write_symptoms(const Finding& cause, const Diagnosis& d, std::ostream& out) {
  auto symptoms = symptoms_of(cause, d);
  if (!symptoms.empty()) out << "  Symptoms explained by this:\n";
  for (const Finding* s : symptoms) {
    out << "    " << severity_tag(*s->rule) << " " << s->rule->id << ": " << escape_for_terminal(s->rule->title) << "\n";
    write_evidence(*s, "        ", out);
  }
}

void write_unrecognised(const Diagnosis& d, std::ostream& out) {
  if (d.unrecognised.empty()) return;
  size_t total = d.unrecognised.size() + d.unrecognised_left_out;
  out << "\nUNRECOGNISED ERRORS (no rule explains them; " << total << " template" << (total == 1 ? "" : "s") << ")\n";
  size_t shown = std::min(d.unrecognised.size(), kTemplatesShown);
  for (size_t i = 0; i < shown; ++i) {
    const ErrorTemplate& t = d.unrecognised[i];
    out << "  " << t.count << "x  " << escape_for_terminal(shorten(t.pattern)) << "\n";
    out << "      first " << location(t.first) << ", last " << location(t.last) << "; e.g. "
        << escape_for_terminal(shorten(t.example.text)) << "\n";
  }
  if (total > shown) out << "  (" << total - shown << " more templates; --format json lists up to " << kMaxTemplates << ")\n";
}

void write_timeline_event(const TimelineEvent& e, bool with_date, std::ostream& out) {
  std::string none = with_date ? "----------" + std::string(" --:--:--.---") : "--:--:--.---";
  out << "  " << (e.has_time ? clock_text(e.utc_ms, with_date) : none) << "  " << e.attempt << "  "
      << e.phase << "  " << e.label << "  " << location(e.where);
  if (!e.instance.empty()) out << "  [" << escape_for_terminal(e.instance) << "]";
  out << "\n";
}

void write_timeline(const Diagnosis& d, std::ostream& out) {
  const auto& events = d.timeline.events;
  if (events.empty()) return;
  out << "\nTIMELINE (UTC; " << d.timeline.attempts << " start attempt" << (d.timeline.attempts == 1 ? "" : "s")
      << "; time  attempt  phase  event  where)\n";
  // The start and the end of the story matter most; the middle is elided.
  size_t head = std::min(events.size(), kTimelineHead);
  size_t tail = std::min(events.size() - head, kTimelineTail);
  for (size_t i = 0; i < head; ++i) write_timeline_event(events[i], d.spans_days(), out);
  if (events.size() > head + tail) out << "  ... " << events.size() - head - tail << " more events ...\n";
  for (size_t i = events.size() - tail; i < events.size(); ++i) write_timeline_event(events[i], d.spans_days(), out);
}

void write_sources(const Diagnosis& d, std::ostream& out) {
  uint64_t lines = 0, bytes = 0;
  for (const SourceReport& s : d.sources) lines += s.lines, bytes += s.bytes;
  out << "Read " << d.sources.size() << " source" << (d.sources.size() == 1 ? "" : "s") << ", "
      << lines << " lines, " << bytes << " bytes:\n";
  for (const SourceReport& s : d.sources) {
    out << "  " << to_string(s.kind) << "  " << escape_for_terminal(s.name);
    if (!s.part.empty()) out << " (" << escape_for_terminal(s.part) << ")";
    out << "  " << s.lines << " lines";
    if (s.attempts) out << ", " << s.attempts << " start attempt" << (s.attempts == 1 ? "" : "s");
    if (s.truncated_lines)
      out << ", " << s.truncated_lines << " long line(s) matched on their head only (first: line "
          << s.first_truncated_line << ")";
    out << "\n";
  }
  for (const auto& u : d.unreadable) out << "Could not read: " << escape_for_terminal(u) << "\n";
  for (const auto& n : d.notes) out << "Note: " << escape_for_terminal(n) << "\n";
  if (!d.redacted) out << "Secrets were NOT redacted (--no-redact).\n";
}

}  // namespace

// Findings that held earlier but not now, with when they were last seen.
void write_history(const Diagnosis& d, std::ostream& out) {
  for (FindingStatus status : {FindingStatus::Intermittent, FindingStatus::Resolved}) {
    bool header = false;
    for (const Finding& f : d.findings) {
      if (f.status != status) continue;
      if (!header)
        out << (status == FindingStatus::Resolved ? "\nRESOLVED EARLIER (a later start or deployment succeeded)\n"
                                                   : "\nINTERMITTENT (not in the latest start attempt)\n");
      header = true;
      out << "  " << severity_tag(*f.rule) << " " << f.rule->id << ": " << f.rule->title;
      if (f.last_seen_ms) out << " — last seen " << clock_text(*f.last_seen_ms, true) << " UTC";
      out << " (" << f.matched_lines << " line" << (f.matched_lines == 1 ? "" : "s") << ")\n";
      write_evidence(f, "    ", out);
    }
  }
}

void write_text(const Diagnosis& d, const RuleSet&, const ReportOptions& o, std::ostream& out) {
  std::vector<const Finding*> headline = headline_findings(d);
  const Finding* root = d.root_cause();
  if (!d.state.headline.empty()) out << "NOW: " << escape_for_terminal(d.state.headline) << "\n\n";
  if (!root) out << "No known failure found.\n";
  for (const Finding* f : headline) {
    if (f == root) out << "ROOT CAUSE ";
    else if (f == headline[root ? 1 : 0]) out << "\nOTHER FINDINGS\n";
    write_finding(*f, d, out);
    write_symptoms(*f, d, out);
  }
  write_history(d, out);
  write_unrecognised(d, out);
  if (d.startup.known || !d.startup.path.empty()) {
    out << "\n";
    write_startup_text(d.startup, out);
  }
  write_timeline(d, out);
  out << "\n";
  write_sources(d, out);
  // Last: the top of the text report is the root cause, what a person reads first.
  for (const auto& [label, value] : header_fields(report_header(d, o)))
    out << label << ": " << escape_for_terminal(value) << "\n";
}

}  // namespace appdiag
