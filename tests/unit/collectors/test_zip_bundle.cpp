// Zips are read in place, and hostile ones are refused by name or stopped by a limit.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <zip.h>

#include "analyzer/core/error.h"
#include "collectors/collect.h"
#include "collectors/zip_bundle.h"
#include "test_support.h"

using namespace appdiag;
using namespace appdiag::test;
namespace fs = std::filesystem;

namespace {

std::string read_all(const BundleFile& f) {
  auto s = f.open();
  std::string out;
  char buf[4096];
  for (size_t n; (n = s->read(buf, sizeof buf)) > 0;) out.append(buf, n);
  return out;
}

const std::string kLog = "2024-03-15T10:25:36.361Z INFO  - Starting container for site\n";

}  // namespace

TEST_CASE("zip entries are listed and streamed in place") {
  TempDir dir;
  write_zip(dir.path / "b.zip", {{"LogFiles/2024_03_15_lw1_docker.log", kLog}, {"deployments/abc/log.log", "Running oryx build...\n"}});
  std::vector<std::string> unreadable;
  auto files = zip_bundle_files(dir.path / "b.zip", {}, unreadable);
  REQUIRE(files.size() == 2);
  CHECK(unreadable.empty());
  CHECK(files[0].name == "LogFiles/2024_03_15_lw1_docker.log");
  CHECK(read_all(files[0]) == kLog);
  CHECK(read_all(files[0]) == kLog);  // can be opened again
  CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);  // nothing extracted
}

