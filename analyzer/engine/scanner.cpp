#include "analyzer/engine/scanner.h"

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdlib>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <numeric>
#include <tuple>

#include <re2/set.h>

#include "analyzer/core/error.h"
#include "analyzer/core/once.h"
#include "analyzer/core/worker_threads.h"
#include "analyzer/engine/line_reader.h"
#include "analyzer/engine/paste_prefix.h"
#include "analyzer/engine/prefilter.h"
#include "analyzer/core/pattern.h"

namespace appdiag {

namespace {
constexpr int64_t kSetMaxMem = 64 << 20;

struct Entry {
  bool event = false;
  uint32_t index = 0;
  std::shared_ptr<const RE2> regex;
  std::vector<std::string> group_names;  // by group number; empty for unnamed groups
  size_t captures = 0;  // groups to ask RE2 for: up to the last named one (0: none named)
};

// A kept match cut to its matched part holds at most this many bytes.
constexpr size_t kCutMatchBytes = 1024;
// Evidence shows a line's head up to this size, or up to the end of its
// furthest match: every finding copies its evidence lines into the report.
constexpr size_t kShownLineBytes = 4096;

// First N and last N matches of one pattern in one source. A line dropped by
// its last holder gives its bytes back to the scan's evidence budget. The
// last N take their captures only at the end (finish): on a busy log almost
// every match passes through them and is dropped again.
struct Kept {
  std::vector<Match> first;
  std::deque<std::pair<Match, bool>> last;  // bool: captures still to take
  bool wants_first(size_t n) const { return first.size() < n; }
  void add(Match&& m, size_t n, bool captures_pending, std::atomic<uint64_t>& held) {
    if (first.size() < n) {
      first.push_back(std::move(m));
      return;
    }
    last.emplace_back(std::move(m), captures_pending);
    if (last.size() > n) {
      if (last.front().first.text.holders() == 1) held -= last.front().first.text.size();
      last.pop_front();
    }
  }
};

// A set of the given entries (set index i = members[i]); nullptr if it cannot be built.
std::unique_ptr<RE2::Set> make_set(const std::vector<Entry>& entries, const std::vector<int>& members,
                                   const RE2::Options& options) {
  auto set = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
  for (size_t i = 0; i < members.size(); ++i)
    if (set->Add(entries[members[i]].regex->pattern(), nullptr) != static_cast<int>(i)) return nullptr;
  return set->Compile() ? std::move(set) : nullptr;
}

// The first `count` entries as RE2::Sets of consecutive entries: one set
// while it compiles in bounded memory, halves of it (and halves of those)
// when it does not, so that a pack of ten thousand variants still loads.
// Each part's memory is bounded; their total grows with the pack.
class SplitSet {
 public:
  // nullptr when a lone pattern does not compile in a set.
  static std::unique_ptr<SplitSet> build(const std::vector<Entry>& entries, size_t count,
                                         const RE2::Options& options) {
    auto split = std::make_unique<SplitSet>();
    if (!split->add(entries, 0, count, options)) return nullptr;
    return split;
  }

  // Sets `hits` to the entries matching the line, ascending; false when a
  // part's DFA ran out of memory on the line (hits then incomplete).
  bool match(std::string_view line, std::vector<int>& hits, std::vector<int>& scratch) const {
    hits.clear();
    for (const Part& part : parts_) {
      RE2::Set::ErrorInfo info;
      scratch.clear();
      if (!part.set->Match(line, &scratch, &info) && info.kind != RE2::Set::kNoError) return false;
      std::sort(scratch.begin(), scratch.end());
      for (int i : scratch) hits.push_back(part.first + i);
    }
    return true;
  }

 private:
  struct Part {
    int first;  // entry of the set's index 0
    std::unique_ptr<RE2::Set> set;
  };

  bool add(const std::vector<Entry>& entries, size_t first, size_t count, const RE2::Options& options) {
    if (count == 0) return true;
    std::vector<int> members(count);
    std::iota(members.begin(), members.end(), static_cast<int>(first));
    if (auto set = make_set(entries, members, options)) {
      parts_.push_back({static_cast<int>(first), std::move(set)});
      return true;
    }
    return count > 1 && add(entries, first, count / 2, options) &&
           add(entries, first + count / 2, count - count / 2, options);
  }

