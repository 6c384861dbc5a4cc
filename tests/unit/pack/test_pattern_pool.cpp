// The pattern pool: patterns compiled ahead of the compilers, the same result as compiling each when asked.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "analyzer/core/pattern.h"
#include "analyzer/pack/pattern_pool.h"

using namespace appdiag;

TEST_CASE("pattern pool: every pattern key anywhere in the documents, taken from the pool; the rest compiled when asked") {
  auto doc = nlohmann::json::parse(R"J({
    "when": {"all_of": [{"log": "a+b"}, {"none_of": [{"path": "^x/y$"}]}, {"setting": "S", "matches": "^1$"}]},
    "events": [{"pattern": "started (?P<n>\\d+)"}, {"pattern": "(unclosed"}],
    "title": "not a pattern"
  })J");
  PatternPool pool({&doc});
  CHECK(pool.size() == 4);  // the bad pattern is left to the compiler, which reports it
  std::string error;
  auto first = pool.compile("a+b", &error);
  REQUIRE(first);
  CHECK(first == pool.compile("a+b", &error));  // the same object, not compiled again
  CHECK(pool.compile("started (?P<n>\\d+)", &error)->NamedCapturingGroups().count("n") == 1);
  CHECK(pool.compile("not a pattern", &error) != pool.compile("not a pattern", &error));  // compiled when asked

  std::string pool_error, direct_error;
  CHECK_FALSE(pool.compile("(unclosed", &pool_error));
  CHECK_FALSE(compile_pattern("(unclosed", &direct_error));
  CHECK(pool_error == direct_error);
  CHECK_FALSE(pool_error.empty());
}

TEST_CASE("pattern pool: a document nested far deeper than the stack allows is walked, not recursed") {
  std::string deep;
  for (int i = 0; i < 200000; ++i) deep += "[";
  deep += R"J({"log": "deep"})J";
  for (int i = 0; i < 200000; ++i) deep += "]";
  auto doc = nlohmann::json::parse(deep);
  PatternPool pool({&doc});
  CHECK(pool.size() == 1);
}
