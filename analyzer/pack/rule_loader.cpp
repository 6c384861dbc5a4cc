#include "analyzer/pack/rule_loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analyzer/pack/embedded_rules.h"

namespace appdiag {

using nlohmann::json;

namespace {

const std::set<std::string> kRuleKeys = {"id",       "title",       "summary",    "severity",
                                         "confidence", "category",  "note",       "when",
                                         "remediation", "references", "explains", "decisive",
                                         "lookup"};
const std::set<std::string> kRequiredKeys = {"id", "title", "summary", "severity", "category",
                                             "when", "remediation"};
const std::set<std::string> kEventKeys = {"id", "label", "phase", "in", "pattern", "starts_attempt", "after", "within", "error"};
const std::set<std::string> kErrorRoles = {"line", "traceback", "exception", "traceback-end"};
constexpr uint32_t kMaxWithin = 1000;
constexpr size_t kMaxConditionDepth = 32;
const std::set<std::string> kPhases = {"build", "deploy", "start", "run", "fail", "stop"};

// 1-based line and column of a byte offset.
std::pair<size_t, size_t> line_col(const std::string& text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t line = 1 + std::count(text.begin(), text.begin() + offset, '\n');
  size_t last_nl = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  size_t col = last_nl == std::string::npos || offset == 0 ? offset + 1 : offset - last_nl;
  return {line, col};
}

// Line where `"key"` first appears: good enough to point a reader at a key.
size_t line_of_key(const std::string& text, const std::string& key) {
  size_t at = text.find("\"" + key + "\"");
  return at == std::string::npos ? 0 : line_col(text, at).first;
}

bool is_kebab_case(const std::string& id) {
  static const RE2 re("[a-z0-9]+(-[a-z0-9]+)*");
  return RE2::FullMatch(id, re);
}

std::string stem(const std::string& file) {
  return std::filesystem::path(file).stem().string();
}

// Collects the problems of one file; `rule` names the rule once it is known.
struct Problems {
  const RuleFile& file;
  std::string rule;
  std::vector<std::string>& out;

  void add(const std::string& message, size_t line = 0) {
    // Appended piece by piece: `"literal" + std::string` trips a false GCC 12 -Wrestrict at -O3.
    std::string text = file.name;
    if (line) text.append(":").append(std::to_string(line));
    text.append(": ");
    if (!rule.empty()) text.append(rule).append(": ");
    out.push_back(text.append(message));
  }
  void add_at_key(const std::string& key, const std::string& message) {
    add(message, line_of_key(file.text, key));
  }
};

const std::vector<SourceKind> kLogKinds = {SourceKind::Deploy, SourceKind::Platform, SourceKind::App};

// The "in" list of a log condition or event; all log kinds when absent.
std::vector<SourceKind> log_kinds(const json& node, Problems& problems) {
  if (!node.contains("in")) return kLogKinds;
  std::vector<SourceKind> kinds;
  if (!node["in"].is_array() || node["in"].empty()) {
    problems.add_at_key("in", "\"in\" must be a non-empty array of source kinds");
    return kLogKinds;
  }
  for (const json& k : node["in"]) {
    auto kind = k.is_string() ? parse_source_kind(k.get<std::string>()) : std::nullopt;
    if (!kind || !is_log_kind(*kind))
      problems.add_at_key("in", "\"in\" takes deploy, platform or app, not " + k.dump());
    else
      kinds.push_back(*kind);
  }
  return kinds.empty() ? kLogKinds : kinds;
}

std::vector<std::string> named_groups(const RE2& re) {
  std::vector<std::string> names;
  for (const auto& [name, index] : re.NamedCapturingGroups()) names.push_back(name);
  return names;
}

class RuleCompiler {
 public:
  RuleCompiler(RuleSet& set, Problems& problems) : set_(set), problems_(problems) {}

