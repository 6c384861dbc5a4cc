// SARIF 2.1.0 (OASIS): one run, the rule pack as the driver's rules, one
// result per finding located at its evidence. Code scanning and the SARIF
// viewers read this.
#include <cctype>

#include <nlohmann/json.hpp>

#include "analyzer/report/report_model.h"

namespace appdiag {

using nlohmann::ordered_json;

namespace {

std::string_view level(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "note";
  }
  return "note";
}

// artifactLocation.uri is a URI reference: anything outside the unreserved
// set and '/' is percent-encoded (spaces, '%', '#', '?' in file names). An
// absolute path (a listing's /home/site/wwwroot/...) is a file:// URI: a
// relative reference must not begin with '/' (SARIF1004).
std::string uri_reference(std::string_view path) {
  static const char* hex = "0123456789ABCDEF";
  std::string out = path.starts_with('/') ? "file://" : "";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// reportingDescriptor.name: readable and different from the id (SARIF1001
// and GitHub reject name == id): "module-not-found" -> "ModuleNotFound".
std::string pascal_case(std::string_view id) {
  std::string out;
  bool upper = true;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

ordered_json rule_json(const Rule& r) {
  std::string help;
  // A step's last alternative: the one that holds whatever a lookup finds.
  for (size_t i = 0; i < r.remediation.size(); ++i)
    help += std::to_string(i + 1) + ". " + r.remediation[i].back() + "\n";
  ordered_json j = {{"id", r.id}};
  std::string name = pascal_case(r.id);
  if (!name.empty() && name != r.id) j["name"] = name;  // else omitted, as SARIF asks
  j["shortDescription"] = {{"text", r.title}};
  j["fullDescription"] = {{"text", r.summary.empty() ? r.title : r.summary}};
  j["help"] = {{"text", help.empty() ? r.title : help}};
  if (!r.references.empty()) j["helpUri"] = r.references.front().url;
  j["defaultConfiguration"] = {{"level", level(r.severity)}};
  j["properties"] = {{"category", r.category}, {"confidence", to_string(r.confidence)}};
  return j;
}

ordered_json location_json(const EvidenceLine& e, const std::string& note) {
  ordered_json physical = {{"artifactLocation", {{"uri", uri_reference(e.file)}}}};
  // Line 0: a listing entry or setting the tool synthesized; no region then.
  if (e.line > 0) physical["region"] = {{"startLine", e.line}, {"snippet", {{"text", e.text}}}};
  ordered_json j = {{"physicalLocation", physical}};
  if (!note.empty()) j["message"] = {{"text", note}};
  return j;
}

std::string message(const Finding& f) {
  const Rule& r = *f.rule;
  std::string m = r.title + (r.summary.empty() ? "" : ": " + r.summary);
  if (f.root_cause) m += " (root cause)";
  if (!f.explained_by.empty()) m += " (a symptom of " + f.explained_by.front() + ")";
  if (!f.remediation.empty()) m += " First step: " + f.remediation.front();
  return m;
}

ordered_json result_json(const FindingView& v, size_t rule_index) {
  const Finding& f = *v.finding;
  ordered_json j = {{"ruleId", f.rule->id},
                    {"ruleIndex", rule_index},
                    {"level", level(f.rule->severity)},
                    {"message", {{"text", message(f)}}}};
  j["locations"] = ordered_json::array();
  if (!f.evidence.empty()) j["locations"].push_back(location_json(f.evidence.back(), ""));
  ordered_json related = ordered_json::array();
  int id = 1;
  for (size_t i = 0; i + 1 < f.evidence.size(); ++i) {
    ordered_json l = location_json(f.evidence[i], "more evidence");
    l["id"] = id++;
    related.push_back(l);
  }
  for (const FindingView* s : v.symptoms) {
    if (!s->latest.line) continue;
    const Rule& r = *s->finding->rule;
    ordered_json l = location_json(*s->latest.line, "symptom " + r.id + ": " + r.title);
    l["id"] = id++;
    related.push_back(l);
  }
  if (!related.empty()) j["relatedLocations"] = related;
  j["properties"] = {{"rootCause", f.root_cause}, {"matchedLines", f.matched_lines}, {"remediation", f.remediation}};
  return j;
}

// What the run could not read (warnings) and its notes, a guessed input kind
// among them, as the tool's own notifications: they are no result of a rule.
ordered_json invocation_json(const Diagnosis& d) {
  ordered_json notifications = ordered_json::array();
  for (const auto& u : d.unreadable)
    notifications.push_back({{"level", "warning"}, {"message", {{"text", "Could not read: " + u}}}});
  for (const auto& n : d.notes) notifications.push_back({{"level", "note"}, {"message", {{"text", n}}}});
  ordered_json invocation = {{"executionSuccessful", true}};
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = notifications;
  return invocation;
}

}  // namespace

void write_sarif(const ReportModel& m, std::ostream& out) {
  const RuleSet& rules = m.rules;
  ordered_json driver = {{"name", "appdiag"},
                         {"version", m.header.version},
                         {"informationUri", "https://learn.microsoft.com/azure/app-service/configure-language-python"}};
  driver["rules"] = ordered_json::array();
  for (const Rule& r : rules.rules) driver["rules"].push_back(rule_json(r));
  ordered_json results = ordered_json::array();
  for (const FindingView& v : m.findings) {
    size_t index = 0;
    while (index < rules.rules.size() && &rules.rules[index] != v.finding->rule) ++index;
    if (index == rules.rules.size()) continue;  // not from this pack: cannot happen for one analysis
    results.push_back(result_json(v, index));
  }
  ordered_json run = {{"tool", {{"driver", driver}}},
                      {"invocations", ordered_json::array({invocation_json(m.diagnosis)})},
                      {"results", results},
                      {"columnKind", "utf16CodeUnits"}};
  ordered_json header = ordered_json::object();
  for (const auto& [label, value] : m.header_fields) header[label] = value;
  run["properties"] = {{"report", header}};
  ordered_json log = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                      {"version", "2.1.0"},
                      {"runs", ordered_json::array({run})}};
  out << log.dump(2, ' ', false, ordered_json::error_handler_t::replace) << "\n";
}

}  // namespace appdiag
