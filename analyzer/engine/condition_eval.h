#pragma once
// Evaluates a rule's `when` tree against the facts: the scan's matches, the
// listing and the settings. Three-valued: a leaf whose evidence is missing
// altogether is Unknown (see README "Rule format").
#include <map>
#include <string>
#include <vector>

#include "analyzer/core/evidence.h"
#include "analyzer/core/rule.h"
#include "analyzer/engine/scanner.h"

namespace appdiag {

enum class Tri { False, Unknown, True };
std::string_view to_string(Tri value);

struct EvidenceLine {
  SourceKind kind = SourceKind::App;
  std::string file;       // the file the line number refers to
  std::string part;       // log-tail part, if any
  uint64_t line = 0;      // exact, 1-based
  std::string text;
  uint32_t begin = 0;     // matched range within text (begin == end: whole line)
  uint32_t end = 0;
  bool truncated = false;
  uint32_t attempt = 0;   // start attempt within its source, 0 when none began yet
};

// The result of evaluating one condition node, kept for `explain`.
struct Trace {
  const Condition* condition = nullptr;
  Tri value = Tri::Unknown;
  std::string detail;                 // why it is unknown/false, in words
  std::vector<EvidenceLine> evidence; // lines that prove a True leaf
  // Log lines that prove it, pointing into the scan: made evidence lines only
  // when read (materialize), since a rule that ends False may hold every
  // startup line of 2,000 logs.
  std::vector<const Match*> matches;
  uint64_t matched_lines = 0;         // total matching lines (evidence may hold fewer)
  std::map<std::string, std::string> captures;
  std::vector<Trace> children;
};

// Everything a condition can look at, indexed once per analysis.
class Facts {
 public:
  Facts(const RuleSet& rules, const Evidence& evidence, const ScanResult& scan);

  const RuleSet& rules() const { return rules_; }
  const Evidence& evidence() const { return evidence_; }
  const ScanResult& scan() const { return scan_; }
  const std::vector<const Match*>& matches_of(int pattern) const;
  bool has_kind(SourceKind kind) const;
  // Text of a line of a (small) listing or settings source, "" if unknown.
  const std::string& line_text(size_t source, uint64_t line) const;

 private:
  const RuleSet& rules_;
  const Evidence& evidence_;
  const ScanResult& scan_;
  std::vector<std::vector<const Match*>> by_pattern_;
  mutable std::map<size_t, std::vector<std::string>> lines_;
};

Trace evaluate(const Condition& condition, const Facts& facts);

// A match as evidence, with its source's kind, name and part.
EvidenceLine to_evidence(const Match& match, const Evidence& evidence);

// Moves t's matches into its evidence as lines (with deep, its children's
// too: a trace that outlives the scan must be materialized whole).
void materialize(Trace& t, const Evidence& evidence, bool deep = false);

}  // namespace appdiag