  std::vector<Part> parts_;
};
}  // namespace

// An event looked for only in the lines after one matching its anchor entry.
struct Follower {
  int entry;   // in KindSet::entries, after those of the set
  int anchor;  // in KindSet::entries
  uint32_t within;
};

struct Scanner::KindSet {
  // The kind's patterns, then followers' patterns. All are in the sets and
  // the prefilter: a line confirmed by one pass over the whole set costs
  // nothing more for its followers; their hits outside a window are dropped.
  std::vector<Entry> entries;
  std::vector<Follower> followers;
  // `compiled` holds a pattern's RE2 (by event index in add_followers), shared across kinds.
  void add(bool event, uint32_t index, const std::string& regex, std::shared_ptr<const RE2>& compiled);
  void add_followers(const RuleSet& rules, SourceKind kind, std::vector<std::shared_ptr<const RE2>>& compiled);
  static RE2::Options set_options() {
    RE2::Options o;
    o.set_log_errors(false);
    o.set_max_mem(kSetMaxMem);
    return o;
  }

  // The RE2::Sets of the set's entries, built on first use: a large source
  // read through the prefilter may never need them, and compiling thousands
  // of patterns costs more than scanning a gigabyte. nullptr when a pattern
  // cannot be compiled in a set in bounded memory; patterns are then tried one by one.
  const SplitSet* set() const {
    set_once_([this] { set_ = SplitSet::build(entries, entries.size(), set_options()); });
    return set_.get();
  }

  // Built on first use: small inputs never pay for it. nullptr when unavailable.
  const Prefilter* prefilter(const std::vector<std::string_view>& precompiled) const {
    prefilter_once_([&] {
      std::vector<std::string> patterns;
      for (const Entry& e : entries) patterns.push_back(e.regex->pattern());
      prefilter_ = Prefilter::build(patterns, precompiled);
      if (!prefilter_) return;
      size_t atoms = prefilter_->patterns_of_atoms().size();
      group_sets_.resize(atoms);
      group_once_ = std::make_unique<Once[]>(atoms);
    });
    return prefilter_.get();
  }

  // Adds to hits the entries among `group` (ascending) matching the line. A
  // trigger many patterns share (variants of one rule) is confirmed in one pass.
  void match_group(uint32_t atom, std::string_view line, std::vector<int>& hits,
                   std::vector<int>& scratch) const {
    const std::vector<int>& group = prefilter_->patterns_of(atom);
    const RE2::Set* set = group_set(atom);
    RE2::Set::ErrorInfo info;
    scratch.clear();
    if (set && (set->Match(line, &scratch, &info) || info.kind == RE2::Set::kNoError)) {
      for (int i : scratch) hits.push_back(group[i]);
      return;
    }
    for (int e : group)
      if (matches(e, line)) hits.push_back(e);
  }

  // The entries matching the line, ascending, through the kind's sets.
  void match_plain(std::string_view line, std::vector<int>& hits, std::vector<int>& scratch) const {
    const SplitSet* all = set();
    if (all && all->match(line, hits, scratch)) return;
    // No set, or a DFA ran out of memory on this line: pattern by pattern gives the same answer, slower.
    hits.clear();
    for (size_t i = 0; i < entries.size(); ++i)
      if (matches(i, line)) hits.push_back(static_cast<int>(i));
  }

  // Entries from here on are followers' (followers[entry - first_follower()]).
  size_t first_follower() const { return entries.size() - followers.size(); }

  // RE2 passes over a line that confirming a trigger's group of patterns takes.
  static size_t passes(size_t group) { return group >= kGroupSet ? 1 : group; }

  bool matches(size_t entry, std::string_view line) const {
    return entries[entry].regex->Match(line, 0, line.size(), RE2::UNANCHORED, nullptr, 0);
  }

 private:
  static constexpr size_t kGroupSet = 4;

