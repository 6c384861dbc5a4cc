#include "analyzer/pack/rule_problem.h"

namespace appdiag {

std::string RuleProblem::text() const {
  // Appended piece by piece: `"literal" + std::string` trips a false GCC 12 -Wrestrict at -O3.
  std::string out = file;
  if (at.line) out.append(":").append(std::to_string(at.line)).append(":").append(std::to_string(at.column));
  out.append(": ");
  if (!rule.empty()) out.append(rule).append(": ");
  return out.append(message).append(" [").append(code).append("]");
}

RuleLoadError::RuleLoadError(std::vector<RuleProblem> problems)
    : InputError([&] {
        std::string all;
        for (const auto& p : problems) all += (all.empty() ? "" : "\n") + p.text();
        return all;
      }()),
      problems_(std::move(problems)) {}

void Problems::at_key(const std::string& code, const std::string& pointer, const std::string& message) {
  at(code, where_ ? where_->key(pointer) : TextPosition{}, message);
}

void Problems::at_value(const std::string& code, const std::string& pointer, const std::string& message) {
  at(code, where_ ? where_->value(pointer) : TextPosition{}, message);
}

void Problems::at(const std::string& code, TextPosition where, const std::string& message) {
  out_.push_back({code, file_, where, rule, message});
}

}  // namespace appdiag
