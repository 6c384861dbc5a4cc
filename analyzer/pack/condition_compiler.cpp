#include "analyzer/pack/condition_compiler.h"

#include <array>

#include "analyzer/core/pattern.h"

namespace appdiag {

namespace {

constexpr size_t kMaxConditionDepth = 32;
const std::vector<SourceKind> kLogKinds = {SourceKind::Deploy, SourceKind::Platform, SourceKind::App};
const std::array<std::string, 9> kTypes = {"all", "any", "none", "log", "file", "path", "content", "setting",
                                           "captures_differ"};
const std::string kInCondition = " in condition";

}  // namespace

std::vector<SourceKind> log_kinds(const JsonNode& node) {
  if (!node.has("in")) return kLogKinds;
  JsonNode in = node["in"];
  if (!in.json().is_array() || in.json().empty()) {
    in.problem("wrong-type", "\"in\" must be a non-empty array of source kinds");
    return kLogKinds;
  }
  std::vector<SourceKind> kinds;
  for (size_t i = 0; i < in.json().size(); ++i) {
    const auto& k = in.json()[i];
    auto kind = k.is_string() ? parse_source_kind(k.get<std::string>()) : std::nullopt;
    if (!kind || !is_log_kind(*kind)) in[i].problem("bad-value", "\"in\" takes deploy, platform or app, not " + k.dump());
    else kinds.push_back(*kind);
  }
  return kinds.empty() ? kLogKinds : kinds;
}

Condition ConditionCompiler::compile(const JsonNode& node, size_t depth) {
  Condition c;
  if (depth > kMaxConditionDepth) {
    // Evaluation and explain recurse over the tree: a deep one would overflow the stack.
    node.problem("too-deep", "conditions are nested more than " + std::to_string(kMaxConditionDepth) + " deep");
    return c;
  }
  if (!node.json().is_object()) {
    node.problem("wrong-type", "a condition must be an object, got " + std::string(node.json().type_name()));
    return c;
  }
  c.why = node.string("why").value_or("");
  std::vector<std::string> types;
  for (const auto& t : kTypes)
    if (node.has(t)) types.push_back(t);
  if (types.size() != 1) {
    node.problem(types.empty() ? "missing-key" : "bad-value",
                 types.empty() ? "a condition needs one of all, any, none, log, file, path, content, setting, "
                                 "captures_differ: " + node.json().dump()
                               : "a condition has more than one type: " + node.json().dump());
    return c;
  }
  const std::string& type = types[0];
  if (type == "all" || type == "any" || type == "none") return combine(node, type, depth);
  if (type == "log") c.node = log(node);
  else if (type == "file") c.node = file(node);
  else if (type == "path") c.node = path(node);
  else if (type == "content") c.node = content(node);
  else if (type == "setting") c.node = setting(node);
  else c.node = differ(node);
  return c;
}

Condition ConditionCompiler::combine(const JsonNode& node, const std::string& type, size_t depth) {
  node.only_keys({type, "why"}, kInCondition);
  Condition c;
  c.why = node.string("why").value_or("");
  std::vector<Condition> children;
  JsonNode list = node[type];
  if (!list.json().is_array() || list.json().empty())
    list.problem("wrong-type", "\"" + type + "\" must be a non-empty array");
  else
    for (size_t i = 0; i < list.json().size(); ++i) children.push_back(compile(list[i], depth + 1));
  if (type == "all") c.node = AllOf{std::move(children)};
  else if (type == "any") c.node = AnyOf{std::move(children)};
  else c.node = NoneOf{std::move(children)};
  return c;
}

std::shared_ptr<const RE2> ConditionCompiler::regex(const JsonNode& node, const std::string& key) {
  auto text = node.string(key);
  if (!node.has(key)) node.problem("missing-key", "\"" + key + "\" is required");
  if (!text) return nullptr;
  if (text->empty()) {
    // An empty pattern matches every line: surely a mistake, and nothing to evaluate.
    node[key].problem("bad-value", "\"" + key + "\" is an empty pattern");
    return nullptr;
  }
  std::string error;
  auto re = patterns_.compile(*text, &error);
  if (!re) {
    problems_.at_value("bad-regex", node.pointer_of(key), "bad regex /" + *text + "/: " + error);
    return nullptr;
  }
  for (const auto& [name, index] : re->NamedCapturingGroups()) captures_.insert(name);
  return re;
}

LogMatch ConditionCompiler::log(const JsonNode& node) {
  node.only_keys({"log", "in", "why"}, kInCondition);
  LogMatch m;
  m.kinds = log_kinds(node);
  auto compiled = regex(node, "log");
  if (!compiled) return m;
  m.regex = node.json()["log"].get<std::string>();
  m.pattern = static_cast<int>(set_.patterns.size());
  set_.patterns.push_back({m.regex, std::move(compiled), m.kinds, rule_index_});
  return m;
}

FileGlob ConditionCompiler::file(const JsonNode& node) {
  node.only_keys({"file", "at", "dir", "why"}, kInCondition);
  FileGlob g;
  g.dir_only = node.boolean("dir").value_or(false);
  g.glob = node.string("file").value_or("");
  if (node.json()["file"].is_string() && g.glob.empty()) node["file"].problem("bad-value", "\"file\" is an empty glob");
  bool at_root = true;
  if (auto at = node.string("at")) {
    if (*at != "root" && *at != "anywhere") node["at"].problem("bad-value", "\"at\" must be \"root\" or \"anywhere\"");
    at_root = *at != "anywhere";
  }
  std::string error;
  g.regex = compile_pattern(glob_to_regex(g.glob, at_root), &error);
  if (!g.regex) node["file"].problem("bad-glob", "bad glob \"" + g.glob + "\": " + error);
  return g;
}

PathMatch ConditionCompiler::path(const JsonNode& node) {
  node.only_keys({"path", "dir", "why"}, kInCondition);
  PathMatch p;
  p.dir_only = node.boolean("dir").value_or(false);
  p.regex = regex(node, "path");
  p.regex_text = node.string("path").value_or("");
  return p;
}

ContentMatch ConditionCompiler::content(const JsonNode& node) {
  node.only_keys({"content", "matches", "why"}, kInCondition);
  ContentMatch m;
  m.file = node.string("content").value_or("");
  m.regex = regex(node, "matches");
  return m;
}

SettingTest ConditionCompiler::setting(const JsonNode& node) {
  node.only_keys({"setting", "absent", "present", "equals", "matches", "why"}, kInCondition);
  SettingTest s;
  s.name = node.string("setting").value_or("");
  int ops = 0;
  for (const auto& [key, op] : {std::pair{"absent", SettingTest::Op::Absent}, std::pair{"present", SettingTest::Op::Present}})
    if (node.has(key)) {
      ++ops, s.op = op;
      if (node.boolean(key) == false)
        node[key].problem("bad-value", "\"" + std::string(key) + "\" can only be true (wrap in none to negate)");
    }
  if (node.has("equals")) ++ops, s.op = SettingTest::Op::Equals, s.value = node.string("equals").value_or("");
  if (node.has("matches")) ++ops, s.op = SettingTest::Op::Matches, s.regex = regex(node, "matches");
  if (ops != 1)
    node.problem_at("setting", "bad-value", "a setting condition needs exactly one of absent, present, equals, matches");
  return s;
}

CapturesDiffer ConditionCompiler::differ(const JsonNode& node) {
  node.only_keys({"captures_differ", "why"}, kInCondition);
  auto names = node.strings("captures_differ");
  if (!names || names->size() != 2) {
    node.problem_at("captures_differ", "wrong-type", "\"captures_differ\" must name two captures");
    return {};
  }
  differs_.push_back({node.pointer_of("captures_differ"), *names});
  return {(*names)[0], (*names)[1]};
}

void ConditionCompiler::check_differ_names() const {
  for (const DifferAt& d : differs_)
    for (const auto& name : d.names)
      if (!captures_.count(name))
        problems_.at_key("unknown-capture", d.pointer,
                          "captures_differ names '" + name + "', which no condition of the rule captures");
}

}  // namespace appdiag
