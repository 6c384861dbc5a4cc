#pragma once
// `appdiag diff BEFORE AFTER`: what changed between two states of an app
// ("what changed after this deployment"). Each side is a diagnosis (a bundle,
// folder or logs run through the same pipeline as analyze) or a JSON report
// written by `analyze --format json`. Findings are compared by rule id, and
// only those that hold now on a side count (status "current", see
// current_state.h): a finding current after and not before is new; current
// before and not after is resolved (whether the after side lists it as
// resolved earlier or not at all); current on both sides is unchanged.
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "analyzer/core/rule.h"
#include "analyzer/engine/diagnosis.h"

namespace appdiag {

struct DiffFinding {
  std::string id;
  std::string title;
  Severity severity = Severity::Error;
  std::string status;     // "current", "intermittent", "resolved"
  bool root_cause = false;
  std::string last_seen;  // ISO time of its latest dated evidence line, "" when undated
};

// One side: where it came from, its headline and its findings.
struct DiffSide {
  std::string name;       // the path as given
  std::string headline;   // "NOW: ..." text of the side, "" when it has none
  std::vector<DiffFinding> findings;
};

DiffSide diff_side(const Diagnosis& d, const std::string& name);

// True when the file holds a JSON object naming the tool "appdiag" (a report,
// valid or not: read_json_report says what is wrong); false for anything
// else, settings JSON included.
bool is_json_report(const std::string& path);
// Reads a JSON report; throws InputError `path: why` when it is not one.
DiffSide read_json_report(const std::string& path);

struct ReportDiff {
  DiffSide before, after;
  std::vector<DiffFinding> added, resolved, unchanged;  // as the after side (resolved: the before side) shows them
};

ReportDiff diff_sides(DiffSide before, DiffSide after);

void write_diff_text(const ReportDiff& diff, std::ostream& out);
void write_diff_json(const ReportDiff& diff, std::ostream& out);

}  // namespace appdiag