  // The set of a trigger's patterns, built the first time a line holds it;
  // nullptr for small groups (confirmed one by one) or when it cannot compile.
  const RE2::Set* group_set(uint32_t atom) const {
    const std::vector<int>& group = prefilter_->patterns_of(atom);
    if (group.size() < kGroupSet) return nullptr;
    group_once_[atom]([&] { group_sets_[atom] = make_set(entries, group, set_options()); });
    return group_sets_[atom].get();
  }

  Once set_once_;
  mutable std::unique_ptr<SplitSet> set_;
  Once prefilter_once_;
  mutable std::unique_ptr<Prefilter> prefilter_;
  mutable std::unique_ptr<Once[]> group_once_;                 // by atom
  mutable std::vector<std::unique_ptr<RE2::Set>> group_sets_;  // by atom
};

// Decides, line by line in stream order, which entries of a kind match. On the
// prefiltered path each buffer the line reader holds is searched once, when
// its first line comes; later lines take their atom hits from that search.
class Scanner::LineMatcher {
 public:
  // `eager`: prefilter from the first line (the scan as a whole is large).
  LineMatcher(const KindSet& kind, const ScanOptions& options, bool eager)
      : kind_(kind), options_(options), eager_(eager), open_until_(kind.followers.size(), 0) {}

  // The entries whose pattern matches `body`, the reader's last line `line`
  // without its paste prefix (a tail of it), ascending.
  void match(const LineReader& reader, std::string_view line, std::string_view body, std::vector<int>& hits,
             SourceScan& stats) {
    hits.clear();
    // A follower's window counts lines with content, so that a double-spaced
    // paste (a blank line after each) keeps a traceback's end within reach.
    if (body.find_first_not_of(" \t\r") != std::string_view::npos) ++content_lines_;
    match_set(reader, line.size(), body, hits, stats);
    if (!kind_.followers.empty()) follow(hits);
  }

 private:
  // The prefilter's hits are found on the whole line (`length` bytes); a
  // trigger inside the prefix only costs a regex run that fails.
  void match_set(const LineReader& reader, size_t length, std::string_view line, std::vector<int>& hits,
                 SourceScan& stats) {
    if (kind_.entries.empty()) return;
    uint64_t offset = reader.line_offset();
    if (offset >= window_end_) open_window(reader);
    if (!worker_ || !in_prefiltered_window_) {
      ++stats.regex_lines;
      kind_.match_plain(line, hits, scratch_);
      return;
    }
    ++stats.prefiltered_lines;
    std::vector<uint32_t>& atoms = atoms_in(offset - window_start_, length);
    const std::vector<int>& always = always_now();
    if (atoms.empty() && always.empty()) return;
    ++stats.regex_lines;
    std::sort(atoms.begin(), atoms.end());
    atoms.erase(std::unique(atoms.begin(), atoms.end()), atoms.end());
    if ((!atoms.empty() && prefilter_->every_pattern(atoms.back())) || one_pass_cheaper(atoms, always)) {
      kind_.match_plain(line, hits, scratch_);
      return;
    }
    for (int e : always)
      if (kind_.matches(e, line)) hits.push_back(e);
    for (uint32_t atom : atoms) kind_.match_group(atom, line, hits, scratch_);
    // Patterns with several triggers (an OR) may have been confirmed twice.
    std::sort(hits.begin(), hits.end());
    hits.erase(std::unique(hits.begin(), hits.end()), hits.end());
  }

  // Each group or lone candidate costs RE2 a pass over the line; the kind's
  // whole set needs one. On a line holding several triggers (a traceback
  // line in a log full of them) one pass wins, while the whole set stays
  // small enough for its DFA to stay warm (a pack of ten thousand variants is not).
  bool one_pass_cheaper(const std::vector<uint32_t>& atoms, const std::vector<int>& always) const {
    static constexpr size_t kWholeSetAtMost = 512;
    if (kind_.entries.size() > kWholeSetAtMost) return false;
    size_t passes = always.size();
    for (uint32_t atom : atoms) passes += KindSet::passes(prefilter_->patterns_of(atom).size());
    return passes >= 3;
  }

