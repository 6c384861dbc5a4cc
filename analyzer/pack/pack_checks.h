#pragma once
// Checks across the files of a pack, after each file is compiled: unique
// ids, `explains` naming known rules without a cycle, events' `after`,
// lookups naming a table.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "analyzer/core/rule.h"
#include "analyzer/pack/rule_problem.h"

namespace appdiag {

// `where` gives the locations of each file by name; `known_ids` are rule ids
// `explains` may name besides the pack's own.
void check_pack(const RuleSet& set, const std::map<std::string, JsonLocations>& where,
                const std::set<std::string>& known_ids, std::vector<RuleProblem>& problems);

// Every event id and capture name the C++ reads (core/engine_reads.h) is
// defined by the pack: problems engine-event and engine-capture otherwise.
void check_engine_reads(const RuleSet& set, std::vector<RuleProblem>& problems);

}  // namespace appdiag
