#pragma once
// Reporters only format a Diagnosis; they never re-read logs. One table lists
// them all: adding a format is one row plus one function.
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/engine/diagnosis.h"
#include "analyzer/core/rule.h"

namespace appdiag {

struct ReportOptions {
  std::optional<Severity> fail_on = Severity::Error;  // nullopt: never
  size_t markdown_limit = 64 * 1024;                  // bytes; the markdown report says what it left out
  // The report header (analyzer/report/report_header.h):
  std::string app;                   // from the settings (WEBSITE_SITE_NAME); else the logs' site name
  std::vector<std::string> inputs;   // the sources as given
  std::optional<int64_t> generated;  // seconds since the epoch; SOURCE_DATE_EPOCH or now (the CLI sets it)
  std::optional<int64_t> since_ms, until_ms;  // --since / --until: the window analysed (UTC ms)
  std::vector<std::string> instances;         // --instance: the instances analysed; empty: all
};

using ReportFunction = void (*)(const Diagnosis&, const RuleSet&, const ReportOptions&, std::ostream&);

struct Reporter {
  std::string_view name;
  std::string_view description;
  ReportFunction write;
};

const std::vector<Reporter>& reporters();
const Reporter* find_reporter(std::string_view name);

void write_text(const Diagnosis& d, const RuleSet& rules, const ReportOptions& o, std::ostream& out);
void write_json(const Diagnosis& d, const RuleSet& rules, const ReportOptions& o, std::ostream& out);
void write_markdown(const Diagnosis& d, const RuleSet& rules, const ReportOptions& o, std::ostream& out);
void write_html(const Diagnosis& d, const RuleSet& rules, const ReportOptions& o, std::ostream& out);
void write_sarif(const Diagnosis& d, const RuleSet& rules, const ReportOptions& o, std::ostream& out);
void write_junit(const Diagnosis& d, const RuleSet& rules, const ReportOptions& o, std::ostream& out);
void write_github(const Diagnosis& d, const RuleSet& rules, const ReportOptions& o, std::ostream& out);

}  // namespace appdiag
