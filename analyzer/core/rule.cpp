#include "analyzer/core/rule.h"

namespace appdiag {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::Info: return "info";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "error";
}

std::string_view to_string(Confidence confidence) {
  switch (confidence) {
    case Confidence::Low: return "low";
    case Confidence::Medium: return "medium";
    case Confidence::High: return "high";
  }
  return "high";
}

const std::vector<Condition>& Condition::children() const {
  static const std::vector<Condition> none;
  if (auto* c = as<AllOf>()) return c->children;
  if (auto* c = as<AnyOf>()) return c->children;
  if (auto* c = as<NoneOf>()) return c->children;
  return none;
}

const std::string* LookupTable::find(std::string_view key) const {
  for (std::string_view k = key;;) {
    auto it = entries.find(std::string(k));
    if (it != entries.end()) return &it->second;
    size_t dot = k.rfind('.');
    if (dot == std::string_view::npos) return nullptr;
    k = k.substr(0, dot);
  }
}

const Rule* RuleSet::find(std::string_view id) const {
  for (const Rule& rule : rules)
    if (rule.id == id) return &rule;
  return nullptr;
}

std::vector<std::string> RuleSet::ids() const {
  std::vector<std::string> out;
  for (const Rule& rule : rules) out.push_back(rule.id);
  return out;
}

}  // namespace appdiag
