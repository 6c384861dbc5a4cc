#pragma once
// `appdiag explain`: why a rule did or did not fire, condition by condition.
#include <ostream>

#include "analyzer/engine/condition_eval.h"
#include "analyzer/core/rule.h"

namespace appdiag {

void write_explain(const Rule& rule, const Trace& trace, std::ostream& out);

}  // namespace appdiag
