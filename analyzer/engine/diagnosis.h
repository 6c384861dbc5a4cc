#pragma once
// The diagnosis: findings (root cause first, symptoms under their cause), the
// sources read, and what could not be read. Reporters only format this.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/engine/condition_eval.h"
#include "analyzer/engine/current_state.h"
#include "analyzer/engine/error_templates.h"
#include "analyzer/core/evidence.h"
#include "analyzer/core/rule.h"
#include "analyzer/engine/scanner.h"
#include "analyzer/engine/startup_observed.h"
#include "analyzer/engine/startup_prediction.h"
#include "analyzer/engine/timeline.h"

namespace appdiag {

struct Finding {
  const Rule* rule = nullptr;
  std::vector<EvidenceLine> evidence;   // the rule's decisive lines first, then by file and line, no duplicates
  size_t lead_lines = 0;                // how many of the first evidence lines are decisive lines
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
  // Relative to now (see current_state.h): only current findings are root
  // causes and count for --fail-on.
  FindingStatus status = FindingStatus::Current;
  std::optional<int64_t> first_seen_ms, last_seen_ms;  // dated evidence lines, when any
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
  std::vector<std::string> key_notes;   // the notes a short report shows too (Evidence::key_notes)
  std::vector<std::string> skipped;     // routine bundle files that are no evidence (Evidence::skipped)
  uint32_t attempts = 0;                // start attempts seen (most in any one source)
  bool redacted = true;
  StartupPrediction startup;            // what App Service will start (issue: startup)
  StartupObserved started;              // what the logs show it started, and the differences
  Timeline timeline;                    // what happened when
  std::vector<ErrorTemplate> unrecognised;  // error lines no rule explains, most frequent first
  uint64_t unrecognised_left_out = 0;       // templates over the cap, not listed
  std::optional<int64_t> stopped_at_ms;     // when the platform gave up on the latest attempt
  CurrentState state;                       // instances, attempts, deployments, headline

  bool spans_days() const { return state.spans_days; }

  const Finding* root_cause() const;    // the headline (a current finding), or nullptr
  // Worst severity of the current findings; nullopt when none is current.
  // Resolved and intermittent findings never fail a gate.
  std::optional<Severity> worst_current() const;
  Severity worst() const;               // worst_current(), Info when there is none
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
