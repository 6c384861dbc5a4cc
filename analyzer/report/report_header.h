#pragma once
// What every report names at its head: the app, the inputs, the time range
// the logs cover, when the report was generated and the tool's version.
// Built once from the diagnosis and ReportOptions; each format only renders
// the fields in its own syntax (and escaping).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/engine/diagnosis.h"
#include "analyzer/report/reporters.h"

namespace appdiag {

struct ReportHeader {
  std::string app;                    // "" when neither settings nor logs name it
  std::vector<std::string> inputs;    // as given on the command line
  std::optional<int64_t> from_ms, to_ms;  // dated timeline events, UTC
  std::optional<int64_t> generated_s;     // seconds since the epoch; see ReportOptions::generated
  std::optional<int64_t> since_ms, until_ms;  // the window asked for (--since / --until)
  std::vector<std::string> instances;         // the instances asked for (--instance); empty: all
  std::string version;
};

ReportHeader report_header(const Diagnosis& d, const ReportOptions& o);

// "2024-03-15 10:21:47 UTC"
std::string utc_text(int64_t seconds);
// "since 2025-06-09 00:00:00 UTC until 2025-06-09 23:59:59 UTC"; "" without a window.
std::string window_text(const ReportHeader& h);

// The header as (label, value) pairs, in display order, empty values left out:
// App, Inputs, Window, Instances, Logs cover, Generated, Tool.
std::vector<std::pair<std::string, std::string>> header_fields(const ReportHeader& h);

}  // namespace appdiag
