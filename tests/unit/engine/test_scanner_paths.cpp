// The prefiltered scanner path (Hyperscan atoms, RE2 confirms) and the plain
// path (RE2::Set on every line) must give identical results: on every sample
// bundle, and on a generated log full of the awkward cases (CRLF, truncated
// lines with atoms past the cut, NUL bytes, characters RE2 case-folds to ASCII,
// reads that end mid-line).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <memory>
#include <sstream>

#include "analyzer/engine/prefilter.h"
#include "analyzer/pack/rule_loader.h"
#include "analyzer/engine/scanner.h"
#include "collectors/collect.h"
#include "test_support.h"

using namespace appdiag;

namespace {

ScanOptions plain_options() {
  ScanOptions o;
  o.prefilter = false;
  return o;
}

ScanOptions prefiltered_options() {
  ScanOptions o;
  o.prefilter = true;
  o.prefilter_min_bytes = 0;  // samples are small: prefilter them anyway
  return o;
}

void require_same(const ScanResult& plain, const ScanResult& fast, const std::string& what) {
  INFO(what);
  REQUIRE(fast.pattern_hits == plain.pattern_hits);
  REQUIRE(fast.event_hits == plain.event_hits);
  REQUIRE(fast.sources.size() == plain.sources.size());
  for (size_t i = 0; i < plain.sources.size(); ++i) {
    const SourceScan &a = plain.sources[i], &b = fast.sources[i];
    CHECK(b.lines == a.lines);
    CHECK(b.bytes == a.bytes);
    CHECK(b.truncated_lines == a.truncated_lines);
    CHECK(b.first_truncated_line == a.first_truncated_line);
    CHECK(b.attempts == a.attempts);
    CHECK(b.error == a.error);
  }
  REQUIRE(fast.matches.size() == plain.matches.size());
  for (size_t i = 0; i < plain.matches.size(); ++i) {
    const Match &a = plain.matches[i], &b = fast.matches[i];
    INFO("match " << i << " source " << a.source << " line " << a.line << ": " << a.text);
    CHECK(b.event == a.event);
    CHECK(b.index == a.index);
    CHECK(b.source == a.source);
    CHECK(b.line == a.line);
    CHECK(b.attempt == a.attempt);
    CHECK(b.truncated == a.truncated);
    CHECK(b.text == a.text);
    CHECK(b.begin == a.begin);
    CHECK(b.end == a.end);
    REQUIRE(b.captures.size() == a.captures.size());
    for (size_t c = 0; c < a.captures.size(); ++c) {
      CHECK(b.captures[c].name == a.captures[c].name);
      CHECK(b.captures[c].value == a.captures[c].value);
    }
  }
}

uint64_t total(const ScanResult& r, uint64_t SourceScan::*field) {
  uint64_t n = 0;
  for (const SourceScan& s : r.sources) n += s.*field;
  return n;
}

// Hands out at most `step` bytes per read, so lines straddle reads and the
// reader's buffers (and the prefilter's windows) end mid-line.
class TrickleStream : public ByteStream {
 public:
  TrickleStream(std::shared_ptr<const std::string> bytes, size_t step) : bytes_(std::move(bytes)), step_(step) {}
  size_t read(char* buffer, size_t size) override {
    size_t n = std::min({size, step_, bytes_->size() - pos_});
    std::memcpy(buffer, bytes_->data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::shared_ptr<const std::string> bytes_;
  size_t step_;
  size_t pos_ = 0;
};

Source generated_source(SourceKind kind, const std::string& name, std::shared_ptr<const std::string> bytes,
                        size_t step) {
  Source s;
  s.kind = kind;
  s.name = name;
  s.size = bytes->size();
  s.open = [bytes, step] { return std::make_unique<TrickleStream>(bytes, step); };
  return s;
}

// A gunicorn/platform log with failures planted among ordinary lines.
std::string generated_log() {
  std::ostringstream out;
  for (int i = 0; i < 4000; ++i) {
    out << "2026-11-28T10:" << (i / 60) % 60 << ":" << i % 60 << ".123Z 169.254.130.1 - - [28/Nov/2026:10:00:00 +0000] "
        << "\"GET /api/items/" << i << " HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0\"\n";
    switch (i % 500) {
      case 7: out << "2026-11-28T10:00:07.000Z [2026-11-28 10:00:07 +0000] [42] [INFO] Starting gunicorn 21.2.0\r\n"; break;
      case 8: out << "2026-11-28T10:00:08.000Z [2026-11-28 10:00:08 +0000] [42] [INFO] Listening at: http://127.0.0.1:8000 (42)\n"; break;
      case 9: out << "2026-11-28T10:00:09.000Z ModuleNotFoundError: No module named 'flask'\r\n"; break;
      case 10: out << "2026-11-28T10:00:10.000Z [2026-11-28 10:00:10 +0000] [43] [ERROR] Exception in worker process\n"; break;
      case 11: out << "2026-11-28T10:00:11.000Z [2026-11-28 10:00:11 +0000] [42] [INFO] Reason: Worker failed to boot.\n"; break;
      case 12: out << "2026-11-28T10:00:12.000Z Container app_0_abc for site app did not start within expected time limit. Elapsed time = 230.5 sec\n"; break;
      case 13: out << "2026-11-28T10:00:13.000Z Container app_0_abc didn't respond to HTTP pings on port: 8000, failing site start\n"; break;
      case 14: out << "2026-11-28T10:00:14.000Z Starting container for site\n"; break;
      case 15: out << "   _____ \n  A P P   S E R V I C E   O N   L I N U X\n"; break;
      // RE2 folds LONG S to s and KELVIN SIGN to k in case-insensitive patterns.
      case 16: out << "worker exited with \xC5\xBFtatus 3\n"; break;
      case 17: out << "process EXITED WITH CODE 2 \xE2\x84\xAA\n"; break;
      case 18: out << std::string_view("nul\0byte [ERROR] Worker (pid:77) exited with code 3\n", 52); break;
      // Longer than the line limit, with an atom both before and after the cut.
      case 19: out << "Python 3.11.4 " << std::string(3000, 'x') << " ModuleNotFoundError: No module named 'late'\n"; break;
      case 20: out << "2026-11-28T10:00:20.000Z \"GET /static/site.css HTTP/1.1\" 404 179\n"; break;
      case 21: out << "WARNING: Could not find virtual environment directory /home/site/wwwroot/antenv.\r\n"; break;
      case 22: out << "Python 3.11.4\r\n"; break;
    }
  }
  out << "no newline at the end: [CRITICAL] WORKER TIMEOUT (pid:99)";
  return out.str();
}

}  // namespace

TEST_CASE("prefiltered and plain scans agree on every sample bundle", "[scanner_paths]") {
  RuleSet rules = load_rules(builtin_rule_files());
  Scanner plain(rules, plain_options()), fast(rules, prefiltered_options());
  namespace fs = std::filesystem;
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(appdiag::test::source_dir() / "samples"))
    if (e.is_directory()) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  size_t compared = 0;
  uint64_t prefiltered = 0;
  for (const fs::path& dir : dirs) {
    Evidence evidence;
    try {
      evidence = collect({dir.string()}, {});
    } catch (const std::exception& e) {
      WARN(dir.string() << " not collected: " << e.what());
      continue;
    }
    ScanResult a = plain.scan(evidence), b = fast.scan(evidence);
    require_same(a, b, dir.string());
    CHECK(total(a, &SourceScan::prefiltered_lines) == 0);
    prefiltered += total(b, &SourceScan::prefiltered_lines);
    ++compared;
  }
  REQUIRE(compared >= 1);
  if (Prefilter::available()) CHECK(prefiltered > 0);
}

TEST_CASE("prefiltered and plain scans agree on a generated log, and RE2 skips lines without candidates",
          "[scanner_paths]") {
  RuleSet rules = load_rules(builtin_rule_files());
  auto bytes = std::make_shared<const std::string>(generated_log());
  for (size_t max_line : {size_t(200), size_t(64 * 1024)}) {
    for (size_t step : {size_t(7777), size_t(1) << 20}) {
      Evidence evidence;
      for (SourceKind kind : {SourceKind::App, SourceKind::Platform, SourceKind::Deploy})
        evidence.sources.push_back(generated_source(kind, "gen.log", bytes, step));
      ScanOptions p = plain_options(), f = prefiltered_options();
      p.max_line = f.max_line = max_line;
      ScanResult a = Scanner(rules, p).scan(evidence), b = Scanner(rules, f).scan(evidence);
      require_same(a, b, "max_line " + std::to_string(max_line) + ", reads of " + std::to_string(step));
      uint64_t lines = total(a, &SourceScan::lines);
      CHECK(total(a, &SourceScan::regex_lines) == lines);
      REQUIRE(a.matches.size() > 20);
      CHECK(std::any_of(a.matches.begin(), a.matches.end(),
                        [](const Match& m) { return m.text.find("\xC5\xBFtatus") != std::string::npos; }));
      if (!Prefilter::available()) continue;
      CHECK(total(b, &SourceScan::prefiltered_lines) == lines);
      // The access lines (the bulk) hold no candidate, so RE2 never sees them.
      CHECK(total(b, &SourceScan::regex_lines) * 4 < lines);
    }
  }
}

TEST_CASE("small inputs take the plain path unless told otherwise", "[scanner_paths]") {
  RuleSet rules = load_rules(builtin_rule_files());
  auto bytes = std::make_shared<const std::string>("2026-11-28T10:00:09.000Z ModuleNotFoundError: No module named 'x'\n");
  Evidence evidence;
  evidence.sources.push_back(generated_source(SourceKind::App, "small.log", bytes, 1 << 20));
  ScanResult r = Scanner(rules).scan(evidence);
  CHECK(r.sources[0].prefiltered_lines == 0);
  CHECK(r.sources[0].regex_lines == 1);
  REQUIRE(r.matches.size() >= 1);
}

TEST_CASE("many small files that add up to a large input are prefiltered from their first line", "[scanner_paths]") {
  RuleSet rules = load_rules(builtin_rule_files());
  auto bytes = std::make_shared<const std::string>(generated_log());
  std::string small = bytes->substr(0, bytes->find('\n', 40 * 1024) + 1);
  auto piece = std::make_shared<const std::string>(small);
  Evidence evidence;
  size_t files = ScanOptions().prefilter_min_bytes / small.size() + 2;
  for (size_t i = 0; i < files; ++i)
    evidence.sources.push_back(generated_source(SourceKind::App, "f" + std::to_string(i) + ".log", piece, 1 << 20));
  ScanResult fast = Scanner(rules).scan(evidence), plain = Scanner(rules, plain_options()).scan(evidence);
  require_same(plain, fast, "small files, default options");
  if (!Prefilter::available()) return;
  for (const SourceScan& s : fast.sources) CHECK(s.prefiltered_lines == s.lines);
  // One file alone is below the threshold: plain path.
  evidence.sources.resize(1);
  CHECK(Scanner(rules).scan(evidence).sources[0].prefiltered_lines == 0);
}

TEST_CASE("patterns sharing one trigger are confirmed together and agree with the plain path", "[scanner_paths]") {
  // Variants of one message share the trigger "exited with code": with four or
  // more, the prefiltered path confirms them with one RE2::Set built on first use.
  RuleSet rules;
  for (const char* p : {R"(exited with code [0-2]\b)", R"(exited with code [3-9]\b)", R"(exited with code \d\d)",
                        R"(exited with code (?P<code>\d+)$)", R"((?i)Exited With Code \d)", R"(exited with code 9)"})
    rules.patterns.push_back({p, nullptr, {SourceKind::App}, 0});
  std::string log;
  for (int i = 0; i < 2000; ++i) {
    log += "GET /item/" + std::to_string(i) + " 200\n";
    if (i % 100 == 1) log += "[ERROR] Worker (pid:" + std::to_string(i) + ") exited with code " + std::to_string(i % 5) + "\n";
    if (i % 100 == 2) log += "boot: exited with code 0 and the master exited with code 9\n";
  }
  auto bytes = std::make_shared<const std::string>(log);
  Evidence evidence;
  evidence.sources.push_back(generated_source(SourceKind::App, "variants.log", bytes, 4096));
  ScanResult plain = Scanner(rules, plain_options()).scan(evidence);
  ScanResult fast = Scanner(rules, prefiltered_options()).scan(evidence);
  require_same(plain, fast, "six patterns, one trigger");
  CHECK(plain.pattern_hits == std::vector<uint64_t>{40, 20, 0, 40, 40, 20});
  REQUIRE(plain.matches.size() == 160);
  auto with_capture = std::find_if(plain.matches.begin(), plain.matches.end(), [](const Match& m) { return m.index == 3; });
  REQUIRE(with_capture != plain.matches.end());
  REQUIRE(with_capture->captures.size() == 1);
  CHECK(with_capture->captures[0].value == "1");
}

TEST_CASE("a stream read in pipe-sized pieces switches to the prefilter once it has read enough", "[scanner_paths]") {
  RuleSet rules = load_rules(builtin_rule_files());
  auto bytes = std::make_shared<const std::string>(generated_log());
  REQUIRE(bytes->size() > 2 * ScanOptions().prefilter_min_bytes);
  Evidence evidence;
  evidence.sources.push_back(generated_source(SourceKind::App, "pipe.log", bytes, 64 * 1024));
  evidence.sources[0].size = 0;  // a pipe: its size is not known beforehand
  ScanResult fast = Scanner(rules).scan(evidence), plain = Scanner(rules, plain_options()).scan(evidence);
  require_same(plain, fast, "64 KiB reads, default options");
  if (!Prefilter::available()) return;
  const SourceScan& s = fast.sources[0];
  // The first 256 KiB take the plain path; from there on the prefilter runs.
  CHECK(s.prefiltered_lines > s.lines / 4);
  CHECK(s.prefiltered_lines < s.lines);
}
