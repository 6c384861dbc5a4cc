#include "analyzer/pack/event_compiler.h"

#include <filesystem>
#include <set>

#include "analyzer/core/pattern.h"
#include "analyzer/pack/condition_compiler.h"

namespace appdiag {

namespace {

constexpr uint64_t kMaxWithin = 1000;

// "after": EVENT-ID and "within": N (1..1000 lines) come together.
void read_follow(const JsonNode& e, EventDef& def) {
  if (!e.has("after") && !e.has("within")) return;
  if (!e.has("after")) {
    e.problem_at("within", "missing-key", "\"within\" needs \"after\": the event whose lines it follows");
    return;
  }
  def.after = e.string("after").value_or("");
  if (!e.has("within")) {
    e.problem_at("after", "missing-key", "\"after\" needs \"within\": a number of lines from 1 to 1000");
    return;
  }
  def.within = static_cast<uint32_t>(e.count("within", 1, kMaxWithin).value_or(0));
}

EventDef compile_event(const JsonNode& e, const std::string& file, const PatternPool& patterns) {
  EventDef def;
  def.file = file;
  def.id = e.string("id").value_or("");
  e.problems().rule = def.id;
  e.only_keys({"id", "label", "phase", "in", "pattern", "starts_attempt", "after", "within", "error"}, " in event");
  def.label = e.string("label").value_or("");
  def.phase = e.string("phase").value_or("");
  static const std::set<std::string> kPhases = {"build", "deploy", "start", "run", "fail", "stop"};
  if (!kPhases.count(def.phase))
    (e.has("phase") ? e["phase"] : e).problem("bad-value", "\"phase\" must be build, deploy, start, run, fail or stop");
  def.regex = e.string("pattern").value_or("");
  std::string error;
  if (def.regex.empty())
    (e.has("pattern") ? e["pattern"] : e).problem("bad-value", "\"pattern\" must be a non-empty pattern");
  else if (!(def.compiled = patterns.compile(def.regex, &error)))
    e.problems().at_value("bad-regex", e.pointer_of("pattern"), "bad regex /" + def.regex + "/: " + error);
  def.kinds = log_kinds(e);
  def.starts_attempt = e.boolean("starts_attempt").value_or(false);
  read_follow(e, def);
  def.error = e.string("error").value_or("");
  static const std::set<std::string> kErrorRoles = {"line", "traceback", "exception", "traceback-end"};
  if (e.has("error") && !kErrorRoles.count(def.error))
    e["error"].problem("bad-value", "\"error\" must be line, traceback, exception or traceback-end");
  return def;
}

}  // namespace

void compile_events(const JsonNode& doc, const std::string& file, RuleSet& set, const PatternPool& patterns) {
  const auto& j = doc.json();
  if (!j.is_object() || !j.contains("events") || !j["events"].is_array() || j.size() != 1) {
    doc.problem("wrong-type", "an events file holds {\"events\": [...]}");
    return;
  }
  JsonNode list = doc["events"];
  for (size_t i = 0; i < j["events"].size(); ++i) {
    doc.problems().rule.clear();
    if (!j["events"][i].is_object()) list[i].problem("wrong-type", "an event is an object");
    else set.events.push_back(compile_event(list[i], file, patterns));
  }
}

void compile_table(const JsonNode& doc, const std::string& file, RuleSet& set) {
  const auto& j = doc.json();
  if (!j.is_object() || !j.contains("entries") || !j["entries"].is_object()) {
    doc.problem("wrong-type", "a data file holds {\"about\": \"...\", \"entries\": {\"key\": \"value\", ...}}");
    return;
  }
  doc.only_keys({"about", "entries"});
  doc.string("about");
  LookupTable table;
  table.file = file;
  JsonNode entries = doc["entries"];
  for (const auto& [key, value] : j["entries"].items()) {
    if (value.is_string() && !value.get<std::string>().empty()) table.entries.emplace(key, value.get<std::string>());
    else entries[key].problem("wrong-type", "entry \"" + key + "\" must be a non-empty string, got " + value.dump());
  }
  std::string id = std::filesystem::path(file).stem().string();
  auto [it, inserted] = set.tables.emplace(id, std::move(table));
  if (!inserted) doc.problem("duplicate-id", "duplicate table \"" + id + "\" (also in " + it->second.file + ")");
}

}  // namespace appdiag
