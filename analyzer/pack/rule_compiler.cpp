#include "analyzer/pack/rule_compiler.h"

#include <algorithm>
#include <filesystem>

#include "analyzer/pack/condition_compiler.h"

namespace appdiag {

namespace {

const std::vector<std::string> kRequiredKeys = {"id", "title", "summary", "severity", "category", "when",
                                                "remediation"};

bool is_kebab_case(const std::string& id) {
  static const RE2 re("[a-z0-9]+(-[a-z0-9]+)*");
  return RE2::FullMatch(id, re);
}

std::vector<std::string> variables(const std::string& step) {
  static const RE2 var(R"(\$\{([A-Za-z_][A-Za-z0-9_]*)\})");
  std::vector<std::string> names;
  re2::StringPiece in(step);
  std::string name;
  while (RE2::FindAndConsume(&in, var, &name)) names.push_back(name);
  return names;
}

// "remediation": steps, each a string or a list of alternatives (see Rule::remediation).
std::vector<std::vector<std::string>> remediation_steps(const JsonNode& doc) {
  std::vector<std::vector<std::string>> steps;
  if (!doc.has("remediation")) return steps;
  JsonNode list = doc["remediation"];
  if (!list.json().is_array() || list.json().empty()) {
    list.problem("wrong-type", "\"remediation\" must be a non-empty array of steps");
    return steps;
  }
  for (size_t i = 0; i < list.json().size(); ++i) {
    const auto& step = list.json()[i];
    bool alternatives = step.is_array() && !step.empty() &&
                        std::all_of(step.begin(), step.end(), [](const auto& v) { return v.is_string(); });
    if (step.is_string()) steps.push_back({step.get<std::string>()});
    else if (alternatives) steps.push_back(step.get<std::vector<std::string>>());
    else list[i].problem("wrong-type", "a remediation step is a string or a list of alternative strings, got " + step.dump());
  }
  return steps;
}

// "lookup": {"NAME": {"table": "TABLE", "from": "CAPTURE"}} (see CaptureLookup).
std::vector<CaptureLookup> capture_lookups(const JsonNode& doc) {
  std::vector<CaptureLookup> out;
  if (!doc.has("lookup")) return out;
  JsonNode lookup = doc["lookup"];
  if (!lookup.json().is_object()) {
    lookup.problem("wrong-type", "\"lookup\" maps a capture name to {\"table\": ..., \"from\": ...}");
    return out;
  }
  for (const auto& [name, spec] : lookup.json().items()) {
    bool ok = spec.is_object() && spec.size() == 2 && spec.contains("table") && spec["table"].is_string() &&
              spec.contains("from") && spec["from"].is_string();
    if (ok) out.push_back({name, spec["table"].get<std::string>(), spec["from"].get<std::string>()});
    else lookup[name].problem("wrong-type", "lookup \"" + name + "\" must be {\"table\": \"TABLE\", \"from\": \"CAPTURE\"}");
  }
  return out;
}

// Every ${name} is a capture or a looked-up one; a step's last alternative
// uses no looked-up capture (it shows when the lookup finds nothing) and the
// others each use one (else the ones after them could never show).
void check_captures(const Rule& rule, const std::set<std::string>& captures, const JsonNode& doc) {
  std::set<std::string> looked_up;
  for (const auto& l : rule.lookups) {
    JsonNode at = doc["lookup"][l.capture];
    if (!captures.count(l.from))
      at.problem("unknown-capture", "lookup \"" + l.capture + "\" reads capture \"" + l.from +
                                        "\", which no condition of the rule captures");
    if (captures.count(l.capture))
      at.problem("bad-value", "lookup \"" + l.capture + "\" has the name of a capture of the rule");
    looked_up.insert(l.capture);
  }
  for (size_t s = 0; s < rule.remediation.size(); ++s) {
    const auto& step = rule.remediation[s];
    // A malformed step was skipped: then point at the list, not at the wrong step.
    JsonNode list = doc["remediation"];
    JsonNode at = list.json().size() == rule.remediation.size() ? list[s] : list;
    for (size_t i = 0; i < step.size(); ++i) {
      bool uses_lookup = false;
      for (const auto& name : variables(step[i])) {
        uses_lookup = uses_lookup || looked_up.count(name);
        if (!captures.count(name) && !looked_up.count(name))
          at.problem("unknown-capture", "remediation uses ${" + name + "}, which no condition of the rule captures");
      }
      bool last = i + 1 == step.size();
      if (last && uses_lookup)
        at.problem("bad-value", "the last alternative of a step uses a looked-up capture: \"" + step[i] +
                                    "\" (add one without it)");
      if (!last && !uses_lookup)
        at.problem("bad-value", "an alternative before the last uses no looked-up capture, so the next ones "
                                "never show: \"" + step[i] + "\"");
    }
  }
}

std::vector<Reference> references(const JsonNode& doc) {
  std::vector<Reference> out;
  if (!doc.has("references")) return out;
  JsonNode list = doc["references"];
  if (!list.json().is_array()) {
    list.problem("wrong-type", "\"references\" must be an array");
    return out;
  }
  for (size_t i = 0; i < list.json().size(); ++i) {
    const auto& r = list.json()[i];
    if (!r.is_object() || !r.contains("url") || !r["url"].is_string() ||
        (r.contains("title") && !r["title"].is_string()) || r.size() > 2) {
      list[i].problem("wrong-type", "a reference is {\"title\": \"...\", \"url\": \"...\"}, got " + r.dump());
      continue;
    }
    std::string url = r["url"].get<std::string>();
    if (!url.starts_with("https://") && !url.starts_with("http://")) {
      // Reports turn references into links: a javascript: or file: URL must not become one.
      list[i]["url"].problem("bad-value", "a reference URL must start with https:// or http://, got \"" + url + "\"");
      continue;
    }
    out.push_back({r.value("title", url), url});
  }
  return out;
}

// "decisive": a list of log conditions (see Rule::decisive).
std::vector<Condition> decisive_leaves(const JsonNode& doc, RuleSet& set, ConditionCompiler& compiler) {
  std::vector<Condition> leaves;
  if (!doc.has("decisive")) return leaves;
  JsonNode list = doc["decisive"];
  if (!list.json().is_array()) {
    list.problem("wrong-type", "\"decisive\" must be a list of log conditions");
    return leaves;
  }
  for (size_t i = 0; i < list.json().size(); ++i) {
    if (!list.json()[i].is_object() || !list.json()[i].contains("log")) {
      list[i].problem("wrong-type", "each \"decisive\" entry must be a log condition ({\"log\": ...})");
      continue;
    }
    leaves.push_back(compiler.compile(list[i]));
    if (auto* log = leaves.back().as<LogMatch>(); log && log->pattern >= 0) set.patterns[log->pattern].decisive = true;
  }
  return leaves;
}

}  // namespace

void compile_rule(const JsonNode& doc, const std::string& file, RuleSet& set, const PatternPool& patterns) {
  if (!doc.json().is_object()) {
    doc.problem("wrong-type", "a rule file holds one JSON object");
    return;
  }
  Rule rule;
  rule.file = file;
  rule.id = doc.string("id").value_or("");
  doc.problems().rule = rule.id;
  doc.only_keys({"id", "title", "summary", "severity", "confidence", "category", "note", "when", "remediation",
                 "references", "explains", "decisive", "lookup"});
  for (const auto& key : kRequiredKeys)
    if (!doc.has(key)) doc.problem("missing-key", "missing required key \"" + key + "\"");
  if (!rule.id.empty() && !is_kebab_case(rule.id))
    doc["id"].problem("bad-value", "id must be kebab-case (a-z, 0-9, single dashes)");
  std::string stem = std::filesystem::path(file).stem().string();
  if (!rule.id.empty() && stem != rule.id) doc["id"].problem("bad-value", "id must equal the file name (" + stem + ")");
  rule.title = doc.string("title").value_or("");
  rule.summary = doc.string("summary").value_or("");
  rule.category = doc.string("category").value_or("");
  rule.note = doc.string("note").value_or("");
  rule.severity = doc.one_of<Severity>("severity", {{"error", Severity::Error}, {"warning", Severity::Warning},
                                                    {"info", Severity::Info}}).value_or(Severity::Error);
  rule.confidence = doc.one_of<Confidence>("confidence", {{"high", Confidence::High}, {"medium", Confidence::Medium},
                                                          {"low", Confidence::Low}}).value_or(Confidence::High);
  rule.remediation = remediation_steps(doc);
  rule.lookups = capture_lookups(doc);
  rule.explains = doc.strings("explains").value_or(std::vector<std::string>{});
  rule.references = references(doc);
  ConditionCompiler compiler(set, set.rules.size(), doc.problems(), patterns);
  if (doc.has("when")) rule.when = compiler.compile(doc["when"]);
  rule.decisive = decisive_leaves(doc, set, compiler);
  compiler.check_differ_names();
  check_captures(rule, compiler.captures(), doc);
  set.rules.push_back(std::move(rule));
}

}  // namespace appdiag