  // The prefilter's patterns without atoms that this line needs: a
  // follower's only while its window is open.
  const std::vector<int>& always_now() {
    const int first = static_cast<int>(kind_.first_follower());
    const std::vector<int>& all = prefilter_->always();
    if (all.empty() || all.back() < first) return all;  // ascending: no follower among them
    always_.clear();
    for (int e : all)
      if (e < first || open(e - first)) always_.push_back(e);
    return always_;
  }

  bool open(size_t follower) const { return open_until_[follower] != 0 && content_lines_ <= open_until_[follower]; }

  // A follower counts on the lines its anchor opened: a line matching an
  // anchor opens the next `within` lines. Followers' entries come after the
  // others, so `hits` stays ascending.
  void follow(std::vector<int>& hits) {
    const size_t first = kind_.first_follower();
    auto followers = std::lower_bound(hits.begin(), hits.end(), static_cast<int>(first));
    hits.erase(std::remove_if(followers, hits.end(), [&](int e) { return !open(e - first); }), hits.end());
    followers = std::lower_bound(hits.begin(), hits.end(), static_cast<int>(first));
    for (size_t f = 0; f < kind_.followers.size(); ++f)
      if (std::binary_search(hits.begin(), followers, kind_.followers[f].anchor))
        open_until_[f] = content_lines_ + kind_.followers[f].within;
  }

  void open_window(const LineReader& reader) {
    std::string_view window = reader.lookahead();
    window_start_ = reader.line_offset();
    window_end_ = window_start_ + window.size();
    in_prefiltered_window_ = false;
    // By bytes read so far, not window size: a pipe delivers 64 KiB at a time,
    // and a gigabyte through a pipe needs the prefilter as much as a file does.
    bool wanted = options_.prefilter && (worker_ || eager_ || reader.bytes_read() >= options_.prefilter_min_bytes) &&
                  window.size() <= UINT32_MAX;
    if (!wanted) return;
    const Prefilter* prefilter = kind_.prefilter(options_.precompiled_prefilters);
    if (!prefilter) return;
    if (!worker_) worker_ = std::make_unique<Prefilter::Worker>(*prefilter);
    prefilter_ = prefilter;
    hits_ = &worker_->find(window);
    next_hit_ = 0;
    in_prefiltered_window_ = true;
  }

  // The triggers lying wholly inside the line [begin, begin + length) of the
  // window. Hits come ordered by end, so each is looked at once.
  std::vector<uint32_t>& atoms_in(uint64_t begin, size_t length) {
    atoms_.clear();
    uint64_t end = begin + length;
    for (; next_hit_ < hits_->size() && (*hits_)[next_hit_].end <= end; ++next_hit_) {
      const Prefilter::Hit& h = (*hits_)[next_hit_];
      if (h.end >= begin + prefilter_->atom_length(h.atom)) atoms_.push_back(h.atom);
    }
    return atoms_;
  }

