#pragma once
// Which findings a run reports: --only and --skip by rule id, and findings a
// --baseline already knows. Applied to the finished diagnosis, so every
// format and the exit code see the same findings.
#include <set>
#include <string>

#include "analyzer/engine/baseline.h"
#include "analyzer/engine/diagnosis.h"

namespace appdiag {

struct FindingFilter {
  std::set<std::string> only;  // empty: every rule
  std::set<std::string> skip;
  const Baseline* baseline = nullptr;

  bool wants_rule(const std::string& id) const;
  bool wants(const Finding& f) const;  // the rule is wanted and the baseline does not know f
};

// "a,b,c" into ids; throws InputError naming `option` for an id the pack lacks.
std::set<std::string> parse_rule_ids(const std::string& option, const std::string& list, const RuleSet& rules);

// Drops unwanted findings. A finding that was a symptom only of dropped ones
// becomes a root cause of its own (unless it came after the platform's stop).
// Returns how many were dropped.
size_t apply_filter(const FindingFilter& filter, Diagnosis& d);

}  // namespace appdiag
