// The text report: what a person reads first. Root cause on top with its
// proof and numbered steps, symptoms under it, then the rest. By default it
// is short (fits on a screen, names what --verbose adds); -q is one line per
// root cause.
#include <algorithm>
#include <map>

#include "analyzer/report/report_model.h"
#include "analyzer/report/reporters.h"
#include "analyzer/report/startup_text.h"
#include "analyzer/core/text_escape.h"

namespace appdiag {

namespace {

constexpr size_t kTemplatesShown = 10;
constexpr size_t kTimelineHead = 10;
constexpr size_t kTimelineTail = 30;

// Timeline and template lines are not evidence windows; same "file:line" as those.
std::string location(const EvidenceLine& e) { return escape_for_terminal(where(e)); }

std::string severity_tag(const Rule& rule) {
  std::string tag = "[";
  return tag.append(to_string(rule.severity)).append("]");
}

void write_evidence(const EvidenceWindow& w, const std::string& indent, std::ostream& out) {
  for (const ShownEvidence& e : w.lines)
    out << indent << escape_for_terminal(e.where) << "  " << escape_for_terminal(e.shown.text)
        << (e.line->truncated ? "  [line truncated]" : "") << "\n";
  if (w.not_shown)
    out << indent << "(" << w.not_shown << " more matching line" << (w.not_shown == 1 ? "" : "s") << " not shown)\n";
}

void write_attempts(const Finding& f, const Diagnosis& d, std::ostream& out) {
  if (d.attempts < 2 || f.attempts_with == 0) return;
  out << "  Seen in " << f.attempts_with << " of " << d.attempts << " start attempts"
      << (f.in_latest_attempt ? ", including the latest" : "; not in the latest") << ".\n";
}

void write_finding(const FindingView& v, const Diagnosis& d, std::ostream& out) {
  const Finding& f = *v.finding;
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
    write_evidence(v.window, "    ", out);
  }
  out << "  What to do:\n";
  for (size_t i = 0; i < f.remediation.size(); ++i)
    out << "    " << i + 1 << ". " << escape_for_terminal(f.remediation[i]) << "\n";
  for (const Reference& ref : r.references) out << "  See: " << escape_for_terminal(ref.title) << " <" << escape_for_terminal(ref.url) << ">\n";
}

void write_symptoms(const FindingView& cause, std::ostream& out) {
  if (!cause.symptoms.empty()) out << "  Symptoms explained by this:\n";
  for (const FindingView* s : cause.symptoms) {
    const Rule& r = *s->finding->rule;
    out << "    " << severity_tag(r) << " " << r.id << ": " << escape_for_terminal(r.title) << "\n";
    write_evidence(s->window, "        ", out);
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
    if (!s.error.empty()) out << ", then a read error: " << escape_for_terminal(s.error);
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

// Findings that held earlier but not now, with when they were last seen.
void write_history(const ReportModel& m, std::ostream& out) {
  for (FindingStatus status : {FindingStatus::Intermittent, FindingStatus::Resolved}) {
    const auto& views = status == FindingStatus::Resolved ? m.resolved : m.intermittent;
    if (views.empty()) continue;
    out << (status == FindingStatus::Resolved ? "\nRESOLVED EARLIER (a later start or deployment succeeded)\n"
                                               : "\nINTERMITTENT (not in the latest start attempt)\n");
    for (const FindingView* v : views) {
      const Finding& f = *v->finding;
      out << "  " << severity_tag(*f.rule) << " " << f.rule->id << ": " << f.rule->title;
      if (f.last_seen_ms) out << " — last seen " << clock_text(*f.last_seen_ms, true) << " UTC";
      out << " (" << f.matched_lines << " line" << (f.matched_lines == 1 ? "" : "s") << ")\n";
      write_evidence(v->window, "    ", out);
    }
  }
}

// --- short and quiet ---------------------------------------------------

void write_short_cause(const FindingView& v, const Diagnosis& d, std::ostream& out) {
  const Finding& f = *v.finding;
  const Rule& r = *f.rule;
  out << severity_tag(r) << " " << r.id << ": " << escape_for_terminal(r.title) << "\n";
  if (!r.summary.empty()) out << "  " << escape_for_terminal(r.summary) << "\n";
  write_attempts(f, d, out);
  if (!v.decisive.lines.empty()) {
    out << "  Evidence:\n";
    write_evidence(v.decisive, "    ", out);
  }
  if (!f.remediation.empty()) out << "  What to do:\n";
  for (size_t i = 0; i < f.remediation.size(); ++i)
    out << "    " << i + 1 << ". " << escape_for_terminal(f.remediation[i]) << "\n";
  std::string ids;
  for (const FindingView* s : v.symptoms) ids += (ids.empty() ? "" : ", ") + s->finding->rule->id;
  if (!ids.empty()) out << "  Symptoms: " << ids << "\n";
}

// "Instances: A (failed), B (ready); 6 start attempts", when the logs name any.
void write_instances(const Diagnosis& d, std::ostream& out) {
  std::string names;
  for (const InstanceState& i : d.state.instances)
    if (!i.name.empty()) names += (names.empty() ? "" : ", ") + escape_for_terminal(i.name) + " (" + std::string(to_string(i.outcome)) + ")";
  size_t attempts = d.state.attempts.size();  // over every instance
  if (names.empty() && attempts < 2) return;
  out << "Instances: " << (names.empty() ? "not named in the logs" : names);
  if (attempts) out << "; " << attempts << " start attempt" << (attempts == 1 ? "" : "s");
  out << "\n";
}

// The sections only --verbose shows, by name, so nothing is hidden silently.
std::vector<std::string> verbose_sections(const ReportModel& m) {
  const Diagnosis& d = m.diagnosis;
  std::vector<std::string> out;
  for (const FindingView* v : m.causes)
    if (!v->symptoms.empty()) {
      out.emplace_back("symptom evidence");
      break;
    }
  if (!m.resolved.empty()) out.emplace_back("resolved earlier");
  if (!m.intermittent.empty()) out.emplace_back("intermittent");
  if (!d.unrecognised.empty()) out.emplace_back("unrecognised errors");
  if (d.startup.known || !d.startup.path.empty()) out.emplace_back("startup prediction");
  if (!d.timeline.events.empty()) out.emplace_back("timeline");
  out.emplace_back("sources read");
  return out;
}

// What holds now and the headline causes, root cause first: `each` writes one
// cause under its heading (the short and the full report differ only there).
template <class Each>
void write_causes(const ReportModel& m, std::ostream& out, Each each) {
  const Diagnosis& d = m.diagnosis;
  if (!d.state.headline.empty()) out << "NOW: " << escape_for_terminal(d.state.headline) << "\n\n";
  if (!m.root) out << "No known failure found.\n";
  for (const FindingView* v : m.causes) {
    if (v == m.root) out << "ROOT CAUSE ";
    else if (v == m.causes[m.root ? 1 : 0]) out << "\nOTHER FINDINGS\n";
    each(*v);
  }
}

void write_short(const ReportModel& m, std::ostream& out) {
  const Diagnosis& d = m.diagnosis;
  write_causes(m, out, [&](const FindingView& v) {
    if (&v == m.root) write_short_cause(v, d, out);
    else out << "  " << severity_tag(*v.finding->rule) << " " << v.finding->rule->id << ": "
             << escape_for_terminal(v.finding->rule->title) << "\n";
  });
  out << "\n";
  write_instances(d, out);
  for (const auto& [label, value] : m.header_fields) out << label << ": " << escape_for_terminal(value) << "\n";
  // What a reader must not miss even here: input that was not read or only
  // guessed, logs of another stack, secrets shown.
  for (const auto& u : d.unreadable) out << "Could not read: " << escape_for_terminal(u) << "\n";
  for (const auto& n : d.key_notes) out << "Note: " << escape_for_terminal(n) << "\n";
  if (!d.redacted) out << "Secrets were NOT redacted (--no-redact).\n";
  auto more = verbose_sections(m);
  std::string names;
  for (const auto& s : more) names += (names.empty() ? "" : ", ") + s;
  out << more.size() << " more section" << (more.size() == 1 ? "" : "s") << ": --verbose (" << names << ")\n";
}

void write_quiet(const ReportModel& m, std::ostream& out) {
  if (m.causes.empty()) out << "No known failure found.\n";
  for (const FindingView* v : m.causes)
    out << (v == m.root ? "ROOT CAUSE " : "") << severity_tag(*v->finding->rule) << " " << v->finding->rule->id << ": "
        << escape_for_terminal(v->finding->rule->title) << "\n";
}

}  // namespace

void write_text(const ReportModel& m, std::ostream& out) {
  if (m.options.text_detail == TextDetail::Quiet) return write_quiet(m, out);
  if (m.options.text_detail == TextDetail::Short) return write_short(m, out);
  const Diagnosis& d = m.diagnosis;
  write_causes(m, out, [&](const FindingView& v) {
    write_finding(v, d, out);
    write_symptoms(v, out);
  });
  write_history(m, out);
  write_unrecognised(d, out);
  if (d.startup.known || !d.startup.path.empty()) {
    out << "\n";
    write_startup_text(d.startup, d.started, out);
  }
  write_timeline(d, out);
  out << "\n";
  write_sources(d, out);
  // Last: the top of the text report is the root cause, what a person reads first.
  for (const auto& [label, value] : m.header_fields) out << label << ": " << escape_for_terminal(value) << "\n";
}

}  // namespace appdiag
