#include "analyzer/report/explain_report.h"

#include "analyzer/core/text_escape.h"

namespace appdiag {

namespace {

std::string describe(const Condition& c) {
  switch (c.type) {
    case Condition::Type::All: return "all of";
    case Condition::Type::Any: return "any of";
    case Condition::Type::None: return "none of";
    case Condition::Type::Log: {
      std::string kinds;
      for (SourceKind k : c.kinds) {
        if (!kinds.empty()) kinds += ',';
        kinds += to_string(k);
      }
      return "log line /" + c.text + "/ in " + kinds;
    }
    case Condition::Type::File: return "listing has " + c.text + (c.dir_only ? " (folder)" : "");
    case Condition::Type::Path: return "listing path /" + c.text + "/" + (c.dir_only ? " (folder)" : "");
    case Condition::Type::Content: return "content of " + c.text + " matches /" + c.regex->pattern() + "/";
    case Condition::Type::Setting: {
      switch (c.op) {
        case Condition::SettingOp::Absent: return "setting " + c.text + " is absent";
        case Condition::SettingOp::Present: return "setting " + c.text + " is set";
        case Condition::SettingOp::Equals: return "setting " + c.text + " equals \"" + c.value + "\"";
        case Condition::SettingOp::Matches: return "setting " + c.text + " matches /" + c.regex->pattern() + "/";
      }
      return "setting";
    }
    case Condition::Type::CapturesDiffer: return "captures differ: " + c.text;
  }
  return "";
}

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
  for (const Condition& child : c.children) write_condition(child, depth + 1, out);
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
