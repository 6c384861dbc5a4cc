#pragma once
// The diagnosis: findings (root cause first, symptoms under their cause), the
// sources read, and what could not be read. Reporters only format this.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/engine/condition_eval.h"
#include "analyzer/engine/error_templates.h"
#include "analyzer/core/evidence.h"
#include "analyzer/core/rule.h"
#include "analyzer/engine/scanner.h"
#include "analyzer/engine/startup_prediction.h"
#include "analyzer/engine/timeline.h"

namespace appdiag {

struct Finding {
  const Rule* rule = nullptr;
  std::vector<EvidenceLine> evidence;   // ordered by file then line, no duplicates
  uint64_t matched_lines = 0;           // all lines that matched, of which evidence holds some
  std::map<std::string, std::string> captures;
  std::vector<std::string> remediation; // with ${name} substituted
  bool root_cause = false;              // explained by no other finding
  std::vector<std::string> explained_by;
  std::vector<std::string> symptoms;    // ids of findings it explains
  uint32_t attempts_with = 0;           // start attempts whose lines show it
  bool in_latest_attempt = true;
  // Every evidence line is dated after the platform stopped the latest start
  // attempt: not the cause of that stop, so never the root cause (still listed).
  bool after_stop = false;
};

struct SourceReport {
  std::string name;
  std::string part;
  SourceKind kind = SourceKind::App;
  uint64_t bytes = 0;
  uint64_t lines = 0;
  uint64_t truncated_lines = 0;
  uint64_t first_truncated_line = 0;
  uint32_t attempts = 0;
  std::string error;  // why reading stopped early, if it did
};

struct Diagnosis {
  std::vector<Finding> findings;        // root causes first, then symptoms
  std::vector<SourceReport> sources;
  std::vector<std::string> unreadable;  // "name: why"
  std::vector<std::string> notes;
  uint32_t attempts = 0;                // start attempts seen (most in any one source)
  bool redacted = true;
  StartupPrediction startup;            // what App Service will start (issue: startup)
  Timeline timeline;                    // what happened when
  std::vector<ErrorTemplate> unrecognised;  // error lines no rule explains, most frequent first
  uint64_t unrecognised_left_out = 0;       // templates over the cap, not listed
  std::optional<int64_t> stopped_at_ms;     // when the platform gave up on the latest attempt

  const Finding* root_cause() const;    // the headline, or nullptr
  Severity worst() const;               // Info when there are no findings
};

struct DiagnoseOptions {
  bool redact = true;
  ScanOptions scan;
};

Diagnosis diagnose(const RuleSet& rules, const Evidence& evidence, const DiagnoseOptions& options);

// Builds the diagnosis from a finished scan (diagnose() = scan + this).
// errors, when given, was fed the scan's matches (unrecognised errors come from it).
Diagnosis diagnose_scan(const RuleSet& rules, const Evidence& evidence, const ScanResult& scan,
                        bool redact, ErrorCollector* errors = nullptr);

}  // namespace appdiag
