#pragma once
// A finding's remediation: the rule's steps with its captures substituted,
// each step's first alternative whose captures are all known (a capture looked
// up in a table of rules/data/ is unknown when the table has no entry).
#include <map>
#include <string>
#include <vector>

#include "analyzer/core/rule.h"

namespace appdiag {

std::vector<std::string> remediation_for(const Rule& rule, const RuleSet& pack,
                                         const std::map<std::string, std::string>& captures);

}  // namespace appdiag
