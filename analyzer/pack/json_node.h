#pragma once
// Typed reads from one JSON value of a rule file: each read checks the type
// and reports a problem at the exact key or value it is about, then returns
// what it could (so one bad field never hides the next).
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzer/pack/rule_problem.h"

namespace appdiag {

class JsonNode {
 public:
  JsonNode(const nlohmann::json& value, std::string pointer, Problems& problems)
      : value_(value), pointer_(std::move(pointer)), problems_(problems) {}

  const nlohmann::json& json() const { return value_; }
  const std::string& pointer() const { return pointer_; }
  Problems& problems() const { return problems_; }
  bool has(const std::string& key) const { return value_.is_object() && value_.contains(key); }
  // The member `key` (which must exist) or element `index`.
  JsonNode operator[](const std::string& key) const;
  JsonNode operator[](size_t index) const;
  std::string pointer_of(const std::string& key) const;

  // A problem at this node's key (or position, for an element).
  void problem(const std::string& code, const std::string& message) const;
  void problem_at(const std::string& key, const std::string& code, const std::string& message) const;

  // Members not in `allowed` are "unknown-key" problems; `what` ends the message ("", " in condition").
  void only_keys(std::initializer_list<std::string> allowed, const std::string& what = "") const;

  // Absent: nullopt, no problem. Present with another type: a "wrong-type" problem, nullopt.
  std::optional<std::string> string(const std::string& key) const;
  std::optional<bool> boolean(const std::string& key) const;
  std::optional<uint64_t> count(const std::string& key, uint64_t min, uint64_t max) const;
  // An array of strings (non-empty when `non_empty`); bad elements are reported and skipped.
  std::optional<std::vector<std::string>> strings(const std::string& key, bool non_empty = false) const;
  // One of `values` by name; anything else is a "bad-value" problem listing them.
  template <typename Enum>
  std::optional<Enum> one_of(const std::string& key, const std::vector<std::pair<std::string, Enum>>& values) const {
    auto name = string(key);
    if (!name) return std::nullopt;
    for (const auto& [n, v] : values)
      if (n == *name) return v;
    std::string allowed;
    for (const auto& [n, v] : values) allowed += (allowed.empty() ? "" : ", ") + n;
    (*this)[key].problem("bad-value", "\"" + key + "\" must be one of " + allowed + ", got \"" + *name + "\"");
    return std::nullopt;
  }

 private:
  const nlohmann::json& value_;
  std::string pointer_;
  Problems& problems_;
};

}  // namespace appdiag
