#pragma once
// What the logs show App Service actually started: the latest app-command-line,
// framework-detected, gunicorn-command, app-path and python-version events on
// the timeline and their captures; and how that differs from the prediction.
// The prediction itself (startup_prediction.h) reads none of this directly:
// the caller passes it the hints it needs (startup_hints).
#include <map>
#include <string>
#include <vector>

#include "analyzer/core/evidence.h"
#include "analyzer/core/rule.h"
#include "analyzer/engine/scanner.h"
#include "analyzer/engine/startup_prediction.h"
#include "analyzer/engine/timeline.h"

namespace appdiag {

struct StartupObserved {
  std::string mode;                   // "custom", "django", "flask", "default", ...; empty when the logs do not say
  std::string module;                 // the module of the generated gunicorn command
  std::string command;                // "Site's appCommandLine: ..." when the log shows one
  std::string app_path;               // where the startup script extracted compressed output
  std::string python_version;         // from the startup banner
  std::vector<EvidenceLine> lines;    // the lines that show it, in the order above
  std::map<std::string, EvidenceLine> events;  // the latest line per event id read
  std::vector<std::string> differences;        // prediction vs reality (startup_differences)
};

StartupObserved observe_startup(const Evidence& evidence, const ScanResult& scan, const RuleSet& rules,
                                const Timeline& timeline);

// What the prediction may take from the logs: the runtime version when the
// settings do not name it, the extraction folder of compressed output.
StartupHints startup_hints(const StartupObserved& observed);

// Prediction vs what the logs show ran; empty when either is unknown or they agree.
std::vector<std::string> startup_differences(const StartupPrediction& predicted, const StartupObserved& observed);

}  // namespace appdiag
