#pragma once
// A real diagnosis for the report format tests: the built-in rule pack run
// over an in-memory app log whose lines the caller chooses.
#include <sstream>
#include <string>

#include "analyzer/engine/diagnosis.h"
#include "analyzer/report/report_model.h"
#include "tests/unit/builtin_pack.h"

namespace appdiag::test {

// The module-not-found line, with `tail` appended after the match.
inline std::string module_not_found_line(const std::string& module, const std::string& tail = "") {
  return "2024-03-15T10:21:47.720900317Z ModuleNotFoundError: No module named '" + module + "'" + tail + "\n";
}

inline Diagnosis diagnose_log(const std::string& name, const std::string& text) {
  Evidence evidence;
  evidence.sources.push_back(memory_source(SourceKind::App, name, text));
  return diagnose(builtin_pack(), evidence, DiagnoseOptions{});
}

inline std::string render(const char* format, const Diagnosis& d, const ReportOptions& o = {}) {
  std::ostringstream out;
  find_reporter(format)->write(*build_report_model(d, builtin_pack(), o), out);
  return out.str();
}

}  // namespace appdiag::test
