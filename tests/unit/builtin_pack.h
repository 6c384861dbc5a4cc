// The built-in rule pack, loaded once per test process: the input of the
// engine, report and pack tests.
#pragma once

#include "analyzer/pack/rule_loader.h"

namespace appdiag::test {

inline const RuleSet& builtin_pack() {
  static const RuleSet rules = load_rules(builtin_rule_files());
  return rules;
}

}  // namespace appdiag::test
