#include "analyzer/report/explain_report.h"

#include "analyzer/core/text_escape.h"

namespace appdiag {

namespace {

std::string kinds_of(const LogMatch& m) {
  std::string kinds;
  for (SourceKind k : m.kinds) kinds += (kinds.empty() ? "" : ",") + std::string(to_string(k));
  return kinds;
}

std::string folder(bool dir_only) { return dir_only ? " (folder)" : ""; }

std::string describe(const SettingTest& s) {
  switch (s.op) {
    case SettingTest::Op::Absent: return "setting " + s.name + " is absent";
    case SettingTest::Op::Present: return "setting " + s.name + " is set";
    case SettingTest::Op::Equals: return "setting " + s.name + " equals \"" + s.value + "\"";
    case SettingTest::Op::Matches: return "setting " + s.name + " matches /" + s.regex->pattern() + "/";
  }
  return "setting";
}

// One line per node type; a visitor so that a new node type cannot be forgotten.
struct Describe {
  std::string operator()(const AllOf&) const { return "all of"; }
  std::string operator()(const AnyOf&) const { return "any of"; }
  std::string operator()(const NoneOf&) const { return "none of"; }
  std::string operator()(const LogMatch& m) const { return "log line /" + m.regex + "/ in " + kinds_of(m); }
  std::string operator()(const FileGlob& g) const { return "listing has " + g.glob + folder(g.dir_only); }
  std::string operator()(const PathMatch& p) const { return "listing path /" + p.regex_text + "/" + folder(p.dir_only); }
  std::string operator()(const ContentMatch& m) const {
    return "content of " + m.file + " matches /" + m.regex->pattern() + "/";
  }
  std::string operator()(const SettingTest& s) const { return describe(s); }
  std::string operator()(const CapturesDiffer& d) const { return "captures differ: " + d.first + " != " + d.second; }
};

std::string describe(const Condition& c) { return std::visit(Describe{}, c.node); }

void write_trace(const Trace& t, int depth, std::ostream& out) {
  std::string indent(2 * depth, ' ');
  const Condition& c = *t.condition;
  out << indent << "[" << to_string(t.value) << "] " << escape_for_terminal(describe(c));
  if (!t.detail.empty()) out << " — " << escape_for_terminal(t.detail);
  if (t.value == Tri::True && t.matched_lines) out << " — " << t.matched_lines << " matching";
  out << "\n";
  if (!c.why.empty()) out << indent << "    why: " << escape_for_terminal(c.why) << "\n";
  if (t.children.empty()) {
    size_t shown = 0;
    for (auto it = t.evidence.rbegin(); it != t.evidence.rend() && shown < 3; ++it, ++shown)
      out << indent << "    " << escape_for_terminal(it->file) << ":" << it->line << "  "
          << escape_for_terminal(it->text.substr(0, 200)) << "\n";
  }
  for (const Trace& child : t.children) write_trace(child, depth + 1, out);
}

void write_condition(const Condition& c, int depth, std::ostream& out) {
  out << std::string(2 * depth, ' ') << escape_for_terminal(describe(c)) << "\n";
  if (!c.why.empty()) out << std::string(2 * depth, ' ') << "    why: " << escape_for_terminal(c.why) << "\n";
  for (const Condition& child : c.children()) write_condition(child, depth + 1, out);
}

}  // namespace

void write_rule(const Rule& rule, std::ostream& out) {
  out << rule.id << " (" << to_string(rule.severity) << ", " << to_string(rule.confidence) << " confidence): "
      << escape_for_terminal(rule.title) << "\n";
  if (!rule.summary.empty()) out << escape_for_terminal(rule.summary) << "\n";
  out << "Fires when:\n";
  write_condition(rule.when, 1, out);
  if (!rule.explains.empty()) {
    out << "Explains:";
    for (const auto& id : rule.explains) out << " " << id;
    out << "\n";
  }
  if (!rule.remediation.empty()) out << "Remediation:\n";
  for (size_t i = 0; i < rule.remediation.size(); ++i)
    for (size_t a = 0; a < rule.remediation[i].size(); ++a)
      out << (a == 0 ? "  " + std::to_string(i + 1) + ". " : "     otherwise: ")
          << escape_for_terminal(rule.remediation[i][a]) << "\n";
  for (const Reference& r : rule.references) out << "See: " << escape_for_terminal(r.title) << " <" << escape_for_terminal(r.url) << ">\n";
  out << "File: " << escape_for_terminal(rule.file) << "\n";
}

void write_explain(const Rule& rule, const Trace& trace, std::ostream& out) {
  out << rule.id << ": " << escape_for_terminal(rule.title) << "\n";
  out << (trace.value == Tri::True ? "FIRES" : "does not fire") << " (the condition tree is "
      << to_string(trace.value) << ")\n";
  write_trace(trace, 1, out);
}

}  // namespace appdiag
