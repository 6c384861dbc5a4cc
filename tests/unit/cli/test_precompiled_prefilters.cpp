// The prefilters precompiled into appdiag are those of the built-in pack as the
// commands load it: every kind's loads (none is compiled at run time) and is
// the prefilter a fresh compile gives, hit for hit, on every sample.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "analyzer/cli/precompiled_prefilters.h"
#include "analyzer/engine/prefilter.h"
#include "analyzer/engine/scanner.h"
#include "analyzer/pack/rule_loader.h"
#include "test_support.h"

using namespace appdiag;

namespace {
std::vector<std::pair<uint32_t, uint32_t>> hits(const Prefilter& p, const std::string& buffer) {
  Prefilter::Worker worker(p);
  std::vector<std::pair<uint32_t, uint32_t>> out;
  for (const Prefilter::Hit& h : worker.find(buffer)) out.emplace_back(h.atom, h.end);
  return out;
}
}  // namespace

TEST_CASE("the built-in pack's prefilters are precompiled and equal fresh ones", "[precompiled]") {
  RuleSet rules = load_rules(builtin_rule_files(), {}, PackScope::Whole);  // as main.cpp's load_pack
  ScanOptions with;
  with.precompiled_prefilters = precompiled_prefilters();
  Scanner loaded(rules, with), compiled(rules);
  std::vector<const Prefilter*> a = loaded.prefilters(), b = compiled.prefilters();
  REQUIRE(a.size() == b.size());

  std::string samples;  // every file of every sample, one buffer
  namespace fs = std::filesystem;
  for (const auto& e : fs::recursive_directory_iterator(test::source_dir() / "samples"))
    if (e.is_regular_file() && e.file_size() < (1 << 20)) {
      std::ostringstream bytes;
      bytes << std::ifstream(e.path(), std::ios::binary).rdbuf();
      samples += bytes.str();
    }
  REQUIRE(samples.size() > 100000);

  size_t kinds = 0;
  for (size_t k = 0; k < a.size(); ++k) {
    INFO("kind " << k);
    REQUIRE((a[k] == nullptr) == (b[k] == nullptr));
    if (!a[k]) continue;
    ++kinds;
    CHECK(a[k]->precompiled());
    CHECK_FALSE(b[k]->precompiled());
    REQUIRE(a[k]->patterns() == b[k]->patterns());
    REQUIRE(a[k]->patterns_of_atoms() == b[k]->patterns_of_atoms());
    REQUIRE(a[k]->always() == b[k]->always());
    std::vector<std::pair<uint32_t, uint32_t>> ha = hits(*a[k], samples);
    CHECK(ha.size() > 100);
    REQUIRE(ha == hits(*b[k], samples));
  }
  CHECK(kinds >= 3);  // deploy, platform and app at least
}
