#pragma once
// Reads and validates a rule pack. Loading is strict and collects every
// problem before failing, so one bad rule never hides the others.
#include <set>
#include <string>
#include <vector>

#include "analyzer/core/error.h"
#include "analyzer/core/pattern.h"
#include "analyzer/core/rule.h"

namespace appdiag {

struct RuleFile {
  std::string name;  // shown in problems, e.g. "rules/shipped-venv.json"
  std::string text;
};

// Every problem found, each one line: "file:line:col: message" for JSON syntax,
// "file: rule-id: message" otherwise. what() holds them all, one per line.
class RuleLoadError : public InputError {
 public:
  explicit RuleLoadError(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

// The pack compiled into the binary.
std::vector<RuleFile> builtin_rule_files();
// DIR/*.json (rules) and DIR/events/*.json (timeline events), sorted by name.
// Throws InputError when DIR cannot be read or holds no rule file.
std::vector<RuleFile> rule_files_in(const std::string& dir);
// Files under an "events/" folder hold event definitions, the rest one rule each.
// `explains` may also name `known_ids` (e.g. the built-in pack's ids when a
// --rules DIR is checked on its own).
RuleSet load_rules(const std::vector<RuleFile>& files, const std::set<std::string>& known_ids = {});

}  // namespace appdiag
