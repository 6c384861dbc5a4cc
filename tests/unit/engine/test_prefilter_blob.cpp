// A prefilter's serialized form (Prefilter::serialize / load): what the build
// precompiles for the built-in pack. A loaded prefilter finds the same hits as
// the one it was serialized from; a blob of other patterns, or a damaged one,
// is refused (the scanner then compiles), never half-used.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "analyzer/engine/prefilter.h"

using namespace appdiag;

namespace {

const std::vector<std::string> kPatterns = {
    R"(ModuleNotFoundError: No module named '(?P<module>[^']+)')",
    R"(didn't respond to HTTP pings on port:? ?(?P<port>\d+))",
    R"(\[ERROR\] (Exception in worker process|Worker failed to boot))",
    R"(.*)",  // no atoms: a candidate on every line
};

const std::string kBuffer =
    "2026-01-01 ModuleNotFoundError: No module named 'flask'\n"
    "Container x didn't respond to HTTP pings on port: 8000\n"
    "[ERROR] Worker failed to boot. \xE2\x84\xAA\n"
    "GET / HTTP/1.1 200\n";

std::vector<std::pair<uint32_t, uint32_t>> hits(const Prefilter& p, const std::string& buffer) {
  Prefilter::Worker worker(p);
  std::vector<std::pair<uint32_t, uint32_t>> out;
  for (const Prefilter::Hit& h : worker.find(buffer)) out.emplace_back(h.atom, h.end);
  return out;
}

void require_same(const Prefilter& a, const Prefilter& b) {
  REQUIRE(a.patterns_of_atoms() == b.patterns_of_atoms());
  REQUIRE(a.always() == b.always());
  for (uint32_t atom = 0; atom < a.patterns_of_atoms().size() + 2; ++atom)
    REQUIRE(a.atom_length(atom) == b.atom_length(atom));
  REQUIRE(hits(a, kBuffer) == hits(b, kBuffer));
}

}  // namespace

TEST_CASE("a serialized prefilter loads and finds what the original finds", "[prefilter_blob]") {
  auto built = Prefilter::build(kPatterns);
  REQUIRE(built);  // this build has Hyperscan
  REQUIRE_FALSE(built->precompiled());
  std::string blob = built->serialize();
  auto loaded = Prefilter::load(blob, kPatterns);
  REQUIRE(loaded);
  CHECK(loaded->precompiled());
  CHECK(loaded->patterns() == kPatterns);
  require_same(*built, *loaded);
  CHECK(hits(*loaded, kBuffer).size() >= 4);  // three atoms and the case-fold marker

  SECTION("the portable build loads here too and agrees") {
    auto portable = Prefilter::load(Prefilter::build_portable(kPatterns)->serialize(), kPatterns);
    REQUIRE(portable);
    require_same(*built, *portable);
  }
  SECTION("build() takes a matching blob and compiles when none matches") {
    auto from_cache = Prefilter::build(kPatterns, {"not a blob", blob});
    REQUIRE(from_cache);
    CHECK(from_cache->precompiled());
    std::vector<std::string> other = kPatterns;
    other[1] = R"(didn't respond to HTTP pings on port (\d+))";
    auto compiled = Prefilter::build(other, {blob});
    REQUIRE(compiled);
    CHECK_FALSE(compiled->precompiled());
  }
}

TEST_CASE("a blob of other patterns is refused", "[prefilter_blob]") {
  std::string blob = Prefilter::build(kPatterns)->serialize();
  std::vector<std::string> fewer(kPatterns.begin(), kPatterns.end() - 1);
  CHECK_FALSE(Prefilter::load(blob, fewer));
  std::vector<std::string> more = kPatterns;
  more.push_back("Booting worker");
  CHECK_FALSE(Prefilter::load(blob, more));
  std::vector<std::string> changed = kPatterns;
  changed[0][0] = 'm';
  CHECK_FALSE(Prefilter::load(blob, changed));
}

TEST_CASE("a truncated or extended blob is refused, never read past its end", "[prefilter_blob]") {
  std::string blob = Prefilter::build(kPatterns)->serialize();
  for (size_t cut = 0; cut < blob.size(); cut += cut < 2048 ? 1 : 997) {
    INFO("cut at " << cut << " of " << blob.size());
    REQUIRE_FALSE(Prefilter::load(std::string_view(blob).substr(0, cut), kPatterns));
  }
  REQUIRE_FALSE(Prefilter::load(blob + '\0', kPatterns));
  // A count far past what the blob holds (the first pattern's length) is refused, not allocated.
  std::string huge = blob;
  size_t at = 8 + std::string_view("appdiag prefilter 1").size() + 8;
  for (size_t i = 0; i < 8; ++i) huge[at + i] = '\xff';
  REQUIRE_FALSE(Prefilter::load(huge, kPatterns));
}
