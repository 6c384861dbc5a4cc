// An `az webapp log tail` capture splits back into its files with exact lines.
#include <catch2/catch.hpp>

#include <stdlib.h>

#include "analyzer/core/error.h"
#include "collectors/bundle.h"
#include "collectors/collect.h"
#include "collectors/log_tail_splitter.h"
#include "collectors/source_classifier.h"
#include "test_support.h"

using namespace appdiag;
using namespace appdiag::test;

namespace {
const char* kCapture =
    "2024-03-15T10:30:00  Welcome, you are now connected to log-streaming service.\n"            // 1
    "Starting Log Tail -n 10 of existing logs ----\n"                                          // 2
    "/home/LogFiles/2024_03_15_lw1_docker.log  (https://contoso.scm.azurewebsites.net/api/vfs/LogFiles/2024_03_15_lw1_docker.log)\n"  // 3
    "2024-03-15T10:25:36.361Z INFO  - Starting container for site\n"                          // 4
    "2024-03-15T10:29:36.361Z ERROR - Container contoso_0_1 didn't respond to HTTP pings on port: 8000, failing site start. See container logs for debugging.\n"  // 5
    "/home/LogFiles/2024_03_15_lw1_default_docker.log  (https://contoso.scm.azurewebsites.net/api/vfs/LogFiles/2024_03_15_lw1_default_docker.log)\n"  // 6
    "2024-03-15T10:25:40.100Z ModuleNotFoundError: No module named 'flask'\n"                // 7
    "/home/LogFiles/2024_03_15_lw1_docker.log  (https://contoso.scm.azurewebsites.net/api/vfs/LogFiles/2024_03_15_lw1_docker.log)\n"  // 8
    "2024-03-15T10:29:37.000Z INFO  - Stopping site contoso because it failed during startup.\n"  // 9
    "Ending Log Tail of existing logs ---\n"                                                   // 10
    "Starting Live Log Stream ---\n"                                                           // 11
    "2024-03-15T10:31:00  No new trace in the past 1 min(s).\n"                               // 12
    "2024-03-15T10:31:05.000Z [2024-03-15 10:31:05 +0000] [7] [INFO] Starting gunicorn 20.1.0\n";  // 13
}  // namespace

TEST_CASE("a capture splits into its files, chrome dropped, line numbers those of the capture") {
  REQUIRE(is_log_tail_capture(kCapture));
  auto parts = split_log_tail(kCapture);
  REQUIRE(parts.size() == 3);
  CHECK(parts[0].log == "/home/LogFiles/2024_03_15_lw1_docker.log");
  CHECK(parts[0].line_map == LineMap{4, 5, 9});
  CHECK(parts[1].log == "/home/LogFiles/2024_03_15_lw1_default_docker.log");
  CHECK(parts[1].line_map == LineMap{7});
  CHECK(parts[1].text == "2024-03-15T10:25:40.100Z ModuleNotFoundError: No module named 'flask'\n");
  CHECK(parts[2].log == "live");
  CHECK(parts[2].line_map == LineMap{13});
  CHECK(kind_by_path(parts[0].log) == SourceKind::Platform);
  CHECK(kind_by_path(parts[1].log) == SourceKind::App);
  CHECK(kind_by_content(parts[2].text) == SourceKind::App);
}

TEST_CASE("plain logs are not taken for captures") {
  CHECK_FALSE(is_log_tail_capture("2024-03-15T10:25:36.361Z INFO  - Starting container for site\n"));
  CHECK_FALSE(is_log_tail_capture("/home/site/wwwroot/app.py\n"));
}

namespace {
// What a user pastes from `az webapp log tail` when the stream printed no file headers.
const char* kHeaderless =
    "2024-05-01T10:00:00  Welcome, you are now connected to log-streaming service.\n"  // 1
    "Starting Log Tail -n 10 of existing logs ----\n"                                  // 2
    "2024-05-01T10:00:01.000Z [2024-05-01 10:00:01 +0000] [7] [INFO] Starting gunicorn 22.0.0\n"  // 3
    "2024-05-01T10:00:02.000Z ModuleNotFoundError: No module named 'flask'\n"          // 4
    "Ending Log Tail of existing logs ---\n"                                           // 5
    "Starting Live Log Stream ---\n"                                                   // 6
    "2024-05-01T10:01:00.000Z [2024-05-01 10:01:00 +0000] [7] [INFO] Booting worker with pid: 9";  // 7, no newline
}  // namespace

TEST_CASE("a capture without file headers is one part holding every line") {
  REQUIRE(is_log_tail_capture(kHeaderless));
  auto parts = split_log_tail(kHeaderless);
  REQUIRE(parts.size() == 1);
  CHECK(parts[0].log == "");
  CHECK(parts[0].line_map == LineMap{1, 2, 3, 4, 5, 6, 7});
  CHECK(parts[0].text == kHeaderless);
  CHECK(kind_by_content(parts[0].head) == SourceKind::App);
}

