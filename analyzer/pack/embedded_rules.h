#pragma once
// The rule pack shipped in the binary (generated from rules/*.json at build time).
#include <string_view>
#include <vector>

namespace appdiag {

struct EmbeddedRuleFile {
  std::string_view name;  // "rules/<id>.json"
  std::string_view text;
};

const std::vector<EmbeddedRuleFile>& embedded_rule_files();

}  // namespace appdiag
