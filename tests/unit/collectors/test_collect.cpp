// collect(): every input shape turns into the Evidence a user would expect,
// and every bad input is one InputError naming the path.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "analyzer/core/error.h"
#include "collectors/bundle.h"
#include "collectors/collect.h"
#include "test_support.h"

using namespace appdiag;
using namespace appdiag::test;
namespace fs = std::filesystem;

namespace {

std::string error_of(const std::vector<std::string>& inputs, const CollectOptions& options = {}) {
  try {
    collect(inputs, options);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

const Source* find(const Evidence& e, const std::string& name) {
  for (const auto& s : e.sources)
    if (s.name == name) return &s;
  return nullptr;
}

// Standard input replaced by a file for the life of the object.
struct StdinFrom {
  int saved;
  explicit StdinFrom(const fs::path& path) {
    saved = dup(0);
    int fd = ::open(path.c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    dup2(fd, 0);
    ::close(fd);
  }
  ~StdinFrom() {
    dup2(saved, 0);
    ::close(saved);
  }
};

const std::string kPlatform = "2024-03-15T10:25:36.361Z INFO  - Starting container for site\n";
const std::string kApp = "2024-03-15T10:25:37.000Z [2024-03-15 10:25:37 +0000] [1] [INFO] Starting gunicorn 20.1.0\n";
const std::string kDeploy = "Command: oryx build /tmp/zipdeploy/extracted -o /home/site/wwwroot\nDetecting platforms...\n";
const std::string kAppSettings = R"([
  {"name": "SCM_DO_BUILD_DURING_DEPLOYMENT", "slotSetting": false, "value": "true"}
])";
const std::string kSiteConfig = "{\n  \"alwaysOn\": false,\n  \"appCommandLine\": \"gunicorn app:app\",\n  \"linuxFxVersion\": \"PYTHON|3.11\"\n}\n";

// A bundle as `az webapp log download` writes it, plus our own root files.
std::vector<std::pair<std::string, std::string>> bundle_entries() {
  return {{"LogFiles/2024_03_15_lw1_docker.log", kPlatform},
          {"LogFiles/2024_03_15_lw1_default_docker.log", kApp},
          {"LogFiles/kudu/trace/2024-03-15T10-25-36_abc_001_POST_api-zipdeploy_202.xml", "<step title=\"zipdeploy\" />\n"},
          {"deployments/4f2a/log.log", kDeploy},
          {"wwwroot-listing.txt", "-rw-r--r-- 1 root root 12 Mar 15 10:21 app.py\n-rw-r--r-- 1 root root 6 Mar 15 10:21 requirements.txt\n"},
          {"wwwroot-files/requirements.txt", "flask\n"},
          {"appsettings.json", kAppSettings},
          {"siteconfig.json", kSiteConfig}};
}

}  // namespace

TEST_CASE("collect: a bundle folder gives every kind, parsed settings and site files, and lists what it skips") {
  TempDir dir;
  for (const auto& [name, content] : bundle_entries()) write_file(dir.path / "b" / name, content);
  Evidence e = collect({(dir.path / "b").string()}, {});

  REQUIRE(e.sources.size() == 6);
  CHECK(find(e, "LogFiles/2024_03_15_lw1_docker.log")->kind == SourceKind::Platform);
  CHECK(find(e, "LogFiles/2024_03_15_lw1_default_docker.log")->kind == SourceKind::App);
  CHECK(find(e, "deployments/4f2a/log.log")->kind == SourceKind::Deploy);
  CHECK(read_source(*find(e, "deployments/4f2a/log.log")) == kDeploy);

  const Source* listing = find(e, "wwwroot-listing.txt");
  REQUIRE(listing);
  REQUIRE(listing->listing);
  REQUIRE(listing->listing->entries.size() == 2);
  CHECK(listing->listing->entries[1].path == "requirements.txt");
  CHECK(listing->listing->entries[1].line == 2);
  CHECK(listing->listing->files.at("requirements.txt") == "flask\n");

  const Source* app_settings = find(e, "appsettings.json");
  REQUIRE(app_settings);
  REQUIRE(app_settings->settings);
  CHECK(app_settings->settings->find("SCM_DO_BUILD_DURING_DEPLOYMENT")->value == "true");
  CHECK(app_settings->settings->find("SCM_DO_BUILD_DURING_DEPLOYMENT")->line == 2);
  const Source* site_config = find(e, "siteconfig.json");
  REQUIRE(site_config);
  CHECK(site_config->settings->find("appCommandLine")->value == "gunicorn app:app");
  CHECK(site_config->settings->find("appCommandLine")->line == 3);

  // Kudu's trace is in every bundle: skipped without a note, named in `skipped`.
  CHECK(e.notes.empty());
  REQUIRE(e.skipped.size() == 1);
  CHECK(e.skipped[0] == "LogFiles/kudu/trace/2024-03-15T10-25-36_abc_001_POST_api-zipdeploy_202.xml");
  CHECK(e.unreadable.empty());
}

TEST_CASE("collect: a zip with everything under one top folder equals its unpacked folder") {
  TempDir dir;
  write_zip(dir.path / "b.zip", bundle_entries(), "mybundle/");
  for (const auto& [name, content] : bundle_entries()) write_file(dir.path / "b" / name, content);
  Evidence from_zip = collect({(dir.path / "b.zip").string()}, {});
  Evidence from_dir = collect({(dir.path / "b").string()}, {});
  REQUIRE(from_zip.sources.size() == from_dir.sources.size());
  for (size_t i = 0; i < from_zip.sources.size(); ++i) {
    CHECK(from_zip.sources[i].name == from_dir.sources[i].name);
    CHECK(from_zip.sources[i].kind == from_dir.sources[i].kind);
    CHECK(read_source(from_zip.sources[i]) == read_source(from_dir.sources[i]));
  }
  CHECK(from_zip.notes == from_dir.notes);
  CHECK(find(from_zip, "wwwroot-listing.txt")->listing->files.at("requirements.txt") == "flask\n");
}

TEST_CASE("collect: --as forces the kind of an input and of a file inside a bundle") {
  TempDir dir;
  write_file(dir.path / "b/LogFiles/2024_03_15_lw1_docker.log", kPlatform);
  write_file(dir.path / "b/custom/build-output.txt", "some text the classifier cannot place\n");
  write_file(dir.path / "plain.log", kApp);
  CollectOptions options;
  options.kind_overrides = {{SourceKind::Deploy, "custom/build-output.txt"},
                            {SourceKind::Deploy, (dir.path / "plain.log").string()}};
  Evidence e = collect({(dir.path / "b").string(), (dir.path / "plain.log").string()}, options);
  REQUIRE(e.sources.size() == 3);
  CHECK(find(e, "custom/build-output.txt")->kind == SourceKind::Deploy);
  CHECK(find(e, (dir.path / "plain.log").string())->kind == SourceKind::Deploy);
  CHECK(e.notes.empty());
}

TEST_CASE("collect: single files keep the path as given, in order, with kinds by content") {
  TempDir dir;
  std::string platform = (dir.path / "p.txt").string();
  std::string app = (dir.path / "a.txt").string();
  std::string unknown = (dir.path / "u.txt").string();
  write_file(platform, kPlatform);
  write_file(app, kApp);
  write_file(unknown, "hello world\n");
  Evidence e = collect({platform, app, unknown}, {});
  REQUIRE(e.sources.size() == 3);
  CHECK(e.sources[0].name == platform);
  CHECK(e.sources[0].kind == SourceKind::Platform);
  CHECK(e.sources[0].size == kPlatform.size());
  CHECK(read_source(e.sources[0]) == kPlatform);
  CHECK(e.sources[1].kind == SourceKind::App);
  CHECK(e.sources[2].kind == SourceKind::App);
  REQUIRE(e.notes.size() == 1);
  CHECK(e.notes[0].rfind(unknown + ": kind not recognised, read as an app log", 0) == 0);
}

TEST_CASE("collect: NUL bytes, invalid UTF-8, CRLF and a 50 MB line are read, not refused") {
  TempDir dir;
  std::string odd = (dir.path / "odd.log").string();
  std::string text = std::string("\0\xff\xfe bad bytes\r\n", 16) + "2024-03-15T10:25:36.361Z INFO  - Starting container for site\r\n";
  write_file(odd, text);
  std::string big = (dir.path / "big.log").string();
  {
    std::ofstream out(big, std::ios::binary);
    std::string chunk(1 << 20, 'x');
    for (int i = 0; i < 50; ++i) out << chunk;
    out << "\n";
  }
  Evidence e = collect({odd, big}, {});
  REQUIRE(e.sources.size() == 2);
  CHECK(e.sources[0].kind == SourceKind::Platform);
  CHECK(read_source(e.sources[0]) == text);
  CHECK(read_source(e.sources[1]).size() == (50u << 20) + 1);
}

TEST_CASE("collect: a log-tail capture file splits into parts named after the capture") {
  TempDir dir;
  std::string capture = (dir.path / "tail.txt").string();
  write_file(capture,
             "Starting Log Tail -n 10 of existing logs ----\n"
             "/home/LogFiles/2024_03_15_lw1_docker.log  (https://c.scm.azurewebsites.net/api/vfs/LogFiles/2024_03_15_lw1_docker.log)\n" +
                 kPlatform +
                 "/home/LogFiles/2024_03_15_lw1_default_docker.log  (https://c.scm.azurewebsites.net/api/vfs/LogFiles/2024_03_15_lw1_default_docker.log)\n" +
                 kApp + "Ending Log Tail of existing logs ---\n");
  Evidence e = collect({capture}, {});
  REQUIRE(e.sources.size() == 2);
  CHECK(e.sources[0].name == capture);
  CHECK(e.sources[0].part == "/home/LogFiles/2024_03_15_lw1_docker.log");
  CHECK(e.sources[0].kind == SourceKind::Platform);
  CHECK(e.sources[0].line_map == LineMap{3});
  CHECK(e.sources[1].kind == SourceKind::App);
  CHECK(e.sources[1].line_map == LineMap{5});
  CHECK(read_source(e.sources[1]) == kApp);
}

TEST_CASE("collect: a capture without file headers is one source of sniffed kind with every line") {
  TempDir dir;
  std::string capture = (dir.path / "paste.txt").string();
  std::string text = "Starting Log Tail -n 10 of existing logs ----\n" + kPlatform + kPlatform +
                     "Ending Log Tail of existing logs ---\n";
  write_file(capture, text);
  Evidence e = collect({capture}, {});
  REQUIRE(e.sources.size() == 1);
  CHECK(e.sources[0].name == capture);
  CHECK(e.sources[0].part == "");
  CHECK(e.sources[0].kind == SourceKind::Platform);
  CHECK(e.sources[0].line_map == LineMap{1, 2, 3, 4});
  CHECK(read_source(e.sources[0]) == text);  // read back from the file, twice over
  CHECK(read_source(e.sources[0]) == text);

  StdinFrom redirect(capture);
  Evidence piped = collect({"-"}, {});
  REQUIRE(piped.sources.size() == 1);
  CHECK(piped.sources[0].kind == SourceKind::Platform);
  CHECK(read_source(piped.sources[0]) == text);
}

TEST_CASE("collect: standard input is streamed past the sniffed head and opens once") {
  TempDir dir;
  std::string text = kApp;
  while (text.size() < 200 * 1024) text += kApp;  // longer than the 64 KiB peek
  write_file(dir.path / "in.log", text);
  StdinFrom redirect(dir.path / "in.log");
  Evidence e = collect({"-"}, {});
  REQUIRE(e.sources.size() == 1);
  CHECK(e.sources[0].name == "-");
  CHECK(e.sources[0].kind == SourceKind::App);
  CHECK(read_source(e.sources[0]) == text);
  CHECK_THROWS_AS(e.sources[0].open(), InputError);
}

TEST_CASE("collect: listing and settings on standard input are parsed") {
  TempDir dir;
  write_file(dir.path / "settings.txt", kSiteConfig);
  StdinFrom redirect(dir.path / "settings.txt");
  Evidence e = collect({"-"}, {});
  REQUIRE(e.sources.size() == 1);
  CHECK(e.sources[0].kind == SourceKind::Settings);
  REQUIRE(e.sources[0].settings);
  CHECK(e.sources[0].settings->find("linuxFxVersion")->value == "PYTHON|3.11");
}

TEST_CASE("collect: a missing path, an empty file and an empty bundle are errors naming the path") {
  TempDir dir;
  std::string missing = (dir.path / "nope.log").string();
  CHECK(error_of({missing}) == missing + ": No such file or directory");
  std::string empty = (dir.path / "empty.log").string();
  write_file(empty, "");
  CHECK(error_of({empty}) == empty + ": empty file");
  write_file(dir.path / "b/readme.md", "nothing useful\n");
  std::string bundle = (dir.path / "b").string();
  CHECK(error_of({bundle}) == bundle + ": no log, listing or settings file found in the bundle");
}

TEST_CASE("collect: a listing file in an unknown shape is an error naming the file and line") {
  TempDir dir;
  std::string listing = (dir.path / "wwwroot-listing.txt").string();
  write_file(listing, "-rw-r--r-- 1 root root 12 Mar 15 10:21 app.py\nthis is not a listing line at all ??? \n");
  std::string error = error_of({listing});
  CHECK(error.rfind(listing + ":", 0) == 0);
}

TEST_CASE("a bundle folder follows no link outside it and notes every file it does not read") {
  TempDir dir;
  fs::path b = dir.path / "bundle";
  fs::create_directories(b / "LogFiles");
  fs::create_directories(dir.path / "outside");
  std::ofstream(b / "LogFiles/2024_03_15_x_default_docker.log") << "2024-03-15T10:21:47Z hello\n";
  std::ofstream(dir.path / "outside/secret_docker.log") << "not in the bundle\n";
  fs::create_symlink(dir.path / "outside/secret_docker.log", b / "LogFiles/2024_03_15_y_docker.log");
  fs::create_symlink("2024_03_15_x_default_docker.log", b / "LogFiles/2024_03_15_z_default_docker.log");
  fs::create_symlink(dir.path / "nowhere", b / "LogFiles/dangling_docker.log");
  fs::create_directory_symlink(dir.path / "outside", b / "linked");
  REQUIRE(mkfifo((b / "LogFiles/fifo_docker.log").c_str(), 0600) == 0);

  Evidence e = collect({b.string()}, CollectOptions{});
  std::vector<std::string> names;
  for (const Source& s : e.sources) names.push_back(s.name);
  // The link to a file inside the bundle is read, under its own name.
  CHECK(names == std::vector<std::string>{"LogFiles/2024_03_15_x_default_docker.log", "LogFiles/2024_03_15_z_default_docker.log"});
  auto noted = [&](const std::string& text) {
    return std::any_of(e.notes.begin(), e.notes.end(), [&](const std::string& n) { return n.find(text) != std::string::npos; });
  };
  CHECK(noted("skipped: LogFiles/2024_03_15_y_docker.log (a symbolic link to outside the bundle, not followed)"));
  CHECK(noted("skipped: LogFiles/dangling_docker.log (a dangling symbolic link)"));
  CHECK(noted("skipped: linked (a symbolic link to outside the bundle, not followed)"));
  CHECK(noted("skipped: LogFiles/fifo_docker.log (a FIFO)"));
  for (const std::string& n : e.notes) CHECK(n.find("..") == std::string::npos);
}

TEST_CASE("bundle: file heads read on several threads; a file that fails is unreadable in its place, a bug surfaces") {
  auto file = [](std::string name, std::string text) {
    auto bytes = std::make_shared<const std::string>(std::move(text));
    return BundleFile{std::move(name), bytes->size(), [bytes] { return memory_stream(bytes); }};
  };
  auto failing = [](std::string name, bool input_error) {
    return BundleFile{name, 10, [name, input_error]() -> std::unique_ptr<ByteStream> {
                        if (input_error) throw InputError(name + ": cannot open: Permission denied");
                        throw std::logic_error("a bug");
                      }};
  };
  std::vector<BundleFile> files;
  for (int i = 0; i < 40; ++i)
    files.push_back(file("LogFiles/2026_11_28_lw" + std::to_string(100 + i) + "_default_docker.log", "line\n"));
  files.push_back(failing("LogFiles/2026_11_28_lw999_default_docker.log", true));
  CollectOptions options;
  options.jobs = 4;
  Evidence evidence;
  add_bundle(evidence, files, "bundle", options);
  CHECK(evidence.sources.size() == 40);
  CHECK(evidence.sources.front().name == "LogFiles/2026_11_28_lw100_default_docker.log");
  REQUIRE(evidence.unreadable.size() == 1);
  CHECK(evidence.unreadable[0] == "LogFiles/2026_11_28_lw999_default_docker.log: cannot open: Permission denied");

  files.push_back(failing("LogFiles/2026_11_28_lw998_default_docker.log", false));
  Evidence again;
  CHECK_THROWS_WITH(add_bundle(again, files, "bundle", options), "a bug");
}
