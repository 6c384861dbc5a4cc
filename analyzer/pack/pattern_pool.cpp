#include "analyzer/pack/pattern_pool.h"

#include <atomic>
#include <set>

#include <nlohmann/json.hpp>

#include "analyzer/core/pattern.h"
#include "analyzer/core/worker_threads.h"

namespace appdiag {

namespace {

// Iterative: a rule file nested thousands deep is reported by the compiler
// as one problem, and must not overflow the stack here first.
void collect_patterns(const nlohmann::json& doc, std::set<std::string>& out) {
  static const std::set<std::string> kPatternKeys = {"log", "path", "matches", "pattern"};
  std::vector<const nlohmann::json*> pending = {&doc};
  while (!pending.empty()) {
    const nlohmann::json& j = *pending.back();
    pending.pop_back();
    if (j.is_array()) {
      for (const auto& item : j) pending.push_back(&item);
    } else if (j.is_object()) {
      for (const auto& [key, value] : j.items()) {
        if (value.is_string() && kPatternKeys.count(key)) out.insert(value.get<std::string>());
        else pending.push_back(&value);
      }
    }
  }
}

}  // namespace

PatternPool::PatternPool(const std::vector<const nlohmann::json*>& docs) {
  std::set<std::string> found;
  for (const nlohmann::json* doc : docs) collect_patterns(*doc, found);
  std::vector<std::string> patterns(found.begin(), found.end());
  std::vector<std::shared_ptr<const RE2>> compiled(patterns.size());
  std::atomic<size_t> next{0};
  run_on_threads(thread_count(0, patterns.size()), [&] {
    // compile_pattern reports a bad pattern through its result; it throws
    // only bad_alloc, and then this pattern is compiled again, and fails, in order.
    std::string error;
    for (size_t i; (i = next++) < patterns.size();) {
      try {
        compiled[i] = compile_pattern(patterns[i], &error);
      } catch (...) {
        compiled[i] = nullptr;
      }
    }
  });
  for (size_t i = 0; i < patterns.size(); ++i)
    if (compiled[i]) compiled_.emplace(std::move(patterns[i]), std::move(compiled[i]));
}

std::shared_ptr<const RE2> PatternPool::compile(const std::string& pattern, std::string* error) const {
  auto it = compiled_.find(pattern);
  return it != compiled_.end() ? it->second : compile_pattern(pattern, error);
}

}  // namespace appdiag
