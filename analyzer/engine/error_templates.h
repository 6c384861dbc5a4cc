#pragma once
// Error-looking lines that no rule explains, grouped into templates with their
// variable parts masked (numbers, hex ids, paths, quoted values, timestamps),
// in the manner of the Drain algorithm. Never an error severity on their own.
//
// Which lines look like errors is data: events with an "error" role
// (rules/events/error-lines.json). Role "traceback" opens a Python traceback,
// "exception" is an exception line, "traceback-end" (a dotted class name, e.g.
// django.core.exceptions.ImproperlyConfigured: ...) ends a traceback but is not
// an error line on its own, "line" is any other error line. A traceback
// and the exception line that ends it (within kTracebackSpan lines of the same
// source) are one occurrence, summarised by the exception line. An error line
// up to kHeaderGap lines before a traceback (gunicorn's "[ERROR] Exception in
// worker process", or the previous exception of a chained traceback) belongs to it.
// An occurrence is explained when a pattern of a fired rule matched one of its
// lines, the line right after it, or (for a traceback) the line right before it.
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "analyzer/engine/condition_eval.h"
#include "analyzer/core/evidence.h"
#include "analyzer/core/rule.h"
#include "analyzer/engine/scanner.h"

namespace appdiag {

struct ErrorTemplate {
  std::string pattern;      // the masked template, e.g. "KeyError: <*>"
  uint64_t count = 0;
  EvidenceLine first;
  EvidenceLine last;
  EvidenceLine example;     // a traceback is summarised by its last line
};

constexpr uint64_t kTracebackSpan = 60;
constexpr uint64_t kHeaderGap = 4;
constexpr size_t kMaxTemplates = 50;        // shown
constexpr size_t kMaxClusters = 10000;      // tracked while scanning; more are counted as left out

bool is_error_line_event(const EventDef& event);

// Fed every match of a scan (Scanner::scan's on_match), in line order within
// each source; touches only matched lines. Not thread-safe: the scanner
// serialises on_match calls.
class ErrorCollector {
 public:
  ErrorCollector(const RuleSet& rules, const Evidence& evidence);
  void add(const Match& match);
  // Ends pending tracebacks; call once after the scan.
  void finish();

  struct Result {
    std::vector<ErrorTemplate> templates;  // most frequent first, at most max_templates
    uint64_t left_out = 0;                 // templates not shown (over the cap)
    uint64_t untracked_lines = 0;          // error lines beyond kMaxClusters distinct templates
  };
  // Occurrences none of whose lines matched a pattern of a fired rule
  // (fired[i] is RuleSet::rules[i]), clustered.
  Result templates(const std::vector<bool>& fired, size_t max_templates = kMaxTemplates) const;

 private:
  enum Role : unsigned { kPlain = 1, kTraceback = 2, kException = 4, kTracebackEnd = 8 };
  struct Occurrence {
    bool has = false;
    uint64_t first = 0;  // first line of the occurrence (traceback header)
    Match summary;       // the line that names it (exception line)
  };
  struct SourceState {
    uint64_t line = 0;
    unsigned roles = 0;
    Match match;           // the line's first error match
    Occurrence traceback;  // an open traceback waiting for its exception line
    Occurrence held;       // the latest occurrence, held back: a traceback may follow and absorb it
    // (line, rule) of rule-pattern matches, from the line before the oldest
    // pending occurrence on: older ones can no longer explain anything.
    std::deque<std::pair<uint64_t, uint32_t>> rule_lines;
  };
  struct Cluster {
    std::string pattern;
    std::vector<uint32_t> rules;  // rules whose patterns matched the occurrences' lines
    uint64_t count = 0;
    // Made evidence only when reported: finding a match's range is a regex
    // run, and on a log of repeated crashes `last` changes at every occurrence.
    Match first, last;
    // (source index, line) of first and last: sources are scanned in parallel,
    // so occurrences arrive in any order across sources; the earliest and
    // latest by source order are kept, whatever --jobs is.
    std::pair<uint32_t, uint64_t> first_at, last_at;
  };

  void flush(SourceState& s);
  void forget_old_rule_lines(SourceState& s);
  void hold(SourceState& s, Occurrence occurrence);
  void emit(SourceState& s, const Occurrence& occurrence);

  const RuleSet& rules_;
  const Evidence& evidence_;
  std::vector<unsigned> roles_;  // by event index
  std::map<uint32_t, SourceState> sources_;
  std::map<std::string, Cluster> clusters_;
  uint64_t overflow_ = 0;
};

}  // namespace appdiag