TEST_CASE("a header-like line in a plain log keeps every line before it") {
  const std::string log =
      "2024-05-01T10:00:01Z Traceback (most recent call last):\n"
      "2024-05-01T10:00:01Z ModuleNotFoundError: No module named 'flask'\n"
      "/home/site/wwwroot/debug.log (https://example.com/debug)\n"
      "2024-05-01T10:00:03Z done\n";
  REQUIRE(is_log_tail_capture(log));
  auto parts = split_log_tail(log);
  REQUIRE(parts.size() == 2);
  CHECK(parts[0].log == "");
  CHECK(parts[0].line_map == LineMap{1, 2});
  CHECK(parts[1].log == "/home/site/wwwroot/debug.log");
  CHECK(parts[1].line_map == LineMap{4});
}

TEST_CASE("a capture fed a byte at a time splits as when fed whole, and ranges cover each part's bytes") {
  std::string text = kCapture;
  LogTailSplitter splitter(true);
  for (char c : text) splitter.feed(std::string_view(&c, 1));
  auto bytewise = splitter.finish();
  auto whole = split_log_tail(text);
  REQUIRE(bytewise.size() == whole.size());
  for (size_t i = 0; i < whole.size(); ++i) {
    CHECK(bytewise[i].log == whole[i].log);
    CHECK(bytewise[i].text == whole[i].text);
    CHECK(bytewise[i].line_map == whole[i].line_map);
    std::string from_ranges;
    for (auto [offset, length] : whole[i].ranges) from_ranges += text.substr(offset, length);
    CHECK(from_ranges == whole[i].text);
  }
}

TEST_CASE("without kept text a split holds only the heads, line maps and ranges") {
  std::string long_line(100000, 'x');
  std::string text = std::string(kHeaderless) + "\n" + long_line + "\n";
  LogTailSplitter splitter(false);
  splitter.feed(text);
  auto parts = splitter.finish();
  REQUIRE(parts.size() == 1);
  CHECK(parts[0].text.empty());
  CHECK(parts[0].head.size() <= LogTailSplitter::kHead);
  CHECK(parts[0].line_map.size() == 8);
  REQUIRE(parts[0].ranges.size() == 1);
  CHECK(parts[0].ranges[0] == std::pair<uint64_t, uint64_t>{0, text.size()});
}

TEST_CASE("a capture naming more files than the limit is refused, not held") {
  std::string text;
  for (size_t i = 0; i <= LogTailSplitter::kMaxParts; ++i)
    text += "/home/LogFiles/f" + std::to_string(i) + ".log  (https://c.scm.azurewebsites.net/api/vfs/x)\nline\n";
  CHECK_THROWS_AS(split_log_tail(text), std::length_error);
}

namespace {
// $TMPDIR for one test, restored after it.
struct TmpdirIs {
  std::string old;
  bool had;
  explicit TmpdirIs(const std::string& dir) : had(getenv("TMPDIR") != nullptr) {
    if (had) old = getenv("TMPDIR");
    setenv("TMPDIR", dir.c_str(), 1);
  }
  ~TmpdirIs() { had ? setenv("TMPDIR", old.c_str(), 1) : unsetenv("TMPDIR"); }
};
}  // namespace

TEST_CASE("a capture from a stream is spooled: each part reads back its own lines, at capture lines, in no named file") {
  TempDir dir;
  TmpdirIs tmp(dir.path.string());
  Evidence e;
  auto in = memory_stream(std::make_shared<const std::string>(kCapture));
  add_log_tail(e, "-", *in, 1 << 20);
  auto whole = split_log_tail(kCapture);
  REQUIRE(e.sources.size() == whole.size());
  for (size_t i = 0; i < whole.size(); ++i) {
    CHECK(e.sources[i].name == "-");
    CHECK(e.sources[i].part == whole[i].log);
    CHECK(e.sources[i].line_map == whole[i].line_map);
    CHECK(read_source(e.sources[i]) == whole[i].text);
    CHECK(read_source(e.sources[i]) == whole[i].text);  // read again, as evidence lines are
  }
  CHECK(std::filesystem::is_empty(dir.path));
}

TEST_CASE("a capture from a stream over its limit is refused naming the limit and the folder") {
  TempDir dir;
  TmpdirIs tmp(dir.path.string());
  std::string text = "Starting Log Tail -n 10 of existing logs ----\n";
  while (text.size() <= (1u << 20)) text += "2024-03-15T10:21:00Z a live line\n";
  Evidence e;
  auto in = memory_stream(std::make_shared<const std::string>(text));
  try {
    add_log_tail(e, "-", *in, 1 << 20);
    FAIL("no error over the limit");
  } catch (const InputError& error) {
    CHECK(std::string(error.what()) == "-: a log-tail capture read from a stream is spooled to a temporary file in " +
                                           dir.path.string() + ", up to 1 MiB; save it to a file and pass the file");
  }
  CHECK(e.sources.empty());
}

TEST_CASE("a capture from a stream with no usable temporary folder is refused naming the folder") {
  TempDir dir;
  TmpdirIs tmp((dir.path / "missing").string());
  Evidence e;
  auto in = memory_stream(std::make_shared<const std::string>(kCapture));
  try {
    add_log_tail(e, "capture.txt", *in, 1 << 20);
    FAIL("no error without a temporary folder");
  } catch (const InputError& error) {
    CHECK(std::string(error.what()) == "capture.txt: cannot make a temporary file in " + (dir.path / "missing").string() +
                                           " ($TMPDIR) to spool it: No such file or directory");
  }
}
