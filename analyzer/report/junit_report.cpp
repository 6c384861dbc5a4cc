// JUnit XML for CI test views: every rule of the pack is a testcase, so a
// run shows what was checked; a finding at or above --fail-on fails its case.
#include <sstream>

#include "analyzer/report/html_escape.h"
#include "analyzer/report/report_model.h"

namespace appdiag {

namespace {

const FindingView* finding_for(const Rule& rule, const ReportModel& m) {
  for (const FindingView& v : m.findings)
    if (v.finding->rule == &rule || v.finding->rule->id == rule.id) return &v;
  return nullptr;
}

std::string details(const Finding& f) {
  std::ostringstream t;
  const Rule& r = *f.rule;
  t << r.title << "\n";
  if (!r.summary.empty()) t << r.summary << "\n";
  if (f.root_cause) t << "Root cause.\n";
  for (const auto& by : f.explained_by) t << "A symptom of " << by << ".\n";
  t << "Evidence (" << f.matched_lines << " matching line" << (f.matched_lines == 1 ? "" : "s") << "):\n";
  for (const EvidenceLine& e : f.evidence) t << "  " << where(e) << "  " << shown_line(e).text << "\n";
  t << "What to do:\n";
  for (size_t i = 0; i < f.remediation.size(); ++i) t << "  " << i + 1 << ". " << f.remediation[i] << "\n";
  return escape_markup(t.str());
}

void write_case(const Rule& r, const FindingView* v, std::ostream& out) {
  out << "    <testcase classname=\"appdiag." << escape_markup(r.category.empty() ? "rules" : r.category)
      << "\" name=\"" << escape_markup(r.id) << "\" file=\"" << escape_markup(r.file) << "\"";
  if (!v) {
    out << "/>\n";
    return;
  }
  out << ">\n";
  if (v->fails)
    out << "      <failure type=\"" << to_string(r.severity) << "\" message=\"" << escape_markup(r.title) << "\">"
        << details(*v->finding) << "</failure>\n";
  else
    out << "      <system-out>" << details(*v->finding) << "</system-out>\n";
  out << "    </testcase>\n";
}

// What could not be read and the notes (a guessed input kind among them), in
// the suite's own output, where CI test views show it.
void write_run_notes(const Diagnosis& d, std::ostream& out) {
  if (d.unreadable.empty() && d.notes.empty()) return;
  std::string text;
  for (const auto& u : d.unreadable) text += "Could not read: " + u + "\n";
  for (const auto& n : d.notes) text += "Note: " + n + "\n";
  out << "    <system-out>" << escape_markup(text) << "</system-out>\n";
}

}  // namespace

void write_junit(const ReportModel& m, std::ostream& out) {
  const RuleSet& rules = m.rules;
  size_t failures = m.failing;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites name=\"appdiag\" tests=\"" << rules.rules.size() << "\" failures=\"" << failures << "\">\n"
      << "  <testsuite name=\"appdiag\" tests=\"" << rules.rules.size() << "\" failures=\"" << failures
      << "\" errors=\"0\" skipped=\"0\">\n    <properties>\n";
  for (const auto& [label, value] : m.header_fields)
    out << "      <property name=\"" << escape_markup(label) << "\" value=\"" << escape_markup(value) << "\"/>\n";
  out << "    </properties>\n";
  for (const Rule& r : rules.rules) write_case(r, finding_for(r, m), out);
  write_run_notes(m.diagnosis, out);
  out << "  </testsuite>\n</testsuites>\n";
}

}  // namespace appdiag
