#include "analyzer/pack/kql_export.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "analyzer/core/error.h"

namespace appdiag {
namespace {

// Every query reads the same normalised rows: when, which app, which of our
// source kinds, and the line. isfuzzy: a workspace without one of the tables
// (diagnostic setting not enabled) still runs the query.
constexpr const char* kPrelude =
    "let lookback = 24h;\n"
    "let window = 1h;\n"
    "let lines = union isfuzzy=true\n"
    "    (AppServiceConsoleLogs | where TimeGenerated > ago(lookback)\n"
    "        | project TimeGenerated, _ResourceId, Source = \"app\", Line = ResultDescription),\n"
    "    (AppServiceAppLogs | where TimeGenerated > ago(lookback)\n"
    "        | project TimeGenerated, _ResourceId, Source = \"app\", Line = Message),\n"
    "    (AppServicePlatformLogs | where TimeGenerated > ago(lookback)\n"
    "        | project TimeGenerated, _ResourceId, Source = \"platform\", Line = Message);\n";

// One log condition that made it into the query: column c<i> (this line
// matches) and h<i> (lines matching in the window).
struct Leaf {
  std::string regex;
  std::vector<SourceKind> kinds;  // Platform and/or App
  bool negated = false;           // under a `none`: its lines are not the evidence
};

std::string one_line(std::string text) {
  std::replace_if(text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return text;
}

// What a leaf Log Analytics cannot answer is, for left_out.
struct DescribeLeaf {
  std::string operator()(const FileGlob& g) const { return "file " + g.glob; }
  std::string operator()(const PathMatch& p) const { return "path " + p.regex_text; }
  std::string operator()(const ContentMatch& m) const { return "content of " + m.file; }
  std::string operator()(const SettingTest& s) const { return "setting " + s.name; }
  std::string operator()(const CapturesDiffer&) const { return "captures_differ"; }
  std::string operator()(const LogMatch& m) const { return "log " + m.regex; }
  std::string operator()(const AllOf&) const { return "all"; }
  std::string operator()(const AnyOf&) const { return "any"; }
  std::string operator()(const NoneOf&) const { return "none"; }
};

// Turns a rule's `when` tree into a boolean KQL expression over h<i>, dropping
// what Log Analytics cannot answer (listed in left_out).
class TreeExport {
 public:
  explicit TreeExport(const RuleSet& rules) : rules_(rules) {}

  // nullopt when nothing under `c` can be expressed. `positive`: the expression
  // can only hold when some line matched (so a window with no line is no loss).
  std::optional<std::string> expr(const Condition& c, bool negated, bool& positive) {
    if (auto* log = c.as<LogMatch>()) return leaf(*log, negated, positive);
    bool all = c.as<AllOf>(), none = c.as<NoneOf>();
    if (!all && !none && !c.as<AnyOf>()) {
      note(std::visit(DescribeLeaf{}, c.node) + " (not in Log Analytics)");
      return std::nullopt;
    }
    bool under_none = negated || none;
    std::vector<std::string> parts;
    bool any_positive = false, all_positive = true;
    for (const Condition& child : c.children()) {
      bool p = false;
      if (auto e = expr(child, under_none, p)) {
        parts.push_back(*e);
        any_positive |= p;
        all_positive &= p;
      }
    }
    if (parts.empty()) return std::nullopt;
    std::string joined;
    const char* op = all ? " and " : " or ";
    for (size_t i = 0; i < parts.size(); ++i) joined += (i ? op : "") + parts[i];
    if (parts.size() > 1) joined = "(" + joined + ")";
    if (none) {
      positive = false;
      return "not(" + joined + ")";
    }
    positive = all ? any_positive : all_positive;
    return joined;
  }

  std::vector<Leaf> leaves;
  std::vector<std::string> left_out;
  size_t deploy_skipped = 0;  // leaves also read in the deploy log, searched in the others only

 private:
  void note(const std::string& what) {
    if (std::find(left_out.begin(), left_out.end(), what) == left_out.end()) left_out.push_back(what);
  }

  std::optional<std::string> leaf(const LogMatch& c, bool negated, bool& positive) {
    const std::string& regex = rules_.patterns.at(static_cast<size_t>(c.pattern)).regex;
    Leaf l{regex, {}, negated};
    for (SourceKind k : c.kinds)
      if (k == SourceKind::Platform || k == SourceKind::App) l.kinds.push_back(k);
    if (l.kinds.empty()) {
      note("log " + regex + " in the deploy log only (no Log Analytics table)");
      return std::nullopt;
    }
    if (l.kinds.size() < c.kinds.size()) ++deploy_skipped;
    positive = true;
    leaves.push_back(std::move(l));
    return "h" + std::to_string(leaves.size() - 1) + " > 0";
  }

  const RuleSet& rules_;
};

std::string kinds_test(const std::vector<SourceKind>& kinds) {
  if (kinds.size() == 1) return "Source == \"" + std::string(to_string(kinds[0])) + "\"";
  return "Source in (\"platform\", \"app\")";
}

// Named captures, each from the first leaf (in tree order) that defines it:
// extract() takes the group's number, which RE2 gives us per name.
std::map<std::string, std::vector<std::pair<size_t, int>>> named_groups(const std::vector<Leaf>& leaves) {
  std::map<std::string, std::vector<std::pair<size_t, int>>> groups;
  for (size_t i = 0; i < leaves.size(); ++i) {
    RE2 re(leaves[i].regex);
    for (const auto& [name, index] : re.NamedCapturingGroups()) groups[name].emplace_back(i, index);
  }
  return groups;
}

// The rows of one rule: per app and window where its log conditions hold.
std::string rule_body(const Rule& rule, const std::vector<Leaf>& leaves, const std::string& condition) {
  std::ostringstream q;
  q << "lines\n| extend";
  for (size_t i = 0; i < leaves.size(); ++i)
    q << (i ? "," : "") << "\n    c" << i << " = " << kinds_test(leaves[i].kinds) << " and Line matches regex "
      << kql_string_literal(leaves[i].regex);
  std::string any_leaf, evidence_leaf, matched;
  for (size_t i = 0; i < leaves.size(); ++i) {
    std::string c = "c" + std::to_string(i);
    any_leaf += (i ? " or " : "") + c;
    if (leaves[i].negated) continue;
    evidence_leaf += (evidence_leaf.empty() ? "" : " or ") + c;
    matched += (matched.empty() ? "" : " + ") + ("h" + std::to_string(i));
  }
  q << "\n| where " << any_leaf;
  auto groups = named_groups(leaves);
  for (const auto& [name, uses] : groups) {
    q << "\n| extend capture_" << name << " = case(";
    for (const auto& [leaf, index] : uses)
      q << "c" << leaf << ", extract(" << kql_string_literal(leaves[leaf].regex) << ", " << index << ", Line), ";
    q << "\"\")";
  }
  q << "\n| summarize";
  for (size_t i = 0; i < leaves.size(); ++i) q << (i ? ", " : " ") << "h" << i << " = countif(c" << i << ")";
  q << ",\n    FirstSeen = minif(TimeGenerated, " << evidence_leaf << "), LastSeen = maxif(TimeGenerated, "
    << evidence_leaf << "),\n    SampleLine = take_anyif(Line, " << evidence_leaf << ")";
  for (const auto& entry : groups)
    q << ",\n    capture_" << entry.first << " = take_anyif(capture_" << entry.first << ", isnotempty(capture_"
      << entry.first << "))";
  q << "\n    by _ResourceId, Window = bin(TimeGenerated, window)\n| where " << condition << "\n| project _ResourceId, Window, RuleId = "
    << kql_string_literal(rule.id) << ", Severity = " << kql_string_literal(std::string(to_string(rule.severity)))
    << ", Title = " << kql_string_literal(rule.title) << ",\n    MatchedLines = " << matched
    << ", FirstSeen, LastSeen, SampleLine, Captures = ";
  if (groups.empty()) {
    q << "dynamic({})";
  } else {
    q << "bag_pack(";
    bool first = true;
    for (const auto& entry : groups) {
      q << (first ? "" : ", ") << kql_string_literal(entry.first) << ", capture_" << entry.first;
      first = false;
    }
    q << ")";
  }
  return q.str();
}

std::string header(const Rule& rule, const KqlQuery& query) {
  std::ostringstream h;
  h << "// appdiag rule " << rule.id << " (" << to_string(rule.severity) << "): " << one_line(rule.title) << "\n"
    << "// Export: " << to_string(query.coverage) << ".";
  if (query.left_out.empty()) h << " Every condition of the rule is in this query.\n";
  else h << " Left out (the rule also needs these; check them with `appdiag analyze` on a bundle):\n";
  for (const auto& l : query.left_out) h << "//   - " << one_line(l) << "\n";
  if (query.deploy_skipped)
    h << "// " << query.deploy_skipped << " log condition(s) also read the deploy log in appdiag; the deploy\n"
         "// (Oryx/Kudu) log is not in Log Analytics, so here they search the app and platform logs.\n";
  h << "// One row per app (_ResourceId) and `window` in the last `lookback` where the rule's log\n"
       "// conditions hold: matched line count, first and last time seen, a sample line and captures.\n"
       "// Conditions are evaluated per window, not over the whole history as appdiag does.\n";
  return h.str();
}

KqlQuery export_rule(const RuleSet& rules, const Rule& rule, std::string* body) {
  KqlQuery query;
  query.rule_id = rule.id;
  TreeExport tree(rules);
  bool positive = false;
  auto condition = tree.expr(rule.when, false, positive);
  query.left_out = tree.left_out;
  query.deploy_skipped = tree.deploy_skipped;
  if (!condition || !positive) {
    query.left_out.push_back(condition ? "the log conditions left can hold with no matching line, so alone they would flag every app"
                                       : "no log condition on the platform or app log");
    return query;
  }
  query.coverage = tree.left_out.empty() ? KqlCoverage::Full : KqlCoverage::Partial;
  *body = rule_body(rule, tree.leaves, *condition);
  query.text = header(rule, query) + kPrelude + *body + "\n| order by LastSeen desc\n";
  return query;
}

std::string combined_query(const std::vector<std::pair<const Rule*, std::string>>& bodies) {
  std::ostringstream q;
  q << "// appdiag: per app (_ResourceId), which rules fired in the last `lookback`, worst first.\n"
       "// Rules: ";
  for (size_t i = 0; i < bodies.size(); ++i) q << (i ? ", " : "") << bodies[i].first->id;
  q << "\n" << kPrelude;
  for (size_t i = 0; i < bodies.size(); ++i)
    q << "// " << bodies[i].first->id << "\nlet rule" << i << " = " << bodies[i].second << ";\n";
  q << "union isfuzzy=true ";
  for (size_t i = 0; i < bodies.size(); ++i) q << (i ? ", " : "") << "rule" << i;
  q << "\n| summarize Rules = make_set(RuleId), Errors = dcountif(RuleId, Severity == \"error\"),\n"
       "    Warnings = dcountif(RuleId, Severity == \"warning\"), Windows = count(),\n"
       "    FirstSeen = min(FirstSeen), LastSeen = max(LastSeen) by _ResourceId\n"
       "| order by Errors desc, Warnings desc, LastSeen desc\n";
  return q.str();
}

}  // namespace

std::string_view to_string(KqlCoverage coverage) {
  switch (coverage) {
    case KqlCoverage::Full: return "full";
    case KqlCoverage::Partial: return "partial";
    default: return "none";
  }
}

std::string kql_string_literal(std::string_view text) {
  bool verbatim = true;
  for (unsigned char c : text) {
    if (c == '\n' || c == '\t' || c == '\r') verbatim = false;
    else if (c < 0x20 || c == 0x7f)
      throw InputError("KQL export: the pattern " + std::string(text.substr(0, 60)) + " holds a control character");
  }
  std::string out = verbatim ? "@\"" : "\"";
  for (char c : text) {
    if (verbatim) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else if (c == '"' || c == '\\') out += std::string("\\") + c;
    else out += c;
  }
  return out + "\"";
}

KqlExport export_kql(const RuleSet& rules, const std::vector<std::string>& only) {
  std::set<std::string> wanted(only.begin(), only.end());
  for (const auto& id : wanted)
    if (!rules.find(id)) throw InputError("--only " + id + ": no rule with that id (see `appdiag rules list`)");
  KqlExport out;
  std::vector<std::pair<const Rule*, std::string>> bodies;
  for (const Rule& rule : rules.rules) {
    if (!wanted.empty() && !wanted.count(rule.id)) continue;
    std::string body;
    out.rules.push_back(export_rule(rules, rule, &body));
    if (!body.empty()) bodies.emplace_back(&rule, std::move(body));
  }
  if (!bodies.empty()) out.combined = combined_query(bodies);
  return out;
}

std::vector<std::string> write_kql_files(const KqlExport& exported, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw InputError(dir + ": cannot create (" + ec.message() + ")");
  std::vector<std::string> written;
  auto write = [&](const std::string& name, const std::string& text) {
    std::string path = (std::filesystem::path(dir) / name).string();
    std::ofstream f(path, std::ios::binary);
    if (!(f << text) || !f.flush()) throw InputError(path + ": cannot write");
    written.push_back(path);
  };
  for (const auto& q : exported.rules)
    if (!q.text.empty()) write(q.rule_id + ".kql", q.text);
  if (!exported.combined.empty()) write("all-rules.kql", exported.combined);
  return written;
}

void write_kql_stream(const KqlExport& exported, std::ostream& out) {
  for (const auto& q : exported.rules)
    if (!q.text.empty()) out << "// ==== " << q.rule_id << ".kql\n" << q.text << "\n";
  if (!exported.combined.empty()) out << "// ==== all-rules.kql\n" << exported.combined;
}

}  // namespace appdiag
