// What pasting adds in front of a log line is not part of it: quote markers,
// git push's "remote: ", a lower-cased timestamp.
#include <catch2/catch.hpp>

#include "analyzer/engine/paste_prefix.h"
#include "analyzer/engine/timestamp.h"

using namespace appdiag;

TEST_CASE("quote markers and remote: prefixes are stripped, repeated or mixed") {
  CHECK(strip_paste_prefix("> ModuleNotFoundError: x") == "ModuleNotFoundError: x");
  CHECK(strip_paste_prefix("> > remote: Error: x") == "Error: x");
  CHECK(strip_paste_prefix(">") == "");
  CHECK(strip_paste_prefix("remote: [10:00:00+0000] x") == "[10:00:00+0000] x");
  CHECK(strip_paste_prefix(">>> import app") == ">>> import app");  // a REPL prompt is content
  CHECK(strip_paste_prefix("2024-05-01T10:00:00Z > not a quote") == "2024-05-01T10:00:00Z > not a quote");
}

TEST_CASE("a lower-cased ISO timestamp is upper-cased in a copy of the same length") {
  std::string out;
  REQUIRE(upcase_pasted_stamp("2024-05-01t10:00:00.123456z ModuleNotFoundError", out));
  CHECK(out == "2024-05-01T10:00:00.123456Z ModuleNotFoundError");
  REQUIRE(upcase_pasted_stamp("2024-05-01t10:00:00 x", out));
  CHECK(out == "2024-05-01T10:00:00 x");
  CHECK_FALSE(upcase_pasted_stamp("2024-05-01T10:00:00Z x", out));
  CHECK_FALSE(upcase_pasted_stamp("2024-05-01 10:00:00 x", out));
  CHECK_FALSE(upcase_pasted_stamp("the 2024-05-01t10:00:00z", out));
  CHECK_FALSE(upcase_pasted_stamp("2024-05-01t", out));
}

TEST_CASE("timestamps of pasted lines are read through their prefix and lower case") {
  auto quoted = parse_line_time("> 2024-05-01t10:00:00z x");
  auto plain = parse_line_time("2024-05-01T10:00:00Z x");
  REQUIRE(quoted);
  REQUIRE(plain);
  CHECK(quoted->ms == plain->ms);
}
