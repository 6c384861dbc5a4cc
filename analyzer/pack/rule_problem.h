#pragma once
// A problem found while loading a rule pack: a stable code, the file, the
// line and column of the key or value it is about, and the rule it is in.
#include <string>
#include <vector>

#include "analyzer/core/error.h"
#include "analyzer/pack/json_locations.h"

namespace appdiag {

struct RuleProblem {
  std::string code;  // e.g. "unknown-key", "wrong-type", "bad-regex" (see README "Rule format")
  std::string file;
  TextPosition at;   // {0, 0} when the problem is about the file or the pack as a whole
  std::string rule;  // the rule or event id, when known
  std::string message;
  // "file:line:col: rule: message [code]", the parts that are known.
  std::string text() const;
};

// Every problem found; what() holds their text() one per line.
class RuleLoadError : public InputError {
 public:
  explicit RuleLoadError(std::vector<RuleProblem> problems);
  const std::vector<RuleProblem>& problems() const { return problems_; }

 private:
  std::vector<RuleProblem> problems_;
};

// Collects the problems of one file; `rule` names the rule once it is known.
class Problems {
 public:
  Problems(std::string file, const JsonLocations* where, std::vector<RuleProblem>& out)
      : file_(std::move(file)), where_(where), out_(out) {}

  std::string rule;
  void at_key(const std::string& code, const std::string& pointer, const std::string& message);
  void at_value(const std::string& code, const std::string& pointer, const std::string& message);
  void at(const std::string& code, TextPosition where, const std::string& message);

 private:
  std::string file_;
  const JsonLocations* where_;
  std::vector<RuleProblem>& out_;
};

}  // namespace appdiag
