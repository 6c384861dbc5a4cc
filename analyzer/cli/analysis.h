#pragma once
// The one pipeline every command runs: collect → scan → diagnose → filter →
// report. The rule pack, the options, redaction, the finding filter and the
// --fail-on level live here once; a command states only what differs (scan
// watches matches as they arrive, explain keeps one rule's trace, fleet shares
// one compiled scanner between bundles).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/engine/condition_eval.h"
#include "analyzer/engine/diagnosis.h"
#include "analyzer/engine/finding_filter.h"
#include "analyzer/engine/time_window.h"
#include "analyzer/report/reporters.h"
#include "collectors/collect.h"

namespace appdiag {

struct AnalysisOptions {
  std::vector<std::string> inputs;  // as collect() takes them; "-" is standard input
  CollectOptions collect;
  bool redact = true;               // every output: reports, explain, startup, --save-bundle
  int jobs = 0;                     // sources scanned in parallel
  ReportOptions report;             // holds --fail-on
  FindingFilter filter;
  TimeWindow window;                // --since, --until, --instance (analyzer/engine/time_window.h)
};

// Now, in seconds since the epoch: SOURCE_DATE_EPOCH when set (reproducible
// reports, golden tests), else the clock. Reports are dated with it and
// relative --since / --until count back from it.
int64_t generation_time();

// Sees each kept match while the scan runs (calls are serialised). Returning
// false stops the scan: no later match reaches the sink or the diagnosis's
// error templates, and sources stop reading.
using MatchSink = std::function<bool(const Match&, const Evidence&)>;

class Analysis {
 public:
  // `shared`, when given, is a scanner compiled once for many analyses (fleet).
  Analysis(const RuleSet& rules, AnalysisOptions options, const Scanner* shared = nullptr);
  ~Analysis();

  const RuleSet& rules() const { return rules_; }
  const AnalysisOptions& options() const { return options_; }

  // Reads the inputs (once; standard input is read in one way only) and keeps
  // the sources of the --instance machines (and those that name none).
  const Evidence& collect();
  // Scans and diagnoses what collect() read, then redacts and filters.
  Diagnosis diagnose(const MatchSink& sink = nullptr);
  // True when the sink stopped the scan early.
  bool stopped() const { return stopped_; }
  // How many findings --baseline suppressed (--only and --skip are not counted).
  size_t suppressed() const { return suppressed_; }
  // One rule's condition tree evaluated on what collect() read, redacted.
  Trace explain(const Rule& rule);

  // A finding at or above --fail-on: the run fails.
  bool fails(const Diagnosis& d) const;
  // Writes the diagnosis in each (format, file) pair; file "" is stdout.
  void report(const Diagnosis& d, const std::vector<std::pair<const Reporter*, std::string>>& outputs) const;

 private:
  ScanResult scan(const MatchSink& sink, ErrorCollector* errors);

  const RuleSet& rules_;
  AnalysisOptions options_;
  std::unique_ptr<Scanner> own_;
  const Scanner* scanner_;
  std::optional<Evidence> evidence_;
  bool stopped_ = false;
  size_t suppressed_ = 0;
};

}  // namespace appdiag
