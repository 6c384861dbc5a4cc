#pragma once
// The compiler stage for one rule file (rules/<id>.json): typed reads of every
// field, each problem at the exact key of that rule.
#include <string>

#include "analyzer/core/rule.h"
#include "analyzer/pack/json_node.h"
#include "analyzer/pack/pattern_pool.h"

namespace appdiag {

// Appends the rule (and its line patterns) to `set`, even when it has problems.
void compile_rule(const JsonNode& doc, const std::string& file, RuleSet& set, const PatternPool& patterns);

}  // namespace appdiag
