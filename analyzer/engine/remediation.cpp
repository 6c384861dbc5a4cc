#include "analyzer/engine/remediation.h"

#include <re2/re2.h>

namespace appdiag {

namespace {

const RE2& variable() {
  static const RE2 var(R"(\$\{([A-Za-z_][A-Za-z0-9_]*)\})");
  return var;
}

bool all_known(const std::string& step, const std::map<std::string, std::string>& values) {
  re2::StringPiece in(step);
  std::string name;
  while (RE2::FindAndConsume(&in, variable(), &name))
    if (!values.count(name)) return false;
  return true;
}

// Left to right over the step as written, so a value holding "${x}" stays as it is.
// An unknown name stays visible as <name> (a last alternative may still hold one).
std::string substitute(const std::string& step, const std::map<std::string, std::string>& values) {
  static const RE2 token(R"((\$\{([A-Za-z_][A-Za-z0-9_]*)\}))");
  std::string out;
  re2::StringPiece in(step), whole;
  std::string name;
  size_t done = 0;
  while (RE2::FindAndConsume(&in, token, &whole, &name)) {
    out.append(step, done, static_cast<size_t>(whole.data() - step.data()) - done);
    auto it = values.find(name);
    out += it == values.end() ? "<" + name + ">" : it->second;
    done = static_cast<size_t>(whole.data() - step.data()) + whole.size();
  }
  return out.append(step, done, std::string::npos);
}

}  // namespace

std::vector<std::string> remediation_for(const Rule& rule, const RuleSet& pack,
                                         const std::map<std::string, std::string>& captures) {
  std::map<std::string, std::string> values = captures;
  for (const CaptureLookup& l : rule.lookups) {
    auto table = pack.tables.find(l.table);
    auto from = captures.find(l.from);
    if (table == pack.tables.end() || from == captures.end()) continue;
    if (const std::string* value = table->second.find(from->second)) values[l.capture] = *value;
  }
  std::vector<std::string> steps;
  for (const auto& alternatives : rule.remediation) {
    const std::string* chosen = &alternatives.back();
    for (const std::string& a : alternatives)
      if (all_known(a, values)) {
        chosen = &a;
        break;
      }
    steps.push_back(substitute(*chosen, values));
  }
  return steps;
}

}  // namespace appdiag
