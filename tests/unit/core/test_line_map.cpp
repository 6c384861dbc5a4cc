// The run-length line map: exact lines at every position, a run per break.
#include <catch2/catch.hpp>

#include <vector>

#include "analyzer/core/line_map.h"

using namespace appdiag;

TEST_CASE("line map: every derived line maps to the original line pushed for it") {
  std::vector<uint64_t> lines = {3, 4, 5, 9, 10, 11, 12, 40, 41, 100};
  LineMap map;
  for (uint64_t line : lines) map.push_back(line);
  REQUIRE(map.size() == lines.size());
  for (size_t i = 0; i < lines.size(); ++i) CHECK(map.at(i + 1) == lines[i]);
  CHECK(map.runs() == 4);  // 3-5, 9-12, 40-41, 100
}

TEST_CASE("line map: consecutive lines cost one run however many there are") {
  LineMap map;
  for (uint64_t line = 7; line < 7 + 5'000'000; ++line) map.push_back(line);
  CHECK(map.runs() == 1);
  CHECK(map.at(1) == 7);
  CHECK(map.at(4'999'999) == 7 + 4'999'998);
  CHECK(map.at(5'000'000) == 7 + 4'999'999);
}

TEST_CASE("line map: line numbers past 2^32 are kept exactly") {
  LineMap map;
  uint64_t big = (1ull << 32) + 5;
  map.push_back(1);
  map.push_back(big);
  map.push_back(big + 1);
  CHECK(map.at(2) == big);
  CHECK(map.at(3) == big + 1);
  CHECK(map.runs() == 2);
}

TEST_CASE("line map: a repeated original line starts a new run (deployment JSON lines share a line)") {
  LineMap map{6, 13, 20, 20};
  CHECK(map.at(3) == 20);
  CHECK(map.at(4) == 20);
  CHECK(map.runs() == 4);
}

TEST_CASE("line map: lines outside the map stay as they are; equal maps compare equal") {
  LineMap empty;
  CHECK(empty.empty());
  CHECK(empty.at(42) == 42);
  LineMap map{4, 5, 9};
  CHECK(map.at(0) == 0);
  CHECK(map.at(4) == 4);  // past its end
  CHECK(map == LineMap{4, 5, 9});
  CHECK_FALSE(map == LineMap{4, 5, 10});
  CHECK_FALSE(map == LineMap{4, 5});
}
