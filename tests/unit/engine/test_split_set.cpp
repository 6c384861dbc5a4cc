// A kind's patterns too many for one RE2::Set in bounded memory (a pack of
// generated variants) are split in parts: the pack loads, and every path
// finds the same matches as the patterns tried one by one.
#include <catch2/catch.hpp>

#include <re2/set.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "analyzer/core/pattern.h"
#include "analyzer/engine/scanner.h"

using namespace appdiag;

namespace {
// Each pattern is ~100 RE2 instructions (UTF-8 classes); 12,000 of them
// exceed the million instructions a 64 MiB set may hold.
std::string variant(int i) {
  return "(?i)error" + std::to_string(i) +
         R"(.*failed.*\b(?P<x>[^\s"]+)\s+at\s+[^\s,]+\s+from\s+[^:]+:\s+\S+ and \S+ or \S+)";
}
constexpr int kVariants = 12000;
}  // namespace

TEST_CASE("a pattern set too large for one RE2::Set is split, and matches as the patterns one by one") {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(int64_t{64} << 20);  // the scanner's bound for a set
  RE2::Set whole(options, RE2::UNANCHORED);
  RuleSet rules;
  int added = 0;
  for (int i = 0; i < kVariants; ++i) {
    std::string error;
    rules.patterns.push_back({variant(i), compile_pattern(variant(i), &error), {SourceKind::App}, 0});
    added += whole.Add(variant(i), nullptr) == i && rules.patterns.back().compiled;
  }
  REQUIRE(added == kVariants);
  REQUIRE_FALSE(whole.Compile());  // the premise: one set cannot hold them

  std::string log = "nothing here\n";
  for (int i : {0, 1, 5999, 6000, 11999})
    log += "ERROR" + std::to_string(i) + " job failed: mod" + std::to_string(i) + " at a from b: c and d or e\n";
  // The reference: each pattern on its own, on each line ("ERROR11999" is
  // also matched by the variants 1, 11, 119 and 1199: 15 matches in all).
  std::vector<std::tuple<uint64_t, uint32_t, std::string>> expected;  // line, pattern, capture
  uint64_t number = 0;
  for (size_t at = 0, end; (end = log.find('\n', at)) != std::string::npos; at = end + 1) {
    ++number;
    std::string line = log.substr(at, end - at);
    for (int i = 0; i < kVariants; ++i) {
      std::string x;
      if (RE2::PartialMatch(line, *rules.patterns[i].compiled, &x)) expected.emplace_back(number, i, x);
    }
  }
  REQUIRE(expected.size() == 15);
  Evidence evidence;
  evidence.sources.push_back(memory_source(SourceKind::App, "app.log", log));
  for (bool prefilter : {false, true}) {
    ScanOptions scan;
    scan.prefilter = prefilter;
    scan.prefilter_min_bytes = 0;
    Scanner scanner(rules, scan);
    if (!prefilter) CHECK_NOTHROW(scanner.check());  // refused before the split
    ScanResult r = scanner.scan(evidence);
    std::vector<std::tuple<uint64_t, uint32_t, std::string>> found;
    for (const Match& m : r.matches) found.emplace_back(m.line, m.index, m.captures.at(0).value);
    std::sort(found.begin(), found.end());
    INFO("prefilter " << prefilter);
    CHECK(found == expected);
  }
}
