#pragma once
// The compiler stage for a rule's conditions: turns the `when` tree and the
// "decisive" leaves, read from JSON with their locations, into Conditions; a
// log leaf also becomes a LinePattern of the set.
#include <set>
#include <string>
#include <vector>

#include "analyzer/core/rule.h"
#include "analyzer/pack/json_node.h"
#include "analyzer/pack/pattern_pool.h"

namespace appdiag {

class ConditionCompiler {
 public:
  ConditionCompiler(RuleSet& set, size_t rule_index, Problems& problems, const PatternPool& patterns)
      : set_(set), rule_index_(rule_index), problems_(problems), patterns_(patterns) {}

  // One node and its children; records problems and returns what it could.
  Condition compile(const JsonNode& node, size_t depth = 1);
  // The named groups of every pattern compiled so far.
  const std::set<std::string>& captures() const { return captures_; }
  // captures_differ may only name captures of the rule: call after every condition is compiled.
  void check_differ_names() const;

 private:
  Condition combine(const JsonNode& node, const std::string& type, size_t depth);
  LogMatch log(const JsonNode& node);
  FileGlob file(const JsonNode& node);
  PathMatch path(const JsonNode& node);
  ContentMatch content(const JsonNode& node);
  SettingTest setting(const JsonNode& node);
  CapturesDiffer differ(const JsonNode& node);
  std::shared_ptr<const RE2> regex(const JsonNode& node, const std::string& key);

  struct DifferAt {
    std::string pointer;
    std::vector<std::string> names;
  };
  RuleSet& set_;
  size_t rule_index_;
  std::set<std::string> captures_;
  std::vector<DifferAt> differs_;
  Problems& problems_;
  const PatternPool& patterns_;
};

// The "in" list of a log condition or event: deploy, platform, app; all three when absent.
std::vector<SourceKind> log_kinds(const JsonNode& node);

}  // namespace appdiag
