#pragma once
// `appdiag explain`: why a rule did or did not fire, condition by condition;
// `appdiag rules show`: what a rule looks for.
#include <ostream>

#include "analyzer/engine/condition_eval.h"
#include "analyzer/core/rule.h"

namespace appdiag {

void write_explain(const Rule& rule, const Trace& trace, std::ostream& out);

// `appdiag rules show`: the rule as a reader needs it — summary, the condition
// tree, remediation steps and references.
void write_rule(const Rule& rule, std::ostream& out);

}  // namespace appdiag
