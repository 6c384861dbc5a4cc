#pragma once
// The compiler stage for an events file (rules/events/*.json) and a data
// table (rules/data/*.json).
#include <string>

#include "analyzer/core/rule.h"
#include "analyzer/pack/json_node.h"
#include "analyzer/pack/pattern_pool.h"

namespace appdiag {

// {"events": [...]}: appends each event to `set`.
void compile_events(const JsonNode& doc, const std::string& file, RuleSet& set, const PatternPool& patterns);

// {"about": "...", "entries": {"key": "value", ...}}: its id is the file's stem.
void compile_table(const JsonNode& doc, const std::string& file, RuleSet& set);

}  // namespace appdiag
