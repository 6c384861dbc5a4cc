#include "analyzer/pack/json_node.h"

#include <algorithm>

namespace appdiag {

std::string JsonNode::pointer_of(const std::string& key) const { return pointer_ + pointer_token(key); }

JsonNode JsonNode::operator[](const std::string& key) const {
  return JsonNode(value_.at(key), pointer_of(key), problems_);
}

JsonNode JsonNode::operator[](size_t index) const {
  return JsonNode(value_.at(index), pointer_ + "/" + std::to_string(index), problems_);
}

void JsonNode::problem(const std::string& code, const std::string& message) const {
  problems_.at_key(code, pointer_, message);
}

void JsonNode::problem_at(const std::string& key, const std::string& code, const std::string& message) const {
  problems_.at_key(code, pointer_of(key), message);
}

void JsonNode::only_keys(std::initializer_list<std::string> allowed, const std::string& what) const {
  if (!value_.is_object()) return;
  for (const auto& [key, v] : value_.items())
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      problem_at(key, "unknown-key", "unknown key \"" + key + "\"" + what);
}

std::optional<std::string> JsonNode::string(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  if (value_[key].is_string()) return value_[key].get<std::string>();
  problem_at(key, "wrong-type", "\"" + key + "\" must be a string, got " + value_[key].dump());
  return std::nullopt;
}

std::optional<bool> JsonNode::boolean(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  if (value_[key].is_boolean()) return value_[key].get<bool>();
  problem_at(key, "wrong-type", "\"" + key + "\" must be true or false, got " + value_[key].dump());
  return std::nullopt;
}

std::optional<uint64_t> JsonNode::count(const std::string& key, uint64_t min, uint64_t max) const {
  if (!has(key)) return std::nullopt;
  const nlohmann::json& v = value_[key];
  if (v.is_number_unsigned() && v.get<uint64_t>() >= min && v.get<uint64_t>() <= max) return v.get<uint64_t>();
  problem_at(key, v.is_number() ? "bad-value" : "wrong-type",
             "\"" + key + "\" must be a number from " + std::to_string(min) + " to " + std::to_string(max) +
                 ", got " + v.dump());
  return std::nullopt;
}

std::optional<std::vector<std::string>> JsonNode::strings(const std::string& key, bool non_empty) const {
  if (!has(key)) return std::nullopt;
  const nlohmann::json& v = value_[key];
  if (!v.is_array() || (non_empty && v.empty())) {
    problem_at(key, "wrong-type",
               "\"" + key + "\" must be " + (non_empty ? "a non-empty" : "an") + " array of strings, got " + v.dump());
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i].is_string()) out.push_back(v[i].get<std::string>());
    else (*this)[key][i].problem("wrong-type", "\"" + key + "\" must hold strings, got " + v[i].dump());
  }
  return out;
}

}  // namespace appdiag
