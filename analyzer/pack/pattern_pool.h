#pragma once
// The patterns of a batch of rule files, compiled before the files are: RE2
// compiling each pattern is over half of loading the pack, and here it runs
// on every core. The compilers take each pattern from the pool, or compile
// it themselves when the pool lacks it (a bad pattern, which they report).
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json_fwd.hpp>
#include <re2/re2.h>

namespace appdiag {

class PatternPool {
 public:
  // Every string under a key that holds a pattern ("log", "path", "matches",
  // "pattern"), anywhere in the documents.
  explicit PatternPool(const std::vector<const nlohmann::json*>& docs);

  // What compile_pattern returns for `pattern`, taken from the pool when it holds it.
  std::shared_ptr<const RE2> compile(const std::string& pattern, std::string* error) const;
  size_t size() const { return compiled_.size(); }

 private:
  std::unordered_map<std::string, std::shared_ptr<const RE2>> compiled_;
};

}  // namespace appdiag
