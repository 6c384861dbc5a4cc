#pragma once
// What the report formats share, so each format only decides presentation:
// which findings head the report, what a cause explains, where a line is,
// and whether a finding fails the run.
#include <string>
#include <vector>

#include "analyzer/engine/diagnosis.h"
#include "analyzer/report/reporters.h"

namespace appdiag {

// Evidence lines shown per finding in every format that shows a few (the
// latest ones: they prove the current state best). JSON and SARIF list all kept.
constexpr size_t kEvidenceShown = 6;
// Longest line shown, in bytes, before it is cut at a character boundary.
constexpr size_t kLineShown = 300;

// Findings that head a section: the root cause first, then every other root
// cause (including ones demoted for appearing only after the platform's stop).
std::vector<const Finding*> headline_findings(const Diagnosis& d);

// Everything `cause` explains, directly or through another symptom, in
// diagnosis order.
std::vector<const Finding*> symptoms_of(const Finding& cause, const Diagnosis& d);

// "file:line" plus " (part)" for log-tail parts. Raw: callers escape it.
std::string where(const EvidenceLine& e);

// At or above --fail-on.
bool fails(const Finding& f, const ReportOptions& o);

// The line cut to `limit` bytes (never inside a UTF-8 sequence) with "…"
// appended when cut; the match range is clamped to what is kept.
struct ShownLine {
  std::string text;
  size_t begin = 0, end = 0;  // begin == end: nothing to highlight
};
ShownLine shown_line(const EvidenceLine& e, size_t limit = kLineShown);

// `text` cut to at most `limit` bytes, never inside a UTF-8 sequence, with
// "…" appended when cut.
std::string shorten(std::string_view text, size_t limit = kLineShown);

}  // namespace appdiag
