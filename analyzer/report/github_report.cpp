// GitHub Actions workflow commands, shown on the run's summary and, when the
// file is in the repository, on that line: one annotation per root cause (its
// symptoms named in its message, not annotated again), and a ::warning or
// ::notice for any other finding.
#include <algorithm>

#include "analyzer/report/report_model.h"
#include "analyzer/core/text_escape.h"

namespace appdiag {

namespace {

// The runner splits a command at newlines and decodes only these escapes.
std::string escape_data(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

// Properties end at ',' and the property list at "::".
std::string escape_property(std::string_view text) {
  std::string out;
  for (char c : escape_data(text)) {
    if (c == ',') out += "%2C";
    else if (c == ':') out += "%3A";
    else out += c;
  }
  return out;
}

std::string_view command_for(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "notice";
  }
  return "notice";
}

// Root causes at their severity; other findings below error.
std::string_view command_for(const Finding& f) {
  if (f.root_cause || f.rule->severity != Severity::Error) return command_for(f.rule->severity);
  return "warning";
}

// What proves the finding: the rule's decisive lines (the exception, the
// tool's error) when it has any, else the latest line, which proves the
// current state best, as in the text report.
std::vector<const ShownEvidence*> proof(const FindingView& v) {
  std::vector<const ShownEvidence*> out;
  if (v.finding->lead_lines > 0)
    for (const ShownEvidence& e : v.decisive.lines) out.push_back(&e);
  else if (v.latest.line)
    out.push_back(&v.latest);
  return out;
}

std::string message(const FindingView& v) {
  const Finding& f = *v.finding;
  const Rule& r = *f.rule;
  std::string m = r.summary.empty() ? r.title : r.summary;
  for (size_t i = 0; i < v.symptoms.size(); ++i) {
    const Rule& s = *v.symptoms[i]->finding->rule;
    m += (i ? ", " : "\nSymptoms: ") + s.id + " (" + s.title + ")";
  }
  for (const ShownEvidence* e : proof(v)) m += "\nEvidence " + e->where + ": " + e->shown.text;
  for (size_t i = 0; i < f.remediation.size(); ++i) m += "\n" + std::to_string(i + 1) + ". " + f.remediation[i];
  return m;
}

// Log text may carry terminal escapes (the Actions log is a terminal too);
// the newlines between the message's lines are kept for escape_data.
std::string visible_lines(std::string_view text) {
  std::string out;
  for (size_t start = 0; start <= text.size();) {
    size_t nl = std::min(text.find('\n', start), text.size());
    if (start) out += '\n';
    out += escape_for_terminal(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

// One command whose message lists `lines`, each prefixed: a command for all of
// them keeps within the runner's cap of annotations per step.
void write_list(std::string_view command, std::string_view title, std::string_view prefix,
                const std::vector<std::string>& lines, std::ostream& out) {
  if (lines.empty()) return;
  std::string text;
  for (const auto& l : lines) text += (text.empty() ? "" : "\n") + std::string(prefix) + escape_for_terminal(l);
  out << "::" << command << " title=" << escape_property(title) << "::" << escape_data(text) << "\n";
}

// The report header (app, inputs, window, time range, generated, tool) on one line.
void write_header(const ReportModel& m, std::ostream& out) {
  std::string text;
  for (const auto& [label, value] : m.header_fields) text += (text.empty() ? "" : "; ") + label + ": " + value;
  out << "::notice title=appdiag report::" << escape_data(escape_for_terminal(text)) << "\n";
}

}  // namespace

void write_github(const ReportModel& m, std::ostream& out) {
  const Diagnosis& d = m.diagnosis;
  if (d.findings.empty()) out << "::notice title=appdiag::No known failure found\n";
  for (const FindingView& v : m.findings) {
    const Finding& f = *v.finding;
    if (!f.explained_by.empty()) continue;  // in its cause's message
    const Rule& r = *f.rule;
    out << "::" << command_for(f) << " ";
    // "-" (standard input) is no file of the repository: no location then.
    // The annotation sits on the first line that proves the finding.
    std::vector<const ShownEvidence*> lines = proof(v);
    if (!lines.empty() && lines.front()->line->file != "-")
      out << "file=" << escape_property(escape_for_terminal(lines.front()->line->file)) << ",line=" << lines.front()->line->line << ",";
    std::string title = (f.root_cause ? "Root cause " : "") + r.id + ": " + r.title;
    out << "title=" << escape_property(escape_for_terminal(title)) << "::" << escape_data(visible_lines(message(v))) << "\n";
  }
  // After the findings: what was not read or only guessed, and the header,
  // whose window says when the analysis was restricted.
  write_list("warning", "appdiag could not read", "", d.unreadable, out);
  write_list("notice", "appdiag notes", "Note: ", d.notes, out);
  write_header(m, out);
}

}  // namespace appdiag