  const KindSet& kind_;
  const ScanOptions& options_;
  bool eager_;
  const Prefilter* prefilter_ = nullptr;
  std::unique_ptr<Prefilter::Worker> worker_;
  uint64_t window_start_ = 0;
  uint64_t window_end_ = 0;  // stream offsets of the buffer last searched
  bool in_prefiltered_window_ = false;
  const std::vector<Prefilter::Hit>* hits_ = nullptr;
  size_t next_hit_ = 0;
  std::vector<uint32_t> atoms_;
  std::vector<int> scratch_;
  std::vector<int> always_;
  std::vector<uint64_t> open_until_;  // by follower: last content line it counts on (0: none)
  uint64_t content_lines_ = 0;        // lines read so far that are not blank
};

Scanner::Scanner(const RuleSet& rules, ScanOptions options) : rules_(rules), options_(options) {
  if (const char* env = std::getenv("APPDIAG_PREFILTER"); env && std::string_view(env) == "off")
    options_.prefilter = false;
  // Patterns come compiled from the loader; one without (a RuleSet built by
  // hand) is compiled here, once whatever the number of kinds reading it.
  std::vector<std::shared_ptr<const RE2>> patterns, events;
  for (const auto& p : rules.patterns) patterns.push_back(p.compiled);
  for (const auto& e : rules.events) events.push_back(e.compiled);
  for (SourceKind kind : {SourceKind::Deploy, SourceKind::Platform, SourceKind::App,
                          SourceKind::Listing, SourceKind::Settings}) {
    auto ks = std::make_unique<KindSet>();
    auto wants = [kind](const std::vector<SourceKind>& kinds) {
      return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
    };
    for (size_t i = 0; i < rules.patterns.size(); ++i)
      if (wants(rules.patterns[i].kinds)) ks->add(false, i, rules.patterns[i].regex, patterns[i]);
    for (size_t i = 0; i < rules.events.size(); ++i)
      if (wants(rules.events[i].kinds) && rules.events[i].after.empty())
        ks->add(true, i, rules.events[i].regex, events[i]);
    ks->add_followers(rules, kind, events);
    kinds_.push_back(std::move(ks));
  }
}

Scanner::~Scanner() = default;

void Scanner::check() const {
  for (size_t k = 0; k < kinds_.size(); ++k)
    if (!kinds_[k]->entries.empty() && !kinds_[k]->set())
      throw InputError("rule pack: a " + std::string(to_string(static_cast<SourceKind>(k))) +
                       " pattern cannot be compiled in a pattern set in bounded memory");
}

std::vector<const Prefilter*> Scanner::prefilters() const {
  std::vector<const Prefilter*> all;
  for (const auto& kind : kinds_)
    all.push_back(!kind->entries.empty() ? kind->prefilter(options_.precompiled_prefilters) : nullptr);
  return all;
}

namespace {
// `compiled` caches the pattern's RE2 across kinds (null: not compiled yet).
Entry make_entry(bool event, uint32_t index, const std::string& regex, std::shared_ptr<const RE2>& compiled) {
  std::string error;
  if (!compiled) compiled = compile_pattern(regex, &error);
  Entry entry{event, index, compiled, {}};
  if (!entry.regex) throw InputError("pattern /" + regex + "/: " + error);
  entry.group_names.resize(entry.regex->NumberOfCapturingGroups() + 1);
  for (const auto& [name, group] : entry.regex->NamedCapturingGroups()) {
    entry.group_names[group] = name;
    entry.captures = std::max<size_t>(entry.captures, group + 1);
  }
  return entry;
}
}  // namespace

void Scanner::KindSet::add(bool event, uint32_t index, const std::string& regex,
                           std::shared_ptr<const RE2>& compiled) {
  entries.push_back(make_entry(event, index, regex, compiled));
}

// After the set's entries: each event with an anchor read by this kind.
void Scanner::KindSet::add_followers(const RuleSet& rules, SourceKind kind,
                                     std::vector<std::shared_ptr<const RE2>>& compiled) {
  const size_t anchors = entries.size();
  for (size_t i = 0; i < rules.events.size(); ++i) {
    const EventDef& e = rules.events[i];
    if (e.after.empty() || std::find(e.kinds.begin(), e.kinds.end(), kind) == e.kinds.end()) continue;
    for (size_t a = 0; a < anchors; ++a) {
      if (!entries[a].event || rules.events[entries[a].index].id != e.after) continue;
      entries.push_back(make_entry(true, static_cast<uint32_t>(i), e.regex, compiled[i]));
      followers.push_back({static_cast<int>(entries.size() - 1), static_cast<int>(a), e.within});
      break;
    }
  }
}

namespace {
// The line as the patterns see it: a paste prefix ("> ", "remote: ") left
// out and a lower-cased pasted timestamp upper-cased (then held in `stamp`).
std::string_view matched_body(std::string_view line, std::string& stamp) {
  std::string_view body = strip_paste_prefix(line);
  if (upcase_pasted_stamp(body, stamp)) body = stamp;
  return body;
}

// The range of the pattern's first match in a line the set reported: the
// line's body (paste prefix left out) searched with RE2's DFA only; the
// slower submatch engines run later, for captures of the matches kept.
// Empty when it does not match (cannot happen for a reported line).
std::pair<uint32_t, uint32_t> find_range(const RE2& regex, std::string_view line) {
  std::string stamp;
  std::string_view body = matched_body(line, stamp);
  re2::StringPiece whole;
  if (!regex.Match(body, 0, body.size(), RE2::UNANCHORED, &whole, 1)) return {0, 0};
  auto begin = static_cast<uint32_t>(line.size() - body.size() + (whole.data() - body.data()));
  return {begin, begin + static_cast<uint32_t>(whole.size())};
}

// The match of an entry in a line, its range found now or left for later.
Match locate(const Entry& entry, std::string_view line, bool now) {
  Match m;
  m.event = entry.event;
  m.index = entry.index;
  if (now) std::tie(m.begin, m.end) = find_range(*entry.regex, line);
  else m.unranged = entry.regex;
  return m;
}

// Fills in the range left for later, from the kept text (which holds the
// whole line whenever the range was left).
void take_range(Match& m) {
  if (!m.unranged) return;
  std::tie(m.begin, m.end) = find_range(*m.unranged, m.text.str());
  m.unranged.reset();
}

// The named groups of a located match, from the text of the line it was
// found in: the pattern is run again on exactly the matched range of the
// line's body, as RE2 itself does after its DFA has found a range.
void take_captures(const Entry& entry, std::string_view line, Match& m) {
  if (entry.captures == 0) return;
  std::string stamp;
  std::string_view body = matched_body(line, stamp);
  auto skipped = static_cast<uint32_t>(line.size() - body.size());
  if (m.begin < skipped || m.end - skipped > body.size()) return;
  std::vector<re2::StringPiece> sub(entry.captures);
  if (!entry.regex->Match(body, m.begin - skipped, m.end - skipped, RE2::ANCHOR_BOTH, sub.data(),
                          static_cast<int>(sub.size())))
    return;
  for (size_t g = 1; g < sub.size(); ++g)
    if (!entry.group_names[g].empty() && sub[g].data())
      m.captures.push_back({entry.group_names[g], std::string(sub[g])});
}
}  // namespace

namespace {
// The line's text for a match: the whole line, shared by every match of it,
// while the evidence budget lasts; past it, only the matched part (cut to
// kCutMatchBytes). Every byte handed out is counted in `held`.
class LineKeeper {
 public:
  LineKeeper(std::atomic<uint64_t>& held, size_t budget) : held_(held), budget_(budget) {}

