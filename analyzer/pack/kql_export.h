#pragma once
// The rule pack as Kusto (KQL) queries over the Log Analytics App Service
// tables, so a fleet can be searched for the same failures without bundles.
//
// Source kinds map to tables (columns from the Azure Monitor table reference):
//   platform -> AppServicePlatformLogs.Message
//   app      -> AppServiceConsoleLogs.ResultDescription and AppServiceAppLogs.Message
//   deploy   -> no table: Oryx/Kudu build logs are not sent to Log Analytics.
// Only log conditions can be expressed; file, path, content, setting and
// captures_differ conditions, and log conditions on deploy logs only, are left
// out of the query and named in a // comment at its top. A log condition that
// reads the deploy log and others is searched in the others (noted, still full).
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/core/rule.h"

namespace appdiag {

enum class KqlCoverage { Full, Partial, None };
std::string_view to_string(KqlCoverage coverage);

struct KqlQuery {
  std::string rule_id;
  KqlCoverage coverage = KqlCoverage::None;
  std::vector<std::string> left_out;  // one line per condition not expressed
  size_t deploy_skipped = 0;          // log conditions searched here in app/platform only (no deploy table)
  std::string text;                   // empty when coverage is None
};

struct KqlExport {
  std::vector<KqlQuery> rules;  // pack order, every selected rule (None ones too)
  std::string combined;         // per app, the rules that fired in the last `lookback`
};

// `only` selects rule ids (empty: all). Throws InputError for an unknown id.
KqlExport export_kql(const RuleSet& rules, const std::vector<std::string>& only);

// A KQL string literal whose value is exactly `text`: verbatim @"..." ("" for a
// quote) unless `text` holds a line break or tab, then "..." with escapes.
// Throws InputError for other control characters (no KQL literal keeps them readable).
std::string kql_string_literal(std::string_view text);

// Writes <id>.kql for every exported rule and all-rules.kql into `dir`
// (created if missing). Returns the paths written.
std::vector<std::string> write_kql_files(const KqlExport& exported, const std::string& dir);

// Everything as one stream: each query under a "// ==== <id>.kql" header.
void write_kql_stream(const KqlExport& exported, std::ostream& out);

}  // namespace appdiag
