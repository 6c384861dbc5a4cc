#pragma once
// A literal prefilter for a set of line patterns. RE2's FilteredRE2 reduces
// each pattern to a formula over literal "atoms" (lowercased strings) that
// every match must satisfy. From it each pattern gets its triggers: the longest
// atom every match contains, or, when no single atom is required (the formula
// has an OR), all its atoms. Hyperscan finds every trigger occurrence in one
// pass over a whole buffer of lines, caselessly; a line is a candidate for the
// patterns whose triggers lie inside it, plus the patterns that have no atoms
// at all. The prefilter never decides a match: the caller runs the candidate
// patterns (with RE2) on the candidate lines only.
//
// Soundness: a pattern that matches a line's text is always among that line's
// candidates, because the atoms a match needs lie inside the line text.
// One required atom is enough, and it keeps common words (" HTTP/", "GET ")
// that only narrow an AND from firing on every access-log line.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace appdiag {

class Prefilter {
 public:
  // One trigger occurrence: [end - length, end) of the scanned buffer.
  struct Hit {
    uint32_t atom;
    uint32_t end;
  };

  // nullptr when no prefilter can be built (Hyperscan is not compiled in, the
  // list is empty, no pattern has atoms). A pattern whose atoms are not plain
  // ASCII (Hyperscan's caseless matching would miss case variants RE2 folds)
  // is a candidate on every line.
  static std::unique_ptr<Prefilter> build(const std::vector<std::string>& patterns);
  // As build, but first looks for a prefilter of exactly these patterns among
  // `precompiled` (serialize()'s output): compiling the Hyperscan database
  // and finding the triggers costs more than scanning 64 MB, so the built-in
  // pack's prefilters are compiled when appdiag is built (prefilter_gen).
  static std::unique_ptr<Prefilter> build(const std::vector<std::string>& patterns,
                                          const std::vector<std::string_view>& precompiled);
  // Built for any CPU Hyperscan runs on (and valgrind's), not tuned for this
  // one: the generator serializes it beside the tuned one, which a machine
  // without this one's CPU features (AVX-512, say) cannot load.
  static std::unique_ptr<Prefilter> build_portable(const std::vector<std::string>& patterns);
  static bool available();  // whether this build has Hyperscan
  ~Prefilter();

  // The prefilter with the patterns it was built from; empty without Hyperscan.
  std::string serialize() const;
  // A serialized prefilter of exactly `patterns`; nullptr when the blob is of
  // other patterns, malformed, or of a Hyperscan version or CPU this one
  // cannot run (the caller then compiles).
  static std::unique_ptr<Prefilter> load(std::string_view blob, const std::vector<std::string>& patterns);
  bool precompiled() const { return precompiled_; }
  const std::vector<std::string>& patterns() const { return patterns_; }

  uint32_t atom_length(uint32_t atom) const { return atom_lengths_[atom]; }

  // Per-thread scanning state. Not shareable between threads.
  class Worker {
   public:
    explicit Worker(const Prefilter& prefilter);
    ~Worker();
    // Every trigger occurrence in `buffer` (at most 4 GiB), ordered by end.
    const std::vector<Hit>& find(std::string_view buffer);

   private:
    const Prefilter& prefilter_;
    void* scratch_ = nullptr;
    std::vector<Hit> hits_;
  };

  // The candidate patterns (indices into the pattern list) of a line holding
  // this trigger; every pattern when it is a case-fold marker.
  bool every_pattern(uint32_t atom) const { return atom >= fold_markers_; }
  const std::vector<int>& patterns_of(uint32_t atom) const { return patterns_of_atom_[atom]; }
  const std::vector<std::vector<int>>& patterns_of_atoms() const { return patterns_of_atom_; }
  // Patterns with no usable atoms: candidates on every line.
  const std::vector<int>& always() const { return always_; }

 private:
  struct Impl;
  explicit Prefilter(std::unique_ptr<Impl> impl);
  static std::unique_ptr<Prefilter> build_for(const std::vector<std::string>& patterns, const void* platform);
  std::unique_ptr<Impl> impl_;
  std::vector<uint32_t> atom_lengths_;
  std::vector<std::vector<int>> patterns_of_atom_;
  uint32_t fold_markers_ = 0;  // atom ids from here on are case-fold markers: every pattern
  std::vector<int> always_;
  std::vector<std::string> patterns_;  // what it was built from: the key of its serialized form
  bool precompiled_ = false;
};

}  // namespace appdiag
