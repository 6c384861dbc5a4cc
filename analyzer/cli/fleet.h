#pragma once
// `appdiag fleet`: many bundles, one rule pack compiled once, analysed in
// parallel; one JSON Lines record per bundle and a summary by rule id.
// A bundle that cannot be read is a record with "error", never fatal.
#include <cstddef>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "analyzer/core/rule.h"
#include "collectors/collect.h"

namespace appdiag {

struct FleetOptions {
  int jobs = 0;           // bundles analysed at once; 0: hardware threads
  bool redact = true;
  CollectOptions collect;
  bool progress = false;  // a progress line on the progress stream
};

struct BundleRecord {
  std::string bundle;                 // the path analysed
  std::string error;                  // set when the bundle could not be read
  std::string root_cause;             // headline rule id, empty when none
  std::string root_severity;
  std::vector<std::string> root_causes;  // every finding explained by no other
  std::vector<std::string> fired;        // every finding, root causes first
  std::map<Severity, size_t> counts;     // findings per severity
  size_t unreadable_parts = 0;           // files inside the bundle that could not be read
};

struct RuleTally {
  size_t apps = 0;         // bundles where it fired
  size_t root_cause = 0;   // bundles where it was a root cause
};

struct FleetSummary {
  size_t bundles = 0;
  size_t readable = 0;
  size_t with_findings = 0;
  std::vector<std::string> unreadable;  // "path: why"
  std::map<std::string, RuleTally> rules;
  Severity worst = Severity::Info;      // over readable bundles with findings
  double seconds = 0;
};

// PATHs as bundles: a .zip or a bundle folder is one bundle; a folder that is
// not itself a bundle (no LogFiles/ or deployments/ folder, no log, listing or
// settings file at its top) stands for its immediate children, each one bundle.
std::vector<std::string> expand_fleet_paths(const std::vector<std::string>& paths);

class Scanner;

// The pack's pattern sets compiled once and shared by every bundle (and thread).
class FleetAnalyzer {
 public:
  FleetAnalyzer(const RuleSet& rules, const FleetOptions& options);
  ~FleetAnalyzer();
  // Reads and diagnoses one bundle; never throws for a bad bundle (the record
  // carries the error). Safe to call from several threads at once.
  BundleRecord analyse(const std::string& path) const;

 private:
  const RuleSet& rules_;
  FleetOptions options_;
  std::unique_ptr<Scanner> scanner_;
};

// One JSON object on one line (no trailing newline).
std::string to_json_line(const BundleRecord& record);

// Analyses `bundles` with options.jobs threads; writes records to `records` in
// input order as they complete; progress (if enabled) to `progress`.
FleetSummary run_fleet(const RuleSet& rules, const std::vector<std::string>& bundles,
                       const FleetOptions& options, std::ostream& records, std::ostream& progress);

// The table by rule id (apps hit, as root cause) and the unreadable bundles.
void write_fleet_summary(const FleetSummary& summary, std::ostream& out);

}  // namespace appdiag
