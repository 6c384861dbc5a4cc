// Bug 7: an exception on a scan worker thread that is not an unreadable source
// (a logic error, bad_alloc) is passed back to the caller and rethrown, not
// turned into "source unreadable" nor left to end the process on its thread.
// An unreadable source (InputError) stays that source's error.
#include <catch2/catch.hpp>

#include <memory>
#include <new>
#include <stdexcept>
#include <string>

#include "analyzer/core/error.h"
#include "analyzer/engine/scanner.h"
#include "analyzer/pack/rule_loader.h"

using namespace appdiag;

namespace {

Evidence logs(size_t n) {
  Evidence e;
  for (size_t i = 0; i < n; ++i)
    e.sources.push_back(memory_source(SourceKind::App, "app" + std::to_string(i) + ".log",
                                      "2024-03-15T10:00:00Z ModuleNotFoundError: No module named 'flask'\n"));
  return e;
}

template <typename Exception>
void fail_opening(Source& s, Exception e) {
  s.open = [e]() -> std::unique_ptr<ByteStream> { throw e; };
}

ScanOptions jobs(int n) {
  ScanOptions o;
  o.jobs = n;
  return o;
}

}  // namespace

TEST_CASE("a logic error on a worker is rethrown to the caller, for any --jobs") {
  RuleSet rules = load_rules(builtin_rule_files());
  for (int j : {1, 2, 4}) {
    INFO("jobs " << j);
    Evidence e = logs(6);
    fail_opening(e.sources[3], std::logic_error("index out of range"));
    Scanner scanner(rules, jobs(j));
    REQUIRE_THROWS_WITH(scanner.scan(e), "index out of range");
  }
}

TEST_CASE("bad_alloc on a worker is rethrown, not reported as an unreadable source") {
  RuleSet rules = load_rules(builtin_rule_files());
  Evidence e = logs(4);
  fail_opening(e.sources[1], std::bad_alloc());
  Scanner scanner(rules, jobs(2));
  REQUIRE_THROWS_AS(scanner.scan(e), std::bad_alloc);
}

TEST_CASE("an unreadable source is that source's error and the others are scanned") {
  RuleSet rules = load_rules(builtin_rule_files());
  Evidence e = logs(4);
  fail_opening(e.sources[2], InputError("app2.log: Permission denied"));
  Scanner scanner(rules, jobs(2));
  ScanResult r = scanner.scan(e);
  REQUIRE(r.sources.size() == 4);
  CHECK(r.sources[2].error == "app2.log: Permission denied");
  for (size_t i : {0, 1, 3}) {
    CHECK(r.sources[i].error.empty());
    CHECK(r.sources[i].lines == 1);
  }
  CHECK(r.matches.size() >= 3);
}
