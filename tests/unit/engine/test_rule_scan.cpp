// Rules as the scanner runs them: the built-in pack's pattern sets compile,
// and an event's `after`/`within` window holds on both scan paths.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "analyzer/engine/scanner.h"
#include "analyzer/pack/rule_loader.h"

using namespace appdiag;

TEST_CASE("the built-in pack's pattern sets compile") {
  RuleSet set = load_rules(builtin_rule_files());
  // check() compiles every kind's pattern set and throws when one cannot be
  // compiled (scans would then silently try patterns one at a time).
  CHECK_NOTHROW(Scanner(set).check());
}

TEST_CASE("an event with after is matched only within its lines after the anchor, on both scan paths") {
  RuleSet set = load_rules({{"rules/events/e.json", R"J({"events": [
  {"id": "begin", "label": "b", "phase": "fail", "pattern": "BEGIN"},
  {"id": "x", "label": "x", "phase": "fail", "after": "begin", "within": 2, "pattern": "^x(?P<n>\\d)"}]}
)J"}});
  Evidence ev;
  ev.sources.push_back(memory_source(SourceKind::App, "app.log", "x1\nBEGIN\nx2\ny\nx3\nBEGIN x4\nx5\n"));
  for (bool prefilter : {true, false}) {
    ScanOptions options;
    options.prefilter = prefilter;
    options.prefilter_min_bytes = 0;
    ScanResult r = Scanner(set, options).scan(ev);
    std::vector<std::pair<uint64_t, std::string>> followers;
    for (const Match& m : r.matches)
      if (m.index == 1) followers.emplace_back(m.line, m.captures.at(0).value);
    INFO("prefilter " << prefilter);
    // x1 precedes any anchor, x3 is three lines after it, x4 is on the anchor's own line.
    CHECK(followers == std::vector<std::pair<uint64_t, std::string>>{{3, "2"}, {7, "5"}});
  }
}
