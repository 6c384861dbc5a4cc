// The pure parts of the SSH collector: URL syntax, `ls -laR` rendering, log
// choice and tails, container environment, bundle writing.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

#include "analyzer/core/error.h"
#include "collectors/bundle_writer.h"
#include "collectors/environ_settings.h"
#include "collectors/ls_render.h"
#include "collectors/ssh_logs.h"
#include "collectors/ssh_tree.h"
#include "collectors/ssh_url.h"

using namespace appdiag;
namespace fs = std::filesystem;

namespace {

RemoteEntry entry(const std::string& name, uint32_t mode, uint64_t size, uint64_t mtime = 1795861502) {
  RemoteEntry e;
  e.name = name;
  e.mode = mode;
  e.size = size;
  e.mtime = mtime;
  e.owner = "root";
  e.group = "root";
  return e;
}

std::string line_of(const std::string& text, uint32_t line) {
  std::istringstream in(text);
  std::string s;
  for (uint32_t i = 0; i < line && std::getline(in, s); ++i) {
  }
  return s;
}

}  // namespace

TEST_CASE("ssh url: user, host, port, IPv6", "[ssh-parts]") {
  SshTarget t = parse_ssh_url("ssh://root@example.net:2222");
  CHECK(t.user == "root");
  CHECK(t.host == "example.net");
  CHECK(t.port == 2222);
  t = parse_ssh_url("SSH://127.0.0.1/");
  CHECK(t.user.empty());
  CHECK(t.host == "127.0.0.1");
  CHECK(t.port == 22);
  t = parse_ssh_url("ssh://me@[::1]:2200");
  CHECK(t.host == "::1");
  CHECK(t.port == 2200);
  CHECK(display_address(t) == "[::1]:2200");
  CHECK(is_ssh_url("ssh://x"));
  CHECK_FALSE(is_ssh_url("/tmp/ssh://x"));
}

TEST_CASE("ssh url: malformed sources are input errors naming the source", "[ssh-parts]") {
  for (const char* bad : {"ssh://", "ssh://host:0", "ssh://host:70000", "ssh://host:22x", "ssh://[::1",
                          "ssh://host/path", "ssh://@host", "ssh://ho st", "ssh://[::1]x"}) {
    INFO(bad);
    try {
      parse_ssh_url(bad);
      FAIL("accepted");
    } catch (const InputError& e) {
      CHECK(std::string(e.what()).rfind(bad, 0) == 0);
    }
  }
}

TEST_CASE("ls render: GNU ls -laR --time-style=full-iso shape with matching line numbers", "[ssh-parts]") {
  std::vector<ListingSection> sections = {
      {"",
       {entry(".", S_IFDIR | 0755, 4096), entry("..", S_IFDIR | 0755, 4096), entry("app.py", S_IFREG | 0644, 46),
        entry("venv", S_IFDIR | 0755, 4096)}},
      {"venv", {entry(".", S_IFDIR | 0755, 4096), entry("..", S_IFDIR | 0755, 4096), entry("pyvenv.cfg", S_IFREG | 0644, 76)}},
  };
  RemoteEntry link = entry("python", S_IFLNK | 0777, 16);
  link.link_target = "/usr/bin/python3";
  sections[1].entries.push_back(link);
  RenderedListing r = render_ls("/home/site/wwwroot", sections);
  CHECK(r.text ==
        "/home/site/wwwroot:\n"
        "total 16\n"
        "drwxr-xr-x 1 root root 4096 2026-11-28 10:25:02.000000000 +0000 .\n"
        "drwxr-xr-x 1 root root 4096 2026-11-28 10:25:02.000000000 +0000 ..\n"
        "-rw-r--r-- 1 root root   46 2026-11-28 10:25:02.000000000 +0000 app.py\n"
        "drwxr-xr-x 1 root root 4096 2026-11-28 10:25:02.000000000 +0000 venv\n"
        "\n"
        "/home/site/wwwroot/venv:\n"
        "total 16\n"
        "drwxr-xr-x 1 root root 4096 2026-11-28 10:25:02.000000000 +0000 .\n"
        "drwxr-xr-x 1 root root 4096 2026-11-28 10:25:02.000000000 +0000 ..\n"
        "-rw-r--r-- 1 root root   76 2026-11-28 10:25:02.000000000 +0000 pyvenv.cfg\n"
        "lrwxrwxrwx 1 root root   16 2026-11-28 10:25:02.000000000 +0000 python -> /usr/bin/python3\n");
  REQUIRE(r.listing.entries.size() == 4);
  CHECK(r.listing.root == "/home/site/wwwroot");
  CHECK(r.listing.entries[0].path == "app.py");
  CHECK(r.listing.entries[0].line == 5);
  CHECK(r.listing.entries[1].path == "venv");
  CHECK(r.listing.entries[1].is_dir);
  CHECK(r.listing.entries[2].path == "venv/pyvenv.cfg");
  CHECK(r.listing.entries[2].line == 12);
  CHECK(r.listing.entries[3].link_target == "/usr/bin/python3");
  for (const ListingEntry& e : r.listing.entries) {
    std::string name = e.path.substr(e.path.rfind('/') + 1);
    CHECK(line_of(r.text, e.line).find(" " + name) != std::string::npos);
  }
}

