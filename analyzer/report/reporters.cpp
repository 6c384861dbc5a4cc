#include "analyzer/report/reporters.h"

namespace appdiag {

const std::vector<Reporter>& reporters() {
  static const std::vector<Reporter> table = {
      {"text", "for a person: root cause, evidence, what to do", write_text},
      {"json", "for a program: findings and sources (schema in README)", write_json},
      {"markdown", "for a ticket or GitHub issue: the text report's content, under 64 KiB", write_markdown},
      {"html", "one self-contained page, like the portal's Diagnose and solve problems", write_html},
      {"sarif", "SARIF 2.1.0 for code scanning: rules and results with locations", write_sarif},
      {"junit", "JUnit XML: one testcase per rule, failures at or above --fail-on", write_junit},
      {"github", "GitHub Actions workflow commands (::error file=...,line=...::)", write_github},
  };
  return table;
}

const Reporter* find_reporter(std::string_view name) {
  for (const Reporter& r : reporters())
    if (r.name == name) return &r;
  return nullptr;
}

}  // namespace appdiag
