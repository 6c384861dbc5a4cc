#pragma once
// Reads and validates a rule pack, in stages: each file is read (JSON syntax,
// and where each key and value is), then compiled (typed reads of every
// field), then the pack is checked as a whole. Loading is strict and collects
// every problem before failing, so one bad rule never hides the others.
#include <set>
#include <string>
#include <vector>

#include "analyzer/core/error.h"
#include "analyzer/core/pattern.h"
#include "analyzer/core/rule.h"
#include "analyzer/pack/rule_problem.h"

namespace appdiag {

struct RuleFile {
  std::string name;  // shown in problems, e.g. "rules/shipped-venv.json"
  std::string text;
};

// The pack compiled into the binary.
std::vector<RuleFile> builtin_rule_files();
// DIR/*.json (rules), DIR/events/*.json (timeline events) and DIR/data/*.json
// (tables), sorted by name. Throws InputError when DIR cannot be read or holds
// no rule file.
std::vector<RuleFile> rule_files_in(const std::string& dir);
// A pack the analyzer runs (the built-in one, with any --rules DIR) is loaded
// whole: then every event and capture the C++ reads by name
// (core/engine_reads.h) must be in it. A part (a DIR checked on its own, a
// test's few files) need not hold them.
enum class PackScope { Part, Whole };

// Files under an "events/" folder hold event definitions, under "data/" a
// table, the rest one rule each. `explains` may also name `known_ids` (e.g.
// the built-in pack's ids when a --rules DIR is checked on its own). Throws
// RuleLoadError with every problem.
RuleSet load_rules(const std::vector<RuleFile>& files, const std::set<std::string>& known_ids = {},
                   PackScope scope = PackScope::Part);

}  // namespace appdiag