TEST_CASE("path traversal, absolute paths and control characters are refused by name") {
  TempDir dir;
  // libzip will not write such names, so write safe ones of the same length and patch the bytes.
  write_zip(dir.path / "evil.zip", {{"AA/AA/etc/cron.d/x", "a\n"},
                                    {"Betc/passwd", "b\n"},
                                    {"LogFiles/aCCCCC.log", "c\n"},
                                    {"LogFiles/ok_docker.log", kLog}});
  std::string bytes;
  {
    std::ifstream in(dir.path / "evil.zip", std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (size_t at = bytes.find(from); at != std::string::npos; at = bytes.find(from, at + 1)) bytes.replace(at, from.size(), to);
  };
  replace_all("AA/AA/etc/cron.d/x", "../../etc/cron.d/x");
  replace_all("Betc/passwd", "/etc/passwd");
  replace_all("LogFiles/aCCCCC.log", "LogFiles/a\x1b[31m.log");
  std::ofstream(dir.path / "evil.zip", std::ios::binary | std::ios::trunc) << bytes;
  std::vector<std::string> unreadable;
  auto files = zip_bundle_files(dir.path / "evil.zip", {}, unreadable);
  REQUIRE(files.size() == 1);
  CHECK(files[0].name == "LogFiles/ok_docker.log");
  REQUIRE(unreadable.size() == 3);
  CHECK(unreadable[0].find("../../etc/cron.d/x: refused (\"..\" in path)") != std::string::npos);
  CHECK(unreadable[1].find("/etc/passwd: refused (absolute path)") != std::string::npos);
  CHECK(unreadable[2].find("refused (control character in name)") != std::string::npos);
}

TEST_CASE("a zip bomb is stopped by the ratio and total-size limits before it is inflated") {
  TempDir dir;
  write_zip(dir.path / "bomb.zip", {{"LogFiles/big_docker.log", std::string(8 << 20, '\0')}, {"LogFiles/ok_docker.log", kLog}});
  std::vector<std::string> unreadable;
  ZipLimits ratio;
  ratio.max_ratio = 100;
  auto files = zip_bundle_files(dir.path / "bomb.zip", ratio, unreadable);
  REQUIRE(files.size() == 1);
  REQUIRE(unreadable.size() == 1);
  CHECK(unreadable[0].find("compression ratio") != std::string::npos);

  ZipLimits total;
  total.max_total_uncompressed = 1 << 20;
  total.max_ratio = 1 << 30;
  std::vector<std::string> ignored;
  CHECK_THROWS_WITH(zip_bundle_files(dir.path / "bomb.zip", total, ignored),
                    Catch::Contains("uncompressed size exceeds the limit"));
}

TEST_CASE("entries each under 1 MiB at a bomb's ratio are stopped by the ratio over the whole archive") {
  TempDir dir;
  std::vector<std::pair<std::string, std::string>> entries;
  for (int i = 0; i < 8; ++i) entries.push_back({"LogFiles/f" + std::to_string(i) + "_docker.log", std::string((1 << 20) - 1, 'a')});
  write_zip(dir.path / "small-bombs.zip", entries);
  std::vector<std::string> unreadable;
  CHECK_THROWS_WITH(zip_bundle_files(dir.path / "small-bombs.zip", {}, unreadable),
                    Catch::Contains("small-bombs.zip: compression ratio") && Catch::Contains("over all entries exceeds the limit of 200:1"));
  // Ordinary logs compress far less: as many entries, 2 MiB in all, pass.
  entries.clear();
  uint32_t seed = 1;
  for (int i = 0; i < 8; ++i) {
    std::string log;
    while (log.size() < (256 << 10)) {
      seed = seed * 1103515245 + 12345;
      log += "2024-03-15T10:25:36Z GET /api/items/" + std::to_string(seed % 100000) + " took " + std::to_string(seed % 997) + " ms\n";
    }
    entries.push_back({"LogFiles/f" + std::to_string(i) + "_docker.log", log});
  }
  write_zip(dir.path / "fine.zip", entries);
  CHECK(zip_bundle_files(dir.path / "fine.zip", {}, unreadable).size() == 8);
}

TEST_CASE("a zip whose every entry is refused says why") {
  TempDir dir;
  write_zip(dir.path / "all-refused.zip", {{"LogFiles/big_docker.log", std::string(8 << 20, '\0')}});
  CHECK_THROWS_WITH(collect({(dir.path / "all-refused.zip").string()}, CollectOptions{}),
                    Catch::Contains("all-refused.zip: every entry was refused: ") &&
                        Catch::Contains("big_docker.log: compression ratio"));
}

size_t open_descriptors() {
  return static_cast<size_t>(std::distance(fs::directory_iterator("/proc/self/fd"), fs::directory_iterator()));
}

TEST_CASE("a zip's entries share one archive handle, however many are open") {
  TempDir dir;
  std::vector<std::pair<std::string, std::string>> many;
  for (int i = 0; i < 40; ++i) many.push_back({"LogFiles/f" + std::to_string(i) + "_docker.log", kLog});
  write_zip(dir.path / "many.zip", many);
  std::vector<std::string> unreadable;
  size_t before = open_descriptors();
  auto files = zip_bundle_files(dir.path / "many.zip", {}, unreadable);
  REQUIRE(files.size() == 40);
  std::vector<std::unique_ptr<ByteStream>> streams;
  for (const auto& f : files) streams.push_back(f.open());
  // Reopening the archive per entry (one descriptor each) re-read the central
  // directory every time: quadratic in the entry count.
  CHECK(open_descriptors() <= before + 1);
  char buf[256];
  for (size_t i = streams.size(); i-- > 0;) CHECK(std::string(buf, streams[i]->read(buf, sizeof buf)) == kLog);
}

TEST_CASE("too many entries is an error naming the zip") {
  TempDir dir;
  std::vector<std::pair<std::string, std::string>> many;
  for (int i = 0; i < 50; ++i) many.push_back({"LogFiles/f" + std::to_string(i) + ".log", "x\n"});
  write_zip(dir.path / "many.zip", many);
  ZipLimits limits;
  limits.max_entries = 20;
  std::vector<std::string> unreadable;
  CHECK_THROWS_WITH(zip_bundle_files(dir.path / "many.zip", limits, unreadable),
                    Catch::Contains("many.zip: 50 entries exceed the limit of 20"));
}

TEST_CASE("a truncated or corrupt zip is an error naming it") {
  TempDir dir;
  write_zip(dir.path / "full.zip", {{"LogFiles/x_docker.log", kLog + kLog + kLog}});
  std::string bytes;
  {
    std::ifstream in(dir.path / "full.zip", std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::ofstream(dir.path / "cut.zip", std::ios::binary) << bytes.substr(0, bytes.size() - 30);
  std::vector<std::string> unreadable;
  CHECK_THROWS_WITH(zip_bundle_files(dir.path / "cut.zip", {}, unreadable), Catch::Contains("cut.zip: not a readable zip"));
  std::ofstream(dir.path / "junk.zip", std::ios::binary) << "PK\x03\x04 not really";
  CHECK_THROWS_WITH(zip_bundle_files(dir.path / "junk.zip", {}, unreadable), Catch::Contains("junk.zip: not a readable zip"));
}

TEST_CASE("an entry whose header understates its size stops at the declared size") {
  TempDir dir;
  std::string content(100000, 'a');
  write_zip(dir.path / "lie.zip", {{"LogFiles/x_docker.log", content}});
  std::string bytes;
  {
    std::ifstream in(dir.path / "lie.zip", std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  // Rewrite the uncompressed size (100000) in the local and central headers to 1000.
  auto patch = [&](size_t at) { bytes[at] = char(1000 & 0xff), bytes[at + 1] = char(1000 >> 8), bytes[at + 2] = 0, bytes[at + 3] = 0; };
  patch(22);                                   // local file header: uncompressed size
  size_t central = bytes.find(std::string("PK\x01\x02", 4));
  REQUIRE(central != std::string::npos);
  patch(central + 24);                         // central directory: uncompressed size
  std::ofstream(dir.path / "lie2.zip", std::ios::binary) << bytes;
  std::vector<std::string> unreadable;
  // libzip opens the archive (the sizes agree with each other): the guard
  // under test is ours, reading no more than the declared size.
  std::vector<BundleFile> files = zip_bundle_files(dir.path / "lie2.zip", {}, unreadable);
  REQUIRE(files.size() == 1);
  CHECK(files[0].size == 1000);
  CHECK_THROWS_AS(read_all(files[0]), InputError);
}

TEST_CASE("collect() reads a zip bundle and its unpacked folder with the same source names") {
  TempDir dir;
  std::vector<std::pair<std::string, std::string>> entries = {
      {"LogFiles/2024_03_15_lw1_docker.log", kLog},
      {"LogFiles/2024_03_15_lw1_default_docker.log", "2024-03-15T10:25:37.000Z [2024-03-15 10:25:37 +0000] [1] [INFO] Starting gunicorn 20.1.0\n"},
      {"wwwroot-listing.txt", "-rw-r--r-- 1 root root 12 Mar 15 10:21 app.py\n"},
      {"notes/readme.md", "hello\n"}};
  write_zip(dir.path / "b.zip", entries);
  for (const auto& [name, content] : entries) {
    fs::create_directories((dir.path / "b" / name).parent_path());
    std::ofstream(dir.path / "b" / name, std::ios::binary) << content;
  }
  Evidence from_zip = collect({(dir.path / "b.zip").string()}, {});
  Evidence from_dir = collect({(dir.path / "b").string()}, {});
  REQUIRE(from_zip.sources.size() == 3);
  REQUIRE(from_dir.sources.size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    CHECK(from_zip.sources[i].name == from_dir.sources[i].name);
    CHECK(from_zip.sources[i].kind == from_dir.sources[i].kind);
  }
  CHECK(from_zip.sources[0].kind == SourceKind::App);
  CHECK(from_zip.sources[1].kind == SourceKind::Platform);
  CHECK(from_zip.sources[2].kind == SourceKind::Listing);
  CHECK(from_zip.notes == from_dir.notes);
  REQUIRE(from_zip.notes.size() == 1);
  CHECK(from_zip.notes[0] == "skipped: notes/readme.md (not a log, listing or settings file)");
}
