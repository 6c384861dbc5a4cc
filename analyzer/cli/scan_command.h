#pragma once
// `appdiag scan`: the CI gate. Reads logs as they arrive (standard input by
// default), line by line with bounded memory (the scanner keeps at most the
// first and last few matches per pattern), and prints each finding as soon as
// it can be decided:
// - a rule whose condition is only log patterns joined by all/any is decided
//   when the line that completes it arrives (more lines cannot undo it);
// - every other rule (absence, listing, settings, differing captures) at the
//   end of input, from the full diagnosis.
// Without `follow` the scan stops at the first finding at or above --fail-on:
// the sink tells the Analysis to stop, so nothing after that line is reported.
// With it, the scan reads to the end of input whatever it finds.
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/cli/analysis.h"

namespace appdiag {

struct ScanResultSummary {
  bool failed = false;     // a reported finding is at or above --fail-on
  uint64_t lines = 0;      // lines read
  size_t reported = 0;     // findings printed
};

// Runs the scan on `analysis` (its inputs already name standard input as "-");
// decided findings go to `out` as they come, then the reports in `outputs`.
// Throws InputError.
ScanResultSummary run_scan(Analysis& analysis, bool follow,
                           const std::vector<std::pair<const Reporter*, std::string>>& outputs, std::ostream& out);

// True when `c` is only log patterns joined by all/any: decidable on arrival.
bool decidable_on_arrival(const Condition& c);

// A CI log reads `##vso[` anywhere in a line as an Azure Pipelines command,
// and `::` at the start of a line (after blanks) as a GitHub Actions one:
// a line printed by `scan` has both escaped (as \x23 and \x3a, like other escapes).
std::string neutralise_ci_commands(std::string text);

}  // namespace appdiag