  // `shown` is how much of the line's head the matches need.
  void start(std::string_view line, size_t shown) {
    line_ = line;
    whole_.reset();
    std::string_view head = line.substr(0, shown);
    cut_ = held_ + head.size() > budget_;
    if (!cut_) {
      whole_ = std::make_shared<const std::string>(head);
      held_ += head.size();
    }
  }
  bool cut() const { return cut_; }

  void fill(Match& m) {
    if (!cut_) {
      m.text = SharedLine(whole_);
      if (whole_->size() < line_.size()) m.truncated = true;
      return;
    }
    size_t size = std::min<size_t>(m.end - m.begin, kCutMatchBytes);
    m.text = SharedLine(std::make_shared<const std::string>(line_.substr(m.begin, size)));
    held_ += size;
    m.begin = 0;
    m.end = static_cast<uint32_t>(size);
    m.truncated = true;
  }
  // Gives back the whole line when no kept match took it.
  void finish() {
    if (whole_ && whole_.use_count() == 1) held_ -= whole_->size();
    whole_.reset();
  }

 private:
  std::atomic<uint64_t>& held_;
  size_t budget_;
  std::string_view line_;
  std::shared_ptr<const std::string> whole_;
  bool cut_ = false;
};
}  // namespace

SourceScan Scanner::scan_source(const Source& source, uint32_t index, std::vector<Match>& kept_out,
                                std::vector<uint64_t>& pattern_hits, std::vector<uint64_t>& event_hits,
                                std::atomic<uint64_t>& held, bool eager,
                                const std::function<void(const Match&)>& on_match) const {
  SourceScan stats;
  stats.pattern_attempts.assign(rules_.patterns.size(), 0);
  std::vector<int64_t> last_attempt(rules_.patterns.size(), -1);
  LineKeeper keeper(held, options_.max_evidence_bytes);
  std::vector<Match> line_matches;
  if (!source.open) return stats;
  const KindSet& ks = *kinds_[static_cast<int>(source.kind)];
  std::map<size_t, Kept> kept;  // by entry
  std::vector<int> hits;
  std::unique_ptr<ByteStream> stream;
  LineMatcher matcher(ks, options_, eager);
  std::optional<LineClock> clock;
  if (options_.window.restricts_time() && is_log_kind(source.kind)) clock.emplace(source.part.empty() ? source.name : source.part);
  std::string stamp;  // a line whose pasted timestamp was lower-cased, upper-cased again
  try {
    stream = source.open();
    LineReader reader(*stream, options_.max_line);
    std::string_view line;
    while (reader.next(line)) {
      // Kept per line: a read error later (a zip entry's bad CRC) keeps what was read.
      stats.bytes = reader.bytes_read();
      stats.lines = reader.line_number();
      if (reader.truncated() && stats.truncated_lines++ == 0) stats.first_truncated_line = reader.line_number();
      if (clock) {
        std::optional<int64_t> t = clock->at(line);
        if (t && !options_.window.contains(*t)) {
          ++stats.outside_window;
          continue;
        }
      }
      std::string_view body = matched_body(line, stamp);
      matcher.match(reader, line, body, hits, stats);
      if (hits.empty()) continue;
      // Attempt markers first, so a marker line belongs to the attempt it starts.
      for (int h : hits) {
        const Entry& e = ks.entries[h];
        if (e.event && rules_.events[e.index].starts_attempt) {
          ++stats.attempts;
          break;
        }
      }
      uint64_t number = reader.line_number();
      number = source.line_map.at(number);
      // A range is found now only when the evidence may need it before the
      // match is kept (a line longer than the shown head, whose head is cut
      // to cover the matches); otherwise later, for the matches kept.
      const bool long_line = line.size() > kShownLineBytes;
      line_matches.clear();
      size_t shown = kShownLineBytes;
      for (int h : hits) {
        line_matches.push_back(locate(ks.entries[h], line, long_line));
        shown = std::max<size_t>(shown, line_matches.back().end);
      }
      keeper.start(line, shown);
      if (keeper.cut()) ++stats.evidence_cut_lines;
      for (size_t i = 0; i < hits.size(); ++i) {
        int h = hits[i];
        const Entry& e = ks.entries[h];
        Match& m = line_matches[i];
        m.source = index;
        m.line = number;
        m.attempt = stats.attempts;
        m.truncated = reader.truncated();
        Kept& slot = kept[h];
        // A match surely kept, or about to lose its line to the budget, takes its range and captures now.
        bool now = keeper.cut() || slot.wants_first(options_.keep_per_pattern);
        if (now) {
          if (m.unranged) std::tie(m.begin, m.end) = find_range(*e.regex, line);
          m.unranged.reset();
          take_captures(e, line, m);
        }
        keeper.fill(m);
        if (e.event) {
          ++event_hits[e.index];
        } else {
          ++pattern_hits[e.index];
          if (last_attempt[e.index] != stats.attempts) ++stats.pattern_attempts[e.index];
          last_attempt[e.index] = stats.attempts;
        }
        if (on_match) on_match(m);
        slot.add(std::move(m), options_.keep_per_pattern, !now, held);
      }
      keeper.finish();
    }
    stats.lines = reader.line_number();
    stats.bytes = reader.bytes_read();
  } catch (const InputError& e) {  // an unreadable source; anything else is a bug and must surface
    stats.error = e.what();
  }
  size_t count = kept_out.size();
  for (const auto& [entry, k] : kept) count += k.first.size() + k.last.size();
  kept_out.reserve(count);
  for (auto& [entry, k] : kept) {
    for (auto& m : k.first) kept_out.push_back(std::move(m));
    for (auto& [m, pending] : k.last) {
      // The kept text holds the whole matched range (it is cut only after captures were taken).
      if (pending) {
        take_range(m);
        take_captures(ks.entries[entry], m.text.str(), m);
      }
      kept_out.push_back(std::move(m));
    }
  }
  return stats;
}

ScanResult Scanner::scan(const Evidence& evidence,
                         const std::function<void(const Match&)>& on_match) const {
  const size_t n = evidence.sources.size();
  std::vector<std::vector<Match>> per_source(n);
  std::vector<std::vector<uint64_t>> pattern_hits(n, std::vector<uint64_t>(rules_.patterns.size()));
  std::vector<std::vector<uint64_t>> event_hits(n, std::vector<uint64_t>(rules_.events.size()));
  ScanResult result;
  result.sources.resize(n);
  std::mutex callback_mutex;
  auto serialised = [&](const Match& m) {
    std::lock_guard<std::mutex> lock(callback_mutex);
    on_match(m);
  };
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> held{0};  // bytes of kept lines, all sources
  // The prefilter is compiled once per scan, not per source: when the sources
  // together are large (2,000 files of 50 KB), each uses it from its first line.
  uint64_t total = 0;
  for (const Source& s : evidence.sources) total += s.size;
  const bool eager = total >= options_.prefilter_min_bytes;
  // A worker's exception other than an unreadable source (a bug, bad_alloc)
  // is kept, the other workers stop taking sources, and the first one by
  // source order is rethrown here: an uncaught exception on a thread would
  // end the process without a message.
  std::vector<std::exception_ptr> failed(n);
  std::atomic<bool> stop{false};
  auto worker = [&] {
    for (size_t i; !stop && (i = next++) < n;) {
      try {
        result.sources[i] = scan_source(evidence.sources[i], static_cast<uint32_t>(i), per_source[i],
                                        pattern_hits[i], event_hits[i], held, eager,
                                        on_match ? std::function<void(const Match&)>(serialised) : nullptr);
      } catch (...) {
        failed[i] = std::current_exception();
        stop = true;
      }
    }
  };
  run_on_threads(thread_count(options_.jobs, n), worker);
  for (const std::exception_ptr& e : failed)
    if (e) std::rethrow_exception(e);

  result.pattern_hits.assign(rules_.patterns.size(), 0);
  result.event_hits.assign(rules_.events.size(), 0);
  size_t kept = 0;
  for (const auto& matches : per_source) kept += matches.size();
  result.matches.reserve(kept);
  for (size_t i = 0; i < n; ++i) {
    for (size_t p = 0; p < rules_.patterns.size(); ++p) result.pattern_hits[p] += pattern_hits[i][p];
    for (size_t e = 0; e < rules_.events.size(); ++e) result.event_hits[e] += event_hits[i][e];
    std::stable_sort(per_source[i].begin(), per_source[i].end(),
                     [](const Match& a, const Match& b) { return a.line < b.line; });
    for (auto& m : per_source[i]) result.matches.push_back(std::move(m));
    std::vector<Match>().swap(per_source[i]);  // its memory serves the next sources' moves
  }
  return result;
}

std::pair<uint32_t, uint32_t> match_range(const Match& m) {
  return m.unranged ? find_range(*m.unranged, m.text.str()) : std::make_pair(m.begin, m.end);
}

std::vector<std::pair<uint64_t, std::string>> read_lines(const Source& source,
                                                         std::vector<uint64_t> lines) {
  std::vector<std::pair<uint64_t, std::string>> out;
  if (!source.open || lines.empty()) return out;
  std::sort(lines.begin(), lines.end());
  lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
  auto stream = source.open();
  LineReader reader(*stream);
  std::string_view line;
  size_t want = 0;
  while (want < lines.size() && reader.next(line)) {
    uint64_t number = reader.line_number();
    number = source.line_map.at(number);
    while (want < lines.size() && lines[want] < number) ++want;
    if (want < lines.size() && lines[want] == number) out.emplace_back(number, std::string(line));
  }
  return out;
}

}  // namespace appdiag
