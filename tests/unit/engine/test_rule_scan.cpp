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

// Followers are in the kind's pattern sets and its prefilter: a follower with
// a literal trigger is confirmed with the line's other candidates, one
// without is tried only while a window is open, and hits outside a window
// are dropped whichever pass found them.
TEST_CASE("followers with and without a trigger hold their windows on both scan paths, blank lines not counted") {
  RuleSet set = load_rules({{"rules/events/e.json", R"J({"events": [
  {"id": "begin", "label": "b", "phase": "fail", "pattern": "BEGIN"},
  {"id": "lit", "label": "l", "phase": "fail", "after": "begin", "within": 2, "pattern": "finished-step (?P<n>\\d)"},
  {"id": "bare", "label": "x", "phase": "fail", "after": "begin", "within": 2, "pattern": "^x(?P<n>\\d)"}]}
)J"}});
  Evidence ev;
  ev.sources.push_back(memory_source(SourceKind::App, "app.log",
                                     "finished-step 1\nBEGIN\n\n   \nfinished-step 2 x9\n\nx3\nfinished-step 4\n"
                                     "BEGIN finished-step 5\nx6 BEGIN\nfinished-step 7\n"));
  for (bool prefilter : {true, false}) {
    ScanOptions options;
    options.prefilter = prefilter;
    options.prefilter_min_bytes = 0;
    ScanResult r = Scanner(set, options).scan(ev);
    std::vector<std::pair<uint64_t, std::string>> lit, bare;
    for (const Match& m : r.matches) {
      if (m.event && m.index == 1) lit.emplace_back(m.line, m.captures.at(0).value);
      if (m.event && m.index == 2) bare.emplace_back(m.line, m.captures.at(0).value);
    }
    INFO("prefilter " << prefilter);
    // Line 5 is the first content line after BEGIN, line 7 the second; line 8
    // the third (closed). Line 9 is an anchor, not inside an open window; line
    // 10 is within the window line 9 opened, and line 11 within line 10's.
    CHECK(lit == std::vector<std::pair<uint64_t, std::string>>{{5, "2"}, {11, "7"}});
    CHECK(bare == std::vector<std::pair<uint64_t, std::string>>{{7, "3"}, {10, "6"}});
    CHECK(r.event_hits == std::vector<uint64_t>{3, 2, 2});
  }
}
