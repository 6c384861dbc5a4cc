#include "analyzer/pack/pack_checks.h"

#include <functional>

#include "analyzer/core/engine_reads.h"

namespace appdiag {

namespace {

// A problem in `file` (rule `id`) at JSON pointer `pointer`, when the file's locations are known.
struct Reporter {
  const std::map<std::string, JsonLocations>& where;
  std::vector<RuleProblem>& out;

  void add(const std::string& code, const std::string& file, const std::string& id, const std::string& pointer,
           const std::string& message) {
    auto it = where.find(file);
    out.push_back({code, file, it == where.end() ? TextPosition{} : it->second.key(pointer), id, message});
  }
};

void check_ids_and_explains(const RuleSet& set, const std::set<std::string>& known_ids, Reporter& report) {
  std::map<std::string, const Rule*> by_id;
  for (const Rule& rule : set.rules) {
    if (rule.id.empty()) continue;
    auto [it, inserted] = by_id.emplace(rule.id, &rule);
    if (!inserted)
      report.add("duplicate-id", rule.file, rule.id, "/id", "duplicate id (also in " + it->second->file + ")");
  }
  for (const Rule& rule : set.rules)
    for (size_t i = 0; i < rule.explains.size(); ++i)
      if (!by_id.count(rule.explains[i]) && !known_ids.count(rule.explains[i]))
        report.add("unknown-rule", rule.file, rule.id, "/explains/" + std::to_string(i),
                   "explains unknown rule id \"" + rule.explains[i] + "\"");
  // A cycle in `explains` would leave no root cause: reject it.
  std::map<std::string, int> state;  // absent: new, 1: on the current path, 2: done
  std::function<void(const Rule&)> visit = [&](const Rule& rule) {
    state[rule.id] = 1;
    for (size_t i = 0; i < rule.explains.size(); ++i) {
      const std::string& id = rule.explains[i];
      auto next = by_id.find(id);
      if (next == by_id.end()) continue;
      if (state[id] == 1)
        report.add("cycle", rule.file, rule.id, "/explains/" + std::to_string(i),
                   "explains forms a cycle through \"" + id + "\"");
      else if (state[id] == 0)
        visit(*next->second);
    }
    state[rule.id] = 2;
  };
  for (const Rule& rule : set.rules)
    if (!rule.id.empty() && state[rule.id] == 0) visit(rule);
}

// An event's "after" names another event that is itself always looked for.
void check_follows(const RuleSet& set, Reporter& report) {
  std::map<std::string, const EventDef*> by_id;
  for (const EventDef& e : set.events) by_id.emplace(e.id, &e);
  for (size_t i = 0; i < set.events.size(); ++i) {
    const EventDef& e = set.events[i];
    if (e.after.empty()) continue;
    // Events of one file are numbered in it; find this one's index there.
    size_t index = 0;
    for (size_t j = 0; j < i; ++j) index += set.events[j].file == e.file;
    std::string at = "/events/" + std::to_string(index) + "/after";
    auto anchor = by_id.find(e.after);
    if (anchor == by_id.end() || anchor->second == &e)
      report.add("unknown-event", e.file, e.id, at, "\"after\" names unknown event \"" + e.after + "\"");
    else if (!anchor->second->after.empty())
      report.add("bad-value", e.file, e.id, at,
                 "\"after\" names event \"" + e.after + "\", which has an \"after\" itself");
  }
}

// Every lookup of a rule names a table of the pack.
void check_lookups(const RuleSet& set, Reporter& report) {
  for (const Rule& rule : set.rules)
    for (const auto& l : rule.lookups)
      if (!set.tables.count(l.table))
        report.add("unknown-table", rule.file, rule.id, "/lookup/" + l.capture,
                   "lookup \"" + l.capture + "\" names unknown table \"" + l.table + "\" (rules/data/" + l.table +
                       ".json)");
}

const EventDef* find_event(const RuleSet& set, std::string_view id) {
  for (const EventDef& e : set.events)
    if (e.id == id) return &e;
  return nullptr;
}

}  // namespace

void check_engine_reads(const RuleSet& set, std::vector<RuleProblem>& problems) {
  const std::string events_file = set.events.empty() ? "rules/events/" : set.events.front().file;
  for (std::string_view id : reads::kEvents)
    if (!find_event(set, id))
      problems.push_back({"engine-event", events_file, {}, std::string(id),
                          "the analyzer reads event \"" + std::string(id) + "\", which no events file defines"});
  for (const reads::CaptureRead& read : reads::kCaptures) {
    const EventDef* e = find_event(set, read.event);
    if (!e || !e->compiled) continue;  // reported above, or its pattern did not compile
    if (!e->compiled->NamedCapturingGroups().count(std::string(read.capture)))
      problems.push_back({"engine-capture", e->file, {}, e->id,
                          "the analyzer reads capture \"" + std::string(read.capture) + "\" of event \"" + e->id +
                              "\", which its pattern does not define"});
  }
}

void check_pack(const RuleSet& set, const std::map<std::string, JsonLocations>& where,
                const std::set<std::string>& known_ids, std::vector<RuleProblem>& problems) {
  Reporter report{where, problems};
  check_ids_and_explains(set, known_ids, report);
  check_follows(set, report);
  check_lookups(set, report);
}

}  // namespace appdiag
