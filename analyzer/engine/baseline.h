#pragma once
// Findings already known: a previous JSON report (`--format json`) given as
// --baseline. A finding is known when every one of its evidence lines was in
// the baseline under the same rule id, file and text; line numbers are
// ignored, so lines that only moved (a log that grew in front) stay known.
// Texts are compared as reports show them, i.e. after redaction.
#include <set>
#include <string>
#include <tuple>

#include "analyzer/engine/diagnosis.h"

namespace appdiag {

class Baseline {
 public:
  // Reads a JSON report. Throws InputError naming `path` when it cannot be
  // read or is not a report (`file:line: ...` for JSON syntax errors).
  static Baseline load(const std::string& path);
  // The same from text already read; `name` is used in messages.
  static Baseline parse(const std::string& json_text, const std::string& name);

  bool knows(const std::string& rule_id, const EvidenceLine& e) const;
  // All evidence known; a finding without evidence is known when its rule
  // id was reported.
  bool knows(const Finding& f) const;
  size_t size() const { return lines_.size() + ids_.size(); }

 private:
  std::set<std::tuple<std::string, std::string, std::string>> lines_;  // rule id, file, text
  std::set<std::string> ids_;  // rule ids reported without evidence
};

}  // namespace appdiag
