// Markdown for tickets and GitHub issues: the text report's content, with
// evidence in code fences. Blocks are added in order of importance and the
// report stops, saying so, before it would pass ReportOptions::markdown_limit.
#include <algorithm>
#include <sstream>

#include "analyzer/report/report_model.h"
#include "analyzer/report/startup_text.h"
#include "analyzer/core/text_escape.h"

namespace appdiag {

namespace {


// Prose from logs (captures in remediation): no raw HTML or emphasis.
std::string prose(std::string_view text) {
  std::string out;
  for (char c : escape_for_terminal(text)) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '\\' || c == '*' || c == '_' || c == '`' || c == '[' || c == ']' || c == '|') out += '\\', out += c;
    else out += c;
  }
  return out;
}

// A fence one backtick longer than the longest run inside cannot be closed early.
std::string fenced(const std::string& body) {
  size_t longest = 0, run = 0;
  for (char c : body) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(std::max<size_t>(3, longest + 1), '`');
  return fence + "text\n" + body + fence + "\n";
}

std::string evidence_block(const EvidenceWindow& w) {
  if (w.lines.empty()) return "";
  std::string body;
  for (const ShownEvidence& e : w.lines) body += escape_for_terminal(e.where + "  " + e.shown.text) + "\n";
  std::string more;
  if (w.not_shown) more = "_" + std::to_string(w.not_shown) + " more matching line(s) not shown._\n";
  return fenced(body) + more;
}

std::string finding_block(const FindingView& v, const Diagnosis& d, const std::string& heading) {
  const Finding& f = *v.finding;
  const Rule& r = *f.rule;
  std::ostringstream m;
  m << heading << " `" << r.id << "` — " << prose(r.title) << " (" << to_string(r.severity) << ")\n\n";
  if (!r.summary.empty()) m << prose(r.summary) << "\n\n";
  if (r.confidence != Confidence::High) m << "Confidence: " << to_string(r.confidence) << (r.note.empty() ? "" : " — " + prose(r.note)) << "\n\n";
  if (d.attempts >= 2 && f.attempts_with)
    m << "Seen in " << f.attempts_with << " of " << d.attempts << " start attempts"
      << (f.in_latest_attempt ? ", including the latest" : "; not in the latest") << ".\n\n";
  if (f.after_stop) m << "Seen only after the platform stopped the site: not the cause of that stop.\n\n";
  if (!f.evidence.empty()) m << "**Evidence**\n\n" << evidence_block(v.window) << "\n";
  if (!f.remediation.empty()) m << "**What to do**\n\n";
  for (size_t i = 0; i < f.remediation.size(); ++i) m << i + 1 << ". " << prose(f.remediation[i]) << "\n";
  if (!f.remediation.empty()) m << "\n";
  for (const Reference& ref : r.references) m << "- See: [" << prose(ref.title) << "](" << ref.url << ")\n";
  if (!r.references.empty()) m << "\n";
  return m.str();
}

std::string startup_block(const StartupPrediction& s, const StartupObserved& o) {
  if (!s.known && s.path.empty()) return "";
  std::ostringstream text;
  write_startup_text(s, o, text);  // already escaped for a terminal, line by line
  return "## Startup prediction\n\n" + fenced(text.str()) + "\n";
}

std::string timeline_block(const Timeline& t) {
  if (t.events.empty()) return "";
  std::ostringstream m;
  m << "## Timeline (UTC, " << t.attempts << " start attempt" << (t.attempts == 1 ? "" : "s") << ")\n\n"
    << "| Time | Attempt | Phase | Event | Where |\n|---|---|---|---|---|\n";
  for (const TimelineEvent& e : t.events)
    m << "| " << (e.has_time ? clock_text(e.utc_ms) : "—") << " | " << e.attempt << " | " << prose(e.phase) << " | "
      << prose(e.label) << " | " << prose(where(e.where)) << " |\n";
  return m.str() + "\n";
}

std::string unrecognised_block(const Diagnosis& d) {
  if (d.unrecognised.empty()) return "";
  std::string body;
  for (const ErrorTemplate& t : d.unrecognised)
    body += std::to_string(t.count) + "x  " + escape_for_terminal(t.pattern) + "\n    e.g. " +
            escape_for_terminal(where(t.example) + "  " + shown_line(t.example).text) + "\n";
  std::string more = d.unrecognised_left_out ? std::to_string(d.unrecognised_left_out) + " more templates not listed.\n\n" : "";
  return "## Unrecognised errors\n\nError lines no rule explains, most frequent first.\n\n" + fenced(body) + "\n" + more;
}

std::string sources_block(const Diagnosis& d) {
  std::ostringstream m;
  m << "## Sources read\n\n| Kind | File | Lines | Bytes | Notes |\n|---|---|---|---|---|\n";
  for (const SourceReport& s : d.sources) {
    std::string notes = s.error;
    if (s.truncated_lines) notes += (notes.empty() ? "" : "; ") + std::to_string(s.truncated_lines) + " long line(s) matched on their head only";
    m << "| " << to_string(s.kind) << " | " << prose(s.name + (s.part.empty() ? "" : " (" + s.part + ")")) << " | "
      << s.lines << " | " << s.bytes << " | " << prose(notes) << " |\n";
  }
  m << "\n";
  for (const auto& u : d.unreadable) m << "- Could not read: " << prose(u) << "\n";
  for (const auto& n : d.notes) m << "- Note: " << prose(n) << "\n";
  if (!d.redacted) m << "- Secrets were **not** redacted (--no-redact).\n";
  return m.str();
}

std::string header_block(const ReportModel& r) {
  std::ostringstream m;
  for (const auto& [label, value] : r.header_fields) m << "- **" << label << ":** " << prose(value) << "\n";
  return m.str() + "\n";
}

std::vector<std::string> blocks(const ReportModel& m) {
  const Diagnosis& d = m.diagnosis;
  std::vector<std::string> out = {"# appdiag diagnosis\n\n", header_block(m)};
  if (m.causes.empty()) out.push_back("No known failure found.\n\n");
  for (const FindingView* v : m.causes) {
    out.push_back(finding_block(*v, d, v == m.root ? "## Root cause:" : "## Other finding:"));
    for (const FindingView* s : v->symptoms) out.push_back(finding_block(*s, d, "### Symptom:"));
  }
  for (auto b : {unrecognised_block(d), startup_block(d.startup, d.started), timeline_block(d.timeline), sources_block(d)})
    if (!b.empty()) out.push_back(b);
  return out;
}

}  // namespace

void write_markdown(const ReportModel& m, std::ostream& out) {
  constexpr size_t kNoteRoom = 200;
  const ReportOptions& o = m.options;
  auto all = blocks(m);
  size_t used = 0, i = 0;
  for (; i < all.size() && used + all[i].size() + kNoteRoom <= o.markdown_limit; ++i) {
    out << all[i];
    used += all[i].size();
  }
  if (i < all.size())
    out << "\n_Report truncated to stay under " << o.markdown_limit << " bytes: " << all.size() - i
        << " section(s) left out. Use --format json or html for everything._\n";
}

}  // namespace appdiag