TEST_CASE("ls render: escape bytes kept, a newline in a name shown as '?'", "[ssh-parts]") {
  RenderedListing r = render_ls("/w", {{"", {entry("bad\x1b[31mname.txt", S_IFREG | 0644, 4),
                                             entry("two\nlines", S_IFREG | 0644, 1)}}});
  REQUIRE(r.listing.entries.size() == 2);
  CHECK(r.listing.entries[0].path == "bad\x1b[31mname.txt");
  CHECK(line_of(r.text, r.listing.entries[0].line).find("bad\x1b[31mname.txt") != std::string::npos);
  CHECK(r.listing.entries[1].path == "two?lines");
  CHECK(r.notes.size() == 1);
  CHECK(std::count(r.text.begin(), r.text.end(), '\n') == 4);
}

TEST_CASE("ls render: mode strings", "[ssh-parts]") {
  CHECK(mode_string(S_IFDIR | 01777) == "drwxrwxrwt");
  CHECK(mode_string(S_IFREG | 04755) == "-rwsr-xr-x");
  CHECK(mode_string(S_IFREG | 0) == "----------");
}

TEST_CASE("ssh logs: newest docker and default_docker log per machine", "[ssh-parts]") {
  std::vector<RemoteEntry> entries = {
      entry("2026_11_27_m1_docker.log", S_IFREG | 0644, 10, 100),
      entry("2026_11_28_m1_docker.log", S_IFREG | 0644, 10, 200),
      entry("2026_11_28_m1_default_docker.log", S_IFREG | 0644, 10, 200),
      entry("2026_11_26_m1_default_docker.log", S_IFREG | 0644, 10, 50),
      entry("2026_11_28_m2_docker.log", S_IFREG | 0644, 10, 300),
      entry("2026_11_28_m2_easyauth_docker.log", S_IFREG | 0644, 10, 300),
      entry("kudu", S_IFDIR | 0755, 4096, 400),
      entry("notes.txt", S_IFREG | 0644, 10, 400),
  };
  std::vector<LogPick> picks = pick_docker_logs(entries);
  REQUIRE(picks.size() == 3);
  CHECK(picks[0].name == "2026_11_28_m1_default_docker.log");
  CHECK(picks[0].kind == SourceKind::App);
  CHECK(picks[1].name == "2026_11_28_m1_docker.log");
  CHECK(picks[1].kind == SourceKind::Platform);
  CHECK(picks[2].name == "2026_11_28_m2_docker.log");
}

TEST_CASE("ssh logs: newest deployments first, folders only", "[ssh-parts]") {
  std::vector<RemoteEntry> folders = {entry(".", S_IFDIR | 0755, 0, 999), entry("a", S_IFDIR | 0755, 0, 10),
                                      entry("b", S_IFDIR | 0755, 0, 30), entry("c", S_IFDIR | 0755, 0, 20),
                                      entry("active", S_IFREG | 0644, 0, 50)};
  CHECK(pick_deployments(folders, 2) == std::vector<std::string>{"b", "c"});
}

TEST_CASE("ssh logs: a tail starts at a line boundary", "[ssh-parts]") {
  CHECK(from_line_boundary("ial line\nnext\nlast\n", 100) == "next\nlast\n");
  CHECK(from_line_boundary("whole\nfile\n", 0) == "whole\nfile\n");
  CHECK(from_line_boundary("no newline at all", 5).empty());
}

TEST_CASE("ssh tree: small files and virtualenv detection", "[ssh-parts]") {
  CHECK(is_wanted_small_file("requirements.txt"));
  CHECK(is_wanted_small_file("oryx-manifest.toml"));
  CHECK(is_wanted_small_file("mysite/wsgi.py"));
  CHECK(is_wanted_small_file("mysite/settings.py"));
  CHECK_FALSE(is_wanted_small_file("a/b/settings.py"));
  CHECK_FALSE(is_wanted_small_file("static/app.js"));
  CHECK(is_virtualenv("whatever", {entry("pyvenv.cfg", S_IFREG | 0644, 1)}));
  CHECK(is_virtualenv(".venv", {entry("Lib", S_IFDIR | 0755, 1)}));
  CHECK(is_virtualenv("antenv", {entry("lib", S_IFDIR | 0755, 1)}));
  CHECK_FALSE(is_virtualenv("src", {entry("lib", S_IFDIR | 0755, 1)}));
}

