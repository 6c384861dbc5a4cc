#pragma once
// `appdiag scan`: the CI gate. Reads logs as they arrive (standard input by
// default), line by line with bounded memory (the scanner keeps at most the
// first and last few matches per pattern), and prints each finding as soon as
// it can be decided:
// - a rule whose condition is only log patterns joined by all/any is decided
//   when the line that completes it arrives (more lines cannot undo it);
// - every other rule (absence, listing, settings, differing captures) at the
//   end of input, from the full diagnosis.
// Without `follow` the scan stops at the first finding at or above --fail-on
// (the gate has failed; only findings decided so far are reported). With it,
// the scan reads to the end of input whatever it finds.
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/engine/finding_filter.h"
#include "analyzer/report/reporters.h"
#include "collectors/collect.h"

namespace appdiag {

struct ScanCommand {
  std::vector<std::string> inputs;        // files and bundles; none or "-": standard input
  SourceKind stdin_kind = SourceKind::App;  // what standard input is read as (--as KIND=-)
  CollectOptions collect;                 // for the inputs that are files
  bool follow = false;
  bool redact = true;
  int jobs = 0;
  ReportOptions report;
  FindingFilter filter;
  // Reports of the final diagnosis, written at the end: (format, file; "" = stdout).
  std::vector<std::pair<const Reporter*, std::string>> outputs;
};

// Writes `write`'s output to a file (or stdout for ""), as the CLI does.
using OutputWriter = std::function<void(const std::string&, const std::function<void(std::ostream&)>&)>;

// Runs the scan; decided findings go to `out` as they come. Returns true when
// a reported finding is at or above --fail-on. Throws InputError.
bool run_scan(const ScanCommand& command, const RuleSet& rules, std::ostream& out, const OutputWriter& write);

// True when `c` is only log patterns joined by all/any: decidable on arrival.
bool decidable_on_arrival(const Condition& c);

}  // namespace appdiag
