// What the scanner holds for evidence: each matched line once, a line's head
// only, a total budget whose cuts are counted, and attempt counts taken from
// every match rather than from the kept ones; a match's range found only
// when it is kept.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "analyzer/engine/scanner.h"

using namespace appdiag;

namespace {
RuleSet patterns(std::initializer_list<const char*> regexes) {
  RuleSet rules;
  for (const char* p : regexes) rules.patterns.push_back({p, nullptr, {SourceKind::App}, 0});
  return rules;
}
Evidence one_log(const std::string& text) {
  Evidence evidence;
  evidence.sources.push_back(memory_source(SourceKind::App, "app.log", text));
  return evidence;
}
}  // namespace

TEST_CASE("a line matched by several patterns is held once") {
  RuleSet rules = patterns({"BOOM", "B.OM", "BO+M", "(?P<all>BOOM.*)"});
  ScanResult r = Scanner(rules).scan(one_log("ok\n2024-03-15T10:21:00Z BOOM here\nok\n"));
  REQUIRE(r.matches.size() == 4);
  std::set<const char*> buffers;
  for (const Match& m : r.matches) buffers.insert(m.text.data());
  CHECK(buffers.size() == 1);
  CHECK(r.matches[0].text == std::string_view("2024-03-15T10:21:00Z BOOM here"));
  CHECK(r.matches[0].text.holders() == 4);
}

TEST_CASE("evidence holds a long line's head, up to its furthest match") {
  RuleSet rules = patterns({"START", "END"});
  std::string line = "START " + std::string(20000, 'x') + " END";
  ScanResult r = Scanner(rules).scan(one_log(line + "\nSTART " + std::string(20000, 'y') + "\n"));
  REQUIRE(r.matches.size() == 3);
  CHECK(r.matches[0].text.size() == line.size());  // END is at the end: the whole line
  CHECK(r.matches[0].truncated == false);
  CHECK(r.matches[2].text.size() == 4096);
  CHECK(r.matches[2].truncated);
  CHECK(r.sources[0].evidence_cut_lines == 0);
}

TEST_CASE("past the evidence budget, kept matches hold only their matched part, and the cut is counted") {
  RuleSet rules = patterns({"BOOM \\d+"});
  ScanOptions options;
  options.max_evidence_bytes = 1000;
  std::string log;
  for (int i = 0; i < 30; ++i) log += "2024-03-15T10:21:00Z BOOM " + std::to_string(i) + " " + std::string(200, 'x') + "\n";
  ScanResult r = Scanner(rules, options).scan(one_log(log));
  REQUIRE(r.matches.size() == 30);
  CHECK(r.pattern_hits[0] == 30);
  CHECK(r.matches[0].text.size() > 200);               // within budget: the line
  CHECK(r.matches[29].text == std::string_view("BOOM 29"));  // past it: the match
  CHECK(r.matches[29].truncated);
  CHECK(r.matches[29].begin == 0);
  CHECK(r.matches[29].end == 7);
  CHECK(r.sources[0].evidence_cut_lines >= 25);
}

TEST_CASE("attempts showing a pattern are counted from every match, not the kept ones") {
  RuleSet rules = patterns({"BOOM"});
  rules.events.push_back({});
  rules.events[0].regex = "A P P   S E R V I C E";
  rules.events[0].kinds = {SourceKind::App};
  rules.events[0].starts_attempt = true;
  std::string log;
  for (int i = 0; i < 600; ++i) log += "A P P   S E R V I C E   O N   L I N U X\n" + std::string(i % 3 ? "BOOM\n" : "ok\n");
  ScanResult r = Scanner(rules).scan(one_log(log));
  CHECK(r.sources[0].attempts == 600);
  CHECK(r.sources[0].pattern_attempts == std::vector<uint32_t>{400});
  CHECK(std::count_if(r.matches.begin(), r.matches.end(), [](const Match& m) { return !m.event; }) == 40);
}

TEST_CASE("a match's range is found only for matches kept, and match_range finds it for the others") {
  RuleSet rules = patterns({"BOOM \\d+"});
  ScanOptions options;
  options.keep_per_pattern = 2;
  std::string log;
  for (int i = 0; i < 10; ++i) log += "> 2024-03-15T10:21:0" + std::to_string(i) + "Z x BOOM " + std::to_string(i) + " y\n";
  std::vector<Match> seen;
  ScanResult r = Scanner(rules, options).scan(one_log(log), [&](const Match& m) { seen.push_back(m); });
  REQUIRE(seen.size() == 10);
  // The first two are kept for sure: located at once. The others may be dropped: left for later.
  CHECK(!seen[0].unranged);
  CHECK(!seen[1].unranged);
  CHECK(seen[5].unranged);
  for (const Match& m : seen) {
    auto [begin, end] = match_range(m);
    CHECK(m.text.str().substr(begin, end - begin) == "BOOM " + std::to_string(m.line - 1));
  }
  // Kept matches always carry their range, the last ones too (found at the end of the scan).
  REQUIRE(r.matches.size() == 4);
  for (const Match& m : r.matches) {
    CHECK(!m.unranged);
    CHECK(m.text.str().substr(m.begin, m.end - m.begin) == "BOOM " + std::to_string(m.line - 1));
  }
  CHECK(r.matches[3].line == 10);
}
