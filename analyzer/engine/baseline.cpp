#include "analyzer/engine/baseline.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analyzer/core/error.h"

namespace appdiag {

Baseline Baseline::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(located(path, 0, "cannot read the baseline"));
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

namespace {
// nlohmann reports a byte offset; a person wants the line.
uint64_t line_at(const std::string& text, size_t byte) {
  uint64_t line = 1;
  for (size_t i = 0; i < byte && i < text.size(); ++i) line += text[i] == '\n';
  return line;
}

const nlohmann::json& field(const nlohmann::json& j, const char* key, const std::string& name) {
  auto it = j.find(key);
  if (it == j.end()) throw InputError(located(name, 0, std::string("not an appdiag JSON report: no \"") + key + "\""));
  return *it;
}
}  // namespace

Baseline Baseline::parse(const std::string& json_text, const std::string& name) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(located(name, line_at(json_text, e.byte ? e.byte - 1 : 0), "baseline is not valid JSON"));
  }
  Baseline b;
  try {
    for (const auto& f : field(j, "findings", name)) {
      std::string id = field(f, "id", name).get<std::string>();
      const auto& evidence = field(f, "evidence", name);
      if (evidence.empty()) b.ids_.insert(id);
      for (const auto& e : evidence)
        b.lines_.emplace(id, field(e, "file", name).get<std::string>(), field(e, "text", name).get<std::string>());
    }
  } catch (const nlohmann::json::exception& e) {
    throw InputError(located(name, 0, std::string("not an appdiag JSON report: ") + e.what()));
  }
  return b;
}

bool Baseline::knows(const std::string& rule_id, const EvidenceLine& e) const {
  return lines_.count({rule_id, e.file, e.text}) > 0;
}

// The rule's own lines decide; its decisive lines (the final exception of a
// traceback, say) depend on what else has arrived and may differ run to run.
bool Baseline::knows(const Finding& f) const {
  if (f.evidence.size() <= f.lead_lines) return ids_.count(f.rule->id) > 0 || (!f.evidence.empty() && knows(f.rule->id, f.evidence[0]));
  for (size_t i = f.lead_lines; i < f.evidence.size(); ++i)
    if (!knows(f.rule->id, f.evidence[i])) return false;
  return true;
}

}  // namespace appdiag