  // Compiles one condition node; records problems and returns what it could.
  Condition compile(const json& node, size_t rule_index, std::set<std::string>& captures, size_t depth = 1) {
    Condition c;
    if (depth > kMaxConditionDepth) {
      // Evaluation and explain recurse over the tree: a deep one would overflow the stack.
      problems_.add("conditions are nested more than " + std::to_string(kMaxConditionDepth) + " deep");
      return c;
    }
    if (!node.is_object()) {
      problems_.add("a condition must be an object, got " + std::string(node.type_name()));
      return c;
    }
    if (node.contains("why")) {
      if (node["why"].is_string()) c.why = node["why"].get<std::string>();
      else problems_.add("\"why\" must be a string");
    }
    static const std::vector<std::string> kTypes = {"all",  "any",     "none",    "log",
                                                    "file", "path",    "content", "setting",
                                                    "captures_differ"};
    std::vector<std::string> types;
    for (const auto& t : kTypes)
      if (node.contains(t)) types.push_back(t);
    if (types.size() != 1) {
      problems_.add(types.empty() ? "a condition needs one of all, any, none, log, file, path, "
                                    "content, setting, captures_differ: " + node.dump()
                                  : "a condition has more than one type: " + node.dump());
      return c;
    }
    const std::string& type = types[0];
    if (type == "all" || type == "any" || type == "none") {
      c.type = type == "all" ? Condition::Type::All
               : type == "any" ? Condition::Type::Any : Condition::Type::None;
      check_keys(node, {type, "why"});
      if (!node[type].is_array() || node[type].empty()) {
        problems_.add_at_key(type, "\"" + type + "\" must be a non-empty array");
        return c;
      }
      for (const json& child : node[type]) c.children.push_back(compile(child, rule_index, captures, depth + 1));
    } else if (type == "log") {
      compile_log(node, rule_index, captures, c);
    } else if (type == "file" || type == "path") {
      compile_listing(node, type, captures, c);
    } else if (type == "content") {
      c.type = Condition::Type::Content;
      check_keys(node, {"content", "matches", "why"});
      c.text = string_field(node, "content");
      c.regex = regex_field(node, "matches", captures);
    } else if (type == "setting") {
      compile_setting(node, captures, c);
    } else {
      c.type = Condition::Type::CapturesDiffer;
      check_keys(node, {"captures_differ", "why"});
      const json& names = node["captures_differ"];
      if (!names.is_array() || names.size() != 2 || !names[0].is_string() || !names[1].is_string())
        problems_.add_at_key("captures_differ", "\"captures_differ\" must name two captures");
      else
        c.names = {names[0].get<std::string>(), names[1].get<std::string>()};
      c.text = c.names.empty() ? "" : c.names[0] + " != " + c.names[1];
    }
    return c;
  }

  void check_differ_names(const Condition& c, const std::set<std::string>& captures) {
    for (const auto& child : c.children) check_differ_names(child, captures);
    for (const auto& name : c.names)
      if (!captures.count(name))
        problems_.add_at_key("captures_differ", "captures_differ names '" + name +
                                                    "', which no condition of the rule captures");
  }

 private:
  void check_keys(const json& node, std::initializer_list<std::string> allowed) {
    for (const auto& [key, value] : node.items())
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        problems_.add_at_key(key, "unknown key \"" + key + "\" in condition");
  }

  std::string string_field(const json& node, const std::string& key) {
    if (!node.contains(key) || !node[key].is_string()) {
      problems_.add_at_key(key, "\"" + key + "\" must be a string");
      return {};
    }
    return node[key].get<std::string>();
  }

  std::shared_ptr<const RE2> regex_field(const json& node, const std::string& key,
                                         std::set<std::string>& captures) {
    if (!node.contains(key) || !node[key].is_string()) {
      problems_.add_at_key(key, "\"" + key + "\" must be a string");
      return nullptr;
    }
    std::string pattern = node[key].get<std::string>();
    if (pattern.empty()) {
      // An empty pattern matches every line: surely a mistake, and nothing to evaluate.
      problems_.add_at_key(key, "\"" + key + "\" is an empty pattern");
      return nullptr;
    }
    std::string error;
    auto re = compile_pattern(pattern, &error);
    if (!re) {
      problems_.add("bad regex /" + pattern + "/: " + error, line_of_string(pattern));
      return nullptr;
    }
    for (auto& name : named_groups(*re)) captures.insert(name);
    return re;
  }

  size_t line_of_string(const std::string& s) {
    size_t at = problems_.file.text.find(json(s).dump());
    return at == std::string::npos ? 0 : line_col(problems_.file.text, at).first;
  }

  bool bool_field(const json& node, const std::string& key) {
    if (!node.contains(key)) return false;
    if (!node[key].is_boolean()) {
      problems_.add_at_key(key, "\"" + key + "\" must be true or false");
      return false;
    }
    return node[key].get<bool>();
  }

