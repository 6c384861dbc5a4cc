#pragma once
// Line-level helpers the report model and the formats share: where a line
// is, and how a line is cut for display. Which findings, symptoms and lines a
// report shows is decided once, in report_model.h.
#include <string>
#include <vector>

#include "analyzer/engine/diagnosis.h"

namespace appdiag {

// Evidence lines shown per finding in every format that shows a few (the
// latest ones: they prove the current state best). JSON and SARIF list all kept.
constexpr size_t kEvidenceShown = 6;
// Lines the short text report shows per root cause: its decisive lines first.
constexpr size_t kDecisiveShown = 3;
// Longest line shown, in bytes, before it is cut at a character boundary.
constexpr size_t kLineShown = 300;

// "file:line" plus " (part)" for log-tail parts. Raw: callers escape it.
std::string where(const EvidenceLine& e);

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
