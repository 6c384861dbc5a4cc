#pragma once
// The scanner reads every line of every log source once and runs all line
// patterns of the rule pack (and the timeline events) at once, per source
// kind. Captures are taken only for lines that matched.
//
// Two paths decide which patterns match a line, with identical results:
// - plain: each line goes through one RE2::Set of the kind's patterns;
// - prefiltered (with Hyperscan, on large buffers): a literal prefilter
//   (analyzer/prefilter.h) searches a whole buffer of lines at once and names
//   the candidate patterns of each line; RE2 confirms them on those lines only,
//   and lines without candidates are never touched by RE2.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <re2/re2.h>

#include "analyzer/core/evidence.h"
#include "analyzer/core/rule.h"
#include "analyzer/engine/time_window.h"

namespace appdiag {

struct Capture {
  std::string name;
  std::string value;
};

// The text of a matched line, held once however many patterns match it: a
// line of 64 KiB matched by a hundred patterns is one string, not a hundred.
class SharedLine {
 public:
  SharedLine() = default;
  explicit SharedLine(std::shared_ptr<const std::string> text) : text_(std::move(text)) {}
  const std::string& str() const { return text_ ? *text_ : empty(); }
  operator const std::string&() const { return str(); }
  operator std::string_view() const { return str(); }
  size_t size() const { return str().size(); }
  const char* data() const { return str().data(); }
  size_t find(std::string_view what, size_t from = 0) const { return str().find(what, from); }
  std::string substr(size_t at, size_t n = std::string::npos) const { return str().substr(at, n); }
  bool operator==(const SharedLine& o) const { return str() == o.str(); }
  bool operator==(std::string_view o) const { return str() == o; }
  // How many matches hold this line (the scanner's evidence budget uses it).
  long holders() const { return text_.use_count(); }

 private:
  static const std::string& empty() {
    static const std::string none;
    return none;
  }
  std::shared_ptr<const std::string> text_;
};
inline std::ostream& operator<<(std::ostream& out, const SharedLine& line) { return out << line.str(); }

struct Match {
  bool event = false;     // false: RuleSet::patterns[index]; true: RuleSet::events[index]
  uint32_t index = 0;
  uint32_t source = 0;    // index into Evidence::sources
  uint64_t line = 0;      // 1-based line of Source::name (line_map applied)
  uint32_t attempt = 0;   // start attempts begun in this source up to and including this line
  bool truncated = false; // the line was longer than the line limit (or the evidence budget); text holds its head
  SharedLine text;
  uint32_t begin = 0;     // matched byte range within text (see match_range)
  uint32_t end = 0;
  std::vector<Capture> captures;
  // Set while begin/end are not computed yet: finding a match's range is a
  // second RE2 pass, so the scanner leaves it to the few matches whose
  // evidence shows it. Kept matches (ScanResult::matches) always have it;
  // those handed to on_match may not: read the range through match_range.
  std::shared_ptr<const RE2> unranged;
};

// The matched byte range within m.text, computed now if the scanner left it.
std::pair<uint32_t, uint32_t> match_range(const Match& m);

struct SourceScan {
  uint64_t lines = 0;
  uint64_t bytes = 0;
  uint64_t truncated_lines = 0;
  uint64_t first_truncated_line = 0;
  uint32_t attempts = 0;   // start attempts seen in this source
  std::string error;       // set when reading stopped early; lines/bytes say how far it got
  uint64_t prefiltered_lines = 0;  // lines whose candidates the prefilter named
  uint64_t regex_lines = 0;        // lines on which RE2 ran (every line on the plain path)
  // Matching lines kept cut to their matched part because the scan's
  // evidence budget (ScanOptions::max_evidence_bytes) was spent.
  uint64_t evidence_cut_lines = 0;
  // Per rule pattern: the start attempts of this source in which it matched,
  // counted from every match (kept or not).
  std::vector<uint32_t> pattern_attempts;
  // Lines read but not scanned: their time is outside ScanOptions::window.
  uint64_t outside_window = 0;
};

struct ScanOptions {
  size_t max_line = 64 * 1024;   // longer lines are matched on their head
  size_t keep_per_pattern = 20;  // per source and pattern: the first N and the last N matches are kept
  // Bytes of matched lines held for evidence across the whole scan; past it,
  // kept matches hold only their matched part (at most kCutMatchBytes).
  size_t max_evidence_bytes = 64u << 20;
  int jobs = 0;                  // sources scanned in parallel; 0 = number of cores
  // false forces the plain path (the reference the prefiltered path is tested
  // against); so does the environment variable APPDIAG_PREFILTER=off.
  bool prefilter = true;
  // Sources take the plain path until they have read this much, unless the
  // sources' known sizes add up to it: for small inputs compiling the
  // prefilter costs more than it saves. 0 prefilters everything.
  size_t prefilter_min_bytes = 256 * 1024;
  // --since / --until: lines of log sources dated outside it are read and
  // counted, never matched (see time_window.h). Instances are chosen before.
  TimeWindow window;
  // Serialized prefilters (Prefilter::serialize) to use instead of compiling
  // one from the same patterns: the built-in pack's, made when appdiag is built.
  std::vector<std::string_view> precompiled_prefilters;
};

struct ScanResult {
  std::vector<Match> matches;          // kept matches, ordered by source then line
  std::vector<uint64_t> pattern_hits;  // total matching lines per rule pattern
  std::vector<uint64_t> event_hits;    // total matching lines per event
  std::vector<SourceScan> sources;     // per Evidence source
};

class Prefilter;

class Scanner {
 public:
  // Groups the patterns by source kind; the RuleSet must outlive the Scanner.
  // Pattern sets and the prefilter are compiled once, on first use.
  Scanner(const RuleSet& rules, ScanOptions options = {});
  ~Scanner();

  // Compiles every kind's pattern sets now (`rules check`; a scan compiles
  // them when a line first needs them); throws InputError when a pattern
  // cannot be compiled in a set in bounded memory (scanning would then try
  // patterns one by one). A kind's set too large for bounded memory is split
  // in parts instead.
  void check() const;

  // on_match, when given, is called for each kept match as soon as it is found
  // (from the scanning thread of its source; calls are serialised).
  ScanResult scan(const Evidence& evidence,
                  const std::function<void(const Match&)>& on_match = nullptr) const;

  // Every kind's prefilter, built (or loaded) now; nullptr for a kind without
  // one. For prefilter_gen, which serializes the built-in pack's, and tests.
  std::vector<const Prefilter*> prefilters() const;

 private:
  struct KindSet;
  class LineMatcher;
  SourceScan scan_source(const Source& source, uint32_t index, std::vector<Match>& kept,
                         std::vector<uint64_t>& pattern_hits, std::vector<uint64_t>& event_hits,
                         std::atomic<uint64_t>& held, bool eager,
                         const std::function<void(const Match&)>& on_match) const;

  const RuleSet& rules_;
  ScanOptions options_;
  std::vector<std::unique_ptr<KindSet>> kinds_;  // indexed by SourceKind
};

// Reads the given 1-based lines of a source (sorted or not) and returns their
// text, keyed by line. Used for listing and settings evidence.
std::vector<std::pair<uint64_t, std::string>> read_lines(const Source& source,
                                                         std::vector<uint64_t> lines);

}  // namespace appdiag