  void compile_log(const json& node, size_t rule_index, std::set<std::string>& captures,
                   Condition& c) {
    c.type = Condition::Type::Log;
    check_keys(node, {"log", "in", "why"});
    c.kinds = log_kinds(node, problems_);
    auto compiled = regex_field(node, "log", captures);
    if (!compiled) return;
    c.text = node["log"].get<std::string>();
    c.pattern = static_cast<int>(set_.patterns.size());
    set_.patterns.push_back({c.text, std::move(compiled), c.kinds, rule_index});
  }

  void compile_listing(const json& node, const std::string& type, std::set<std::string>& captures,
                       Condition& c) {
    c.dir_only = bool_field(node, "dir");
    if (type == "path") {
      c.type = Condition::Type::Path;
      check_keys(node, {"path", "dir", "why"});
      c.regex = regex_field(node, "path", captures);
      if (node["path"].is_string()) c.text = node["path"].get<std::string>();
      return;
    }
    c.type = Condition::Type::File;
    check_keys(node, {"file", "at", "dir", "why"});
    c.text = string_field(node, "file");
    if (node["file"].is_string() && c.text.empty()) problems_.add_at_key("file", "\"file\" is an empty glob");
    bool at_root = true;
    if (node.contains("at")) {
      std::string at = node["at"].is_string() ? node["at"].get<std::string>() : "";
      if (at != "root" && at != "anywhere")
        problems_.add_at_key("at", "\"at\" must be \"root\" or \"anywhere\"");
      at_root = at != "anywhere";
    }
    std::string error;
    c.regex = compile_pattern(glob_to_regex(c.text, at_root), &error);
    if (!c.regex) problems_.add_at_key("file", "bad glob \"" + c.text + "\": " + error);
  }

  void compile_setting(const json& node, std::set<std::string>& captures, Condition& c) {
    c.type = Condition::Type::Setting;
    check_keys(node, {"setting", "absent", "present", "equals", "matches", "why"});
    c.text = string_field(node, "setting");
    int ops = 0;
    if (node.contains("absent")) ++ops, c.op = Condition::SettingOp::Absent, bool_field(node, "absent");
    if (node.contains("present")) ++ops, c.op = Condition::SettingOp::Present, bool_field(node, "present");
    if (node.contains("equals")) {
      ++ops;
      c.op = Condition::SettingOp::Equals;
      c.value = string_field(node, "equals");
    }
    if (node.contains("matches")) {
      ++ops;
      c.op = Condition::SettingOp::Matches;
      c.regex = regex_field(node, "matches", captures);
    }
    if (ops != 1)
      problems_.add_at_key("setting", "a setting condition needs exactly one of absent, present, "
                                      "equals, matches");
    if ((node.contains("absent") && node["absent"] != true) ||
        (node.contains("present") && node["present"] != true))
      problems_.add_at_key("setting", "\"absent\"/\"present\" can only be true (wrap in none to negate)");
  }