TEST_CASE("environ: NUL-separated settings, shown as appsettings JSON with name lines", "[ssh-parts]") {
  const char kRaw[] = "A=1\0NOEQUALS\0SECRET_KEY=s3\0DATABASE_URL=postgres://u:pw@h/db\0MULTI=x\ny\0";
  std::string raw(kRaw, sizeof kRaw - 1);
  EnvironSettings e = parse_environ(raw);
  REQUIRE(e.settings.items.size() == 4);
  CHECK(e.settings.find("secret_key")->value == "s3");
  CHECK(e.settings.find("MULTI")->value == "x\ny");
  CHECK(e.text == appsettings_json(e.settings, false));
  for (const Setting& s : e.settings.items) {
    CHECK(line_of(e.text, s.line) == "    \"name\": \"" + s.name + "\",");
  }
  CHECK(line_of(e.text, e.settings.find("MULTI")->line + 2) == "    \"value\": \"x\\ny\"");
  auto parsed = nlohmann::json::parse(e.text);
  CHECK(parsed[1]["name"] == "SECRET_KEY");
  CHECK(parsed[1]["slotSetting"] == false);
  std::string redacted = appsettings_json(e.settings, true);
  CHECK(std::count(redacted.begin(), redacted.end(), '\n') == std::count(e.text.begin(), e.text.end(), '\n'));
  CHECK(redacted.find("\"value\": \"[REDACTED]\"") != std::string::npos);
  CHECK(redacted.find("s3") == std::string::npos);
  CHECK(redacted.find("postgres://u:[REDACTED]@h/db") != std::string::npos);
  CHECK(appsettings_json(e.settings, false).find("\"value\": \"s3\"") != std::string::npos);
}

TEST_CASE("environ: --save-bundle's appsettings.json redacts secrets in values of ordinary names", "[ssh-parts]") {
  // Each setting's name is not secret-looking, so only redact() on its value stands between it and the file.
  const std::pair<const char*, const char*> rows[] = {
      {"DATABASE_URL=postgres://admin:p@ssW0rd@db:5432/app", "p@ssW0rd"},
      {"REDIS_URL=redis://:c4cheS3cret@cache:6380/0", "c4cheS3cret"},
      {"SQL_CONN=Driver={ODBC};Server=db;Pwd=0dbcP4ss;", "0dbcP4ss"},
      {"STARTUP_ARGS=--password cl1P4ssw0rd --port 8000", "cl1P4ssw0rd"},
      {"DEPLOY_HEADERS=x-api-key: ap1K3yValue", "ap1K3yValue"},
      {"BLOB_PROXY=https://p/?u=https%3A%2F%2Fst%2Fc%3Fsv%3D1%26sig%3DS4sS1gValue%26se%3D2", "S4sS1gValue"},
      {"CI_NOTE=GITHUB_TOKEN: ghp_16C7e42F292c6912E7710c838347Ae178B4a", "ghp_16C7e42F292c6912E7710c838347Ae178B4a"},
  };
  std::string raw;
  for (const auto& [setting, secret] : rows) raw.append(setting).push_back('\0');
  std::string saved = appsettings_json(parse_environ(raw).settings, true);
  for (const auto& [setting, secret] : rows) {
    INFO(setting);
    CHECK(saved.find(secret) == std::string::npos);
    CHECK(appsettings_json(parse_environ(raw).settings, false).find(secret) != std::string::npos);
  }
}

TEST_CASE("bundle writer: writes the layout and refuses names that escape", "[ssh-parts]") {
  char tmpl[] = "/tmp/appdiag-bundle-XXXXXX";
  REQUIRE(mkdtemp(tmpl));
  std::string dir = std::string(tmpl) + "/b";
  auto bytes = std::make_shared<const std::string>("hello\n");
  std::vector<SavedFile> files = {
      {{"LogFiles", "2026_11_28_m1_docker.log"}, bytes},
      {{"deployments", "abc", "log.log"}, bytes},
      {{"deployments", "..", "log.log"}, bytes},
      {{"wwwroot-files", "a/b"}, bytes},
      {{"LogFiles", "bad\x1b[31m.log"}, bytes},
      {{"LogFiles", ""}, bytes},
  };
  std::vector<std::string> skipped = write_bundle(dir, files);
  CHECK(skipped.size() == 4);
  std::ifstream in(dir + "/deployments/abc/log.log");
  std::string line;
  std::getline(in, line);
  CHECK(line == "hello");
  CHECK(fs::exists(dir + "/LogFiles/2026_11_28_m1_docker.log"));
  CHECK_FALSE(fs::exists(std::string(tmpl) + "/log.log"));
  CHECK_FALSE(fs::exists(dir + "/wwwroot-files/a/b"));
  // A symlink planted where a file goes is not followed.
  fs::remove(dir + "/LogFiles/2026_11_28_m1_docker.log");
  fs::create_symlink(std::string(tmpl) + "/target", dir + "/LogFiles/2026_11_28_m1_docker.log");
  CHECK_THROWS_AS(write_bundle(dir, {files[0]}), InputError);
  CHECK_FALSE(fs::exists(std::string(tmpl) + "/target"));
  fs::remove_all(tmpl);
}