  RuleSet& set_;
  Problems& problems_;
};

std::vector<std::string> string_list(const json& rule, const std::string& key, Problems& problems) {
  std::vector<std::string> out;
  if (!rule.contains(key)) return out;
  if (!rule[key].is_array()) {
    problems.add_at_key(key, "\"" + key + "\" must be an array of strings");
    return out;
  }
  for (const json& v : rule[key]) {
    if (v.is_string()) out.push_back(v.get<std::string>());
    else problems.add_at_key(key, "\"" + key + "\" must hold strings, got " + v.dump());
  }
  return out;
}

std::optional<json> parse_json(const RuleFile& file, std::vector<std::string>& problems) {
  try {
    return json::parse(file.text);
  } catch (const json::parse_error& e) {
    auto [line, col] = line_col(file.text, e.byte == 0 ? 0 : e.byte - 1);
    std::string what = e.what();
    size_t colon = what.find("syntax error");
    problems.push_back(file.name + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " +
                       (colon == std::string::npos ? what : what.substr(colon)));
  } catch (const json::exception& e) {
    // e.g. a number out of range: nlohmann gives no position for these.
    problems.push_back(file.name + ": " + e.what());
  }
  return std::nullopt;
}

template <typename Enum>
Enum enum_field(const json& rule, const std::string& key, Enum fallback,
                const std::vector<std::pair<std::string, Enum>>& values, Problems& problems) {
  if (!rule.contains(key)) return fallback;
  if (rule[key].is_string())
    for (const auto& [name, value] : values)
      if (rule[key] == name) return value;
  std::string allowed;
  for (const auto& [name, value] : values) allowed += (allowed.empty() ? "" : ", ") + name;
  problems.add_at_key(key, "\"" + key + "\" must be one of " + allowed + ", got " + rule[key].dump());
  return fallback;
}

bool bool_or_false(const json& node, const std::string& key, Problems& problems) {
  if (!node.contains(key)) return false;
  if (node[key].is_boolean()) return node[key].get<bool>();
  problems.add_at_key(key, "\"" + key + "\" must be true or false");
  return false;
}

std::string string_or_empty(const json& rule, const std::string& key, Problems& problems) {
  if (!rule.contains(key)) return {};
  if (rule[key].is_string()) return rule[key].get<std::string>();
  problems.add_at_key(key, "\"" + key + "\" must be a string");
  return {};
}

// "remediation": steps, each a string or a list of alternatives (see Rule::remediation).
std::vector<std::vector<std::string>> remediation_steps(const json& rule, Problems& problems) {
  std::vector<std::vector<std::string>> steps;
  if (!rule.contains("remediation")) return steps;
  const json& list = rule["remediation"];
  if (!list.is_array() || list.empty()) {
    problems.add_at_key("remediation", "\"remediation\" must be a non-empty array of steps");
    return steps;
  }
  for (const json& step : list) {
    if (step.is_string()) {
      steps.push_back({step.get<std::string>()});
      continue;
    }
    bool strings = step.is_array() && !step.empty() &&
                   std::all_of(step.begin(), step.end(), [](const json& v) { return v.is_string(); });
    if (!strings) {
      problems.add_at_key("remediation", "a remediation step is a string or a list of alternative strings, got " +
                                             step.dump());
      continue;
    }
    steps.push_back(step.get<std::vector<std::string>>());
  }
  return steps;
}

// "lookup": {"NAME": {"table": "TABLE", "from": "CAPTURE"}} (see CaptureLookup).
std::vector<CaptureLookup> capture_lookups(const json& rule, Problems& problems) {
  std::vector<CaptureLookup> out;
  if (!rule.contains("lookup")) return out;
  if (!rule["lookup"].is_object()) {
    problems.add_at_key("lookup", "\"lookup\" maps a capture name to {\"table\": ..., \"from\": ...}");
    return out;
  }
  for (const auto& [name, spec] : rule["lookup"].items()) {
    bool ok = spec.is_object() && spec.size() == 2 && spec.contains("table") && spec["table"].is_string() &&
              spec.contains("from") && spec["from"].is_string();
    if (!ok) {
      problems.add_at_key(name, "lookup \"" + name + "\" must be {\"table\": \"TABLE\", \"from\": \"CAPTURE\"}");
      continue;
    }
    out.push_back({name, spec["table"].get<std::string>(), spec["from"].get<std::string>()});
  }
  return out;
}

std::vector<std::string> variables(const std::string& step) {
  static const RE2 var(R"(\$\{([A-Za-z_][A-Za-z0-9_]*)\})");
  std::vector<std::string> names;
  re2::StringPiece in(step);
  std::string name;
  while (RE2::FindAndConsume(&in, var, &name)) names.push_back(name);
  return names;
}

// Every ${name} is a capture or a looked-up one; a step's last alternative
// uses no looked-up capture (it shows when the lookup finds nothing) and the
// others each use one (else the ones after them could never show).
void check_remediation_captures(const Rule& rule, const std::set<std::string>& captures,
                                Problems& problems) {
  std::set<std::string> looked_up;
  for (const auto& l : rule.lookups) {
    if (!captures.count(l.from))
      problems.add_at_key(l.capture, "lookup \"" + l.capture + "\" reads capture \"" + l.from +
                                         "\", which no condition of the rule captures");
    if (captures.count(l.capture))
      problems.add_at_key(l.capture, "lookup \"" + l.capture + "\" has the name of a capture of the rule");
    looked_up.insert(l.capture);
  }
  for (const auto& step : rule.remediation)
    for (size_t i = 0; i < step.size(); ++i) {
      bool uses_lookup = false;
      for (const auto& name : variables(step[i])) {
        uses_lookup = uses_lookup || looked_up.count(name);
        if (!captures.count(name) && !looked_up.count(name))
          problems.add_at_key("remediation", "remediation uses ${" + name +
                                                 "}, which no condition of the rule captures");
      }
      bool last = i + 1 == step.size();
      if (last && uses_lookup)
        problems.add_at_key("remediation", "the last alternative of a step uses a looked-up capture: \"" +
                                               step[i] + "\" (add one without it)");
      if (!last && !uses_lookup)
        problems.add_at_key("remediation", "an alternative before the last uses no looked-up capture, so the "
                                               "next ones never show: \"" + step[i] + "\"");
    }
}

std::vector<Reference> references(const json& rule, Problems& problems) {
  std::vector<Reference> out;
  if (!rule.contains("references")) return out;
  if (!rule["references"].is_array()) {
    problems.add_at_key("references", "\"references\" must be an array");
    return out;
  }
  for (const json& r : rule["references"]) {
    if (!r.is_object() || !r.contains("url") || !r["url"].is_string() ||
        (r.contains("title") && !r["title"].is_string()) || r.size() > 2) {
      problems.add_at_key("references", "a reference is {\"title\": \"...\", \"url\": \"...\"}, got " +
                                            r.dump());
      continue;
    }
    std::string url = r["url"].get<std::string>();
    if (!url.starts_with("https://") && !url.starts_with("http://")) {
      // Reports turn references into links: a javascript: or file: URL must not become one.
      problems.add_at_key("references", "a reference URL must start with https:// or http://, got \"" + url + "\"");
      continue;
    }
    out.push_back({r.value("title", url), url});
  }
  return out;
}

// "decisive": a list of log conditions (see Rule::decisive).
std::vector<Condition> decisive_leaves(const json& doc, RuleSet& set, size_t rule_index, RuleCompiler& compiler,
                                       std::set<std::string>& captures, Problems& problems) {
  std::vector<Condition> leaves;
  if (!doc.contains("decisive")) return leaves;
  if (!doc["decisive"].is_array()) {
    problems.add_at_key("decisive", "\"decisive\" must be a list of log conditions");
    return leaves;
  }
  for (const json& node : doc["decisive"]) {
    if (!node.is_object() || !node.contains("log")) {
      problems.add_at_key("decisive", "each \"decisive\" entry must be a log condition ({\"log\": ...})");
      continue;
    }
    leaves.push_back(compiler.compile(node, rule_index, captures));
    if (leaves.back().pattern >= 0) set.patterns[leaves.back().pattern].decisive = true;
  }
  return leaves;
}

void load_rule(const RuleFile& file, const json& doc, RuleSet& set,
               std::vector<std::string>& problem_list) {
  Problems problems{file, "", problem_list};
  if (!doc.is_object()) {
    problems.add("a rule file holds one JSON object");
    return;
  }
  Rule rule;
  rule.file = file.name;
  rule.id = string_or_empty(doc, "id", problems);
  problems.rule = rule.id;
  for (const auto& [key, value] : doc.items())
    if (!kRuleKeys.count(key)) problems.add_at_key(key, "unknown key \"" + key + "\"");
  for (const auto& key : kRequiredKeys)
    if (!doc.contains(key)) problems.add("missing required key \"" + key + "\"");
  if (!rule.id.empty() && !is_kebab_case(rule.id))
    problems.add_at_key("id", "id must be kebab-case (a-z, 0-9, single dashes)");
  if (!rule.id.empty() && stem(file.name) != rule.id)
    problems.add_at_key("id", "id must equal the file name (" + stem(file.name) + ")");
  rule.title = string_or_empty(doc, "title", problems);
  rule.summary = string_or_empty(doc, "summary", problems);
  rule.category = string_or_empty(doc, "category", problems);
  rule.note = string_or_empty(doc, "note", problems);
  rule.severity = enum_field<Severity>(doc, "severity", Severity::Error,
      {{"error", Severity::Error}, {"warning", Severity::Warning}, {"info", Severity::Info}}, problems);
  rule.confidence = enum_field<Confidence>(doc, "confidence", Confidence::High,
      {{"high", Confidence::High}, {"medium", Confidence::Medium}, {"low", Confidence::Low}}, problems);
  rule.remediation = remediation_steps(doc, problems);
  rule.lookups = capture_lookups(doc, problems);
  rule.explains = string_list(doc, "explains", problems);
  rule.references = references(doc, problems);
  std::set<std::string> captures;
  RuleCompiler compiler(set, problems);
  if (doc.contains("when")) {
    rule.when = compiler.compile(doc["when"], set.rules.size(), captures);
    compiler.check_differ_names(rule.when, captures);
  }
  rule.decisive = decisive_leaves(doc, set, set.rules.size(), compiler, captures, problems);
  check_remediation_captures(rule, captures, problems);
  set.rules.push_back(std::move(rule));
}

// "after": EVENT-ID and "within": N (1..1000 lines) come together.
void read_follow(const json& e, EventDef& def, Problems& problems) {
  if (!e.contains("after") && !e.contains("within")) return;
  if (!e.contains("after")) {
    problems.add_at_key("within", "\"within\" needs \"after\": the event whose lines it follows");
    return;
  }
  def.after = string_or_empty(e, "after", problems);
  const json* within = e.contains("within") ? &e["within"] : nullptr;
  if (!within || !within->is_number_unsigned() || within->get<uint64_t>() < 1 || within->get<uint64_t>() > kMaxWithin) {
    problems.add_at_key(within ? "within" : "after", "\"after\" needs \"within\": a number of lines from 1 to 1000");
    return;
  }
  def.within = within->get<uint32_t>();
}

void load_events(const RuleFile& file, const json& doc, RuleSet& set,
                 std::vector<std::string>& problem_list) {
  Problems problems{file, "", problem_list};
  if (!doc.is_object() || !doc.contains("events") || !doc["events"].is_array() || doc.size() != 1) {
    problems.add("an events file holds {\"events\": [...]}");
    return;
  }
  for (const json& e : doc["events"]) {
    if (!e.is_object()) {
      problems.add("an event is an object");
      continue;
    }
    EventDef def;
    def.file = file.name;
    def.id = string_or_empty(e, "id", problems);
    problems.rule = def.id;
    for (const auto& [key, value] : e.items())
      if (!kEventKeys.count(key)) problems.add_at_key(key, "unknown key \"" + key + "\" in event");
    def.label = string_or_empty(e, "label", problems);
    def.phase = string_or_empty(e, "phase", problems);
    if (!kPhases.count(def.phase))
      problems.add_at_key("phase", "\"phase\" must be build, deploy, start, run, fail or stop");
    def.regex = string_or_empty(e, "pattern", problems);
    std::string error;
    if (def.regex.empty()) problems.add_at_key("pattern", "\"pattern\" must be a non-empty pattern");
    else if (!(def.compiled = compile_pattern(def.regex, &error)))
      problems.add_at_key("pattern", "bad regex /" + def.regex + "/: " + error);
    def.kinds = log_kinds(e, problems);
    def.starts_attempt = bool_or_false(e, "starts_attempt", problems);
    read_follow(e, def, problems);
    def.error = string_or_empty(e, "error", problems);
    if (e.contains("error") && !kErrorRoles.count(def.error))
      problems.add_at_key("error", "\"error\" must be line, traceback, exception or traceback-end");
    set.events.push_back(std::move(def));
  }
}

// A data file: {"about": "...", "entries": {"key": "value", ...}}; its id is the file's stem.
void load_table(const RuleFile& file, const json& doc, RuleSet& set, std::vector<std::string>& problem_list) {
  Problems problems{file, "", problem_list};
  bool shape = doc.is_object() && doc.contains("entries") && doc["entries"].is_object() &&
               std::all_of(doc.items().begin(), doc.items().end(),
                           [](const auto& kv) { return kv.key() == "about" || kv.key() == "entries"; });
  if (!shape || (doc.contains("about") && !doc["about"].is_string())) {
    problems.add("a data file holds {\"about\": \"...\", \"entries\": {\"key\": \"value\", ...}}");
    return;
  }
  LookupTable table;
  table.file = file.name;
  for (const auto& [key, value] : doc["entries"].items()) {
    if (value.is_string() && !value.get<std::string>().empty()) table.entries.emplace(key, value.get<std::string>());
    else problems.add_at_key(key, "entry \"" + key + "\" must be a non-empty string, got " + value.dump());
  }
  auto [it, inserted] = set.tables.emplace(stem(file.name), std::move(table));
  if (!inserted) problems.add("duplicate table \"" + stem(file.name) + "\" (also in " + it->second.file + ")");
}

// Every lookup of a rule names a table of the pack.
void check_lookups(const RuleSet& set, std::vector<std::string>& problems) {
  for (const Rule& rule : set.rules)
    for (const auto& l : rule.lookups)
      if (!set.tables.count(l.table))
        problems.push_back(rule.file + ": " + rule.id + ": lookup \"" + l.capture + "\" names unknown table \"" +
                           l.table + "\" (rules/data/" + l.table + ".json)");
}

// An event's "after" names another event that is itself always looked for.
void check_follows(const RuleSet& set, std::vector<std::string>& problems) {
  std::map<std::string, const EventDef*> by_id;
  for (const EventDef& e : set.events) by_id.emplace(e.id, &e);
  for (const EventDef& e : set.events) {
    if (e.after.empty()) continue;
    auto anchor = by_id.find(e.after);
    if (anchor == by_id.end() || anchor->second == &e)
      problems.push_back(e.file + ": " + e.id + ": \"after\" names unknown event \"" + e.after + "\"");
    else if (!anchor->second->after.empty())
      problems.push_back(e.file + ": " + e.id + ": \"after\" names event \"" + e.after +
                         "\", which has an \"after\" itself");
  }
}

void check_pack(const RuleSet& set, const std::set<std::string>& known_ids,
                std::vector<std::string>& problems) {
  std::map<std::string, const Rule*> by_id;
  for (const Rule& rule : set.rules) {
    if (rule.id.empty()) continue;
    auto [it, inserted] = by_id.emplace(rule.id, &rule);
    if (!inserted)
      problems.push_back(rule.file + ": " + rule.id + ": duplicate id (also in " + it->second->file + ")");
  }
  for (const Rule& rule : set.rules)
    for (const auto& id : rule.explains)
      if (!by_id.count(id) && !known_ids.count(id))
        problems.push_back(rule.file + ": " + rule.id + ": explains unknown rule id \"" + id + "\"");
  // A cycle in `explains` would leave no root cause: reject it.
  std::map<std::string, int> state;  // absent: new, 1: on the current path, 2: done
  std::function<void(const Rule&)> visit = [&](const Rule& rule) {
    state[rule.id] = 1;
    for (const auto& id : rule.explains) {
      auto next = by_id.find(id);
      if (next == by_id.end()) continue;
      if (state[id] == 1)
        problems.push_back(rule.file + ": " + rule.id + ": explains forms a cycle through \"" + id + "\"");
      else if (state[id] == 0)
        visit(*next->second);
    }
    state[rule.id] = 2;
  };
  for (const Rule& rule : set.rules)
    if (!rule.id.empty() && state[rule.id] == 0) visit(rule);
  check_follows(set, problems);
  check_lookups(set, problems);
}

}  // namespace

RuleLoadError::RuleLoadError(std::vector<std::string> problems)
    : InputError([&] {
        std::string all;
        for (const auto& p : problems) all += (all.empty() ? "" : "\n") + p;
        return all;
      }()),
      problems_(std::move(problems)) {}

std::vector<RuleFile> builtin_rule_files() {
  std::vector<RuleFile> files;
  for (const auto& f : embedded_rule_files()) files.push_back({std::string(f.name), std::string(f.text)});
  return files;
}

std::vector<RuleFile> rule_files_in(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw InputError(dir + ": not a readable rules directory");
  std::vector<std::string> paths;
  for (const std::string& sub : {dir, dir + "/events", dir + "/data"}) {
    if (!fs::is_directory(sub, ec)) continue;
    for (const auto& entry : fs::directory_iterator(sub, ec))
      if (entry.is_regular_file() && entry.path().extension() == ".json")
        paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  if (paths.empty()) throw InputError(dir + ": no rule files (*.json)");
  std::vector<RuleFile> files;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path + ": cannot read");
    std::ostringstream text;
    text << in.rdbuf();
    files.push_back({path, text.str()});
  }
  return files;
}

RuleSet load_rules(const std::vector<RuleFile>& files, const std::set<std::string>& known_ids) {
  RuleSet set;
  std::vector<std::string> problems;
  for (const RuleFile& file : files) {
    auto doc = parse_json(file, problems);
    if (!doc) continue;
    // An events file sits in a folder named exactly "events" (not "myevents"), a table in "data".
    auto folder = std::filesystem::path(file.name).parent_path().filename();
    if (folder == "events") load_events(file, *doc, set, problems);
    else if (folder == "data") load_table(file, *doc, set, problems);
    else load_rule(file, *doc, set, problems);
  }
  check_pack(set, known_ids, problems);
  if (!problems.empty()) throw RuleLoadError(std::move(problems));
  return set;
}

}  // namespace appdiag
