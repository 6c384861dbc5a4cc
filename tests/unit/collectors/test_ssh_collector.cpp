// The SSH collector against a real OpenSSH server on 127.0.0.1
// (sshd_fixture.h), serving an App Service-shaped tree.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pty.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analyzer/core/error.h"
#include "collectors/ssh_collector.h"
#include "collectors/ssh_session.h"
#include "collectors/ssh_url.h"
#include "sshd_fixture.h"

namespace fs = std::filesystem;
using namespace appdiag;
using appdiag::test::Sshd;
using appdiag::test::slurp;
using appdiag::test::trimmed;

namespace {

std::string temp_dir(const char* what, const char* parent = "/tmp") {
  std::string pattern = std::string(parent) + "/appdiag-" + what + "-XXXXXX";
  REQUIRE(mkdtemp(pattern.data()) != nullptr);
  return pattern;
}

// Makes the agent and default keys unavailable unless a test sets them up.
void isolate_auth() {
  unsetenv("SSH_AUTH_SOCK");
  unsetenv("APPDIAG_SSH_PASSWORD");
}

const Source* find_source(const Evidence& e, const std::string& name) {
  for (const Source& s : e.sources)
    if (s.name == name) return &s;
  return nullptr;
}

std::string read_all(const Source& s) {
  auto stream = s.open();
  std::string out;
  char buf[4096];
  while (size_t n = stream->read(buf, sizeof buf)) out.append(buf, n);
  return out;
}

const ListingEntry* find_entry(const Listing& l, const std::string& path) {
  for (const ListingEntry& e : l.entries)
    if (e.path == path) return &e;
  return nullptr;
}

bool any_contains(const std::vector<std::string>& list, const std::string& needle) {
  for (const auto& s : list)
    if (s.find(needle) != std::string::npos) return true;
  return false;
}

std::string line_of(const std::string& text, uint32_t line) {
  std::istringstream in(text);
  std::string s;
  for (uint32_t i = 0; i < line && std::getline(in, s); ++i) {
  }
  return s;
}

std::string error_of(const std::string& url, const SshOptions& options) {
  try {
    collect_ssh(url, options);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("ssh: key auth gathers logs, deployments, listing, small files and settings", "[ssh]") {
  isolate_auth();
  Sshd& s = Sshd::shared();
  Evidence e = collect_ssh(s.url(), s.options());
  std::string logs = "/home/LogFiles/";

  const Source* platform = find_source(e, logs + "2026_11_28_lw0sdlwk0001AB_docker.log");
  const Source* app = find_source(e, logs + "2026_11_28_lw0sdlwk0001AB_default_docker.log");
  const Source* deploy = find_source(e, "/home/site/deployments/0a1b2c3d4e5f/log.log");
  REQUIRE(platform);
  REQUIRE(app);
  REQUIRE(deploy);
  CHECK(platform->kind == SourceKind::Platform);
  CHECK(app->kind == SourceKind::App);
  CHECK(deploy->kind == SourceKind::Deploy);
  CHECK(read_all(*app) == slurp(s.local(logs + "2026_11_28_lw0sdlwk0001AB_default_docker.log")));
  CHECK(read_all(*app).find("ModuleNotFoundError: No module named 'flask'") != std::string::npos);
  CHECK_FALSE(find_source(e, logs + "2026_11_27_lw0sdlwk0001AB_docker.log"));  // older than the 28th's

  const Source* listing = find_source(e, s.site() + " (ls -laR)");
  REQUIRE(listing);
  REQUIRE(listing->listing);
  const Listing& l = *listing->listing;
  CHECK(l.root == s.site());
  for (const char* path : {"app.py", "requirements.txt", "static", "static/site.css", "venv", "venv/pyvenv.cfg",
                           "venv/lib", "venv/lib/python3.9", "venv/bin", "private"}) {
    INFO(path);
    CHECK(find_entry(l, path));
  }
  // A venv is listed only as far as identifies it.
  CHECK_FALSE(find_entry(l, "venv/lib/python3.9/site-packages"));
  CHECK(find_entry(l, "venv")->is_dir);
  CHECK(find_entry(l, "requirements.txt")->size == 13);
  // Line numbers point into the rendered `ls -laR` text.
  std::string text = read_all(*listing);
  for (const ListingEntry& entry : l.entries) {
    std::string name = entry.path.substr(entry.path.rfind('/') + 1);
    std::string line = line_of(text, entry.line);
    INFO(entry.path << " line " << entry.line << ": " << line);
    CHECK(line.size() >= name.size());
    CHECK((line.compare(line.size() - name.size(), name.size(), name) == 0 || !entry.link_target.empty()));
  }
  CHECK(line_of(text, 1) == s.site() + ":");

  CHECK(l.files.at("requirements.txt") == "Flask==3.0.0\n");
  CHECK(l.files.at("venv/pyvenv.cfg").find("version = 3.9.18") != std::string::npos);
  CHECK(l.files.count("app.py") == 1);
  CHECK(l.files.count("runtime.txt") == 0);  // mode 000: reported, not gathered
  CHECK(any_contains(e.unreadable, s.site() + "/runtime.txt: permission denied"));
  CHECK(any_contains(e.unreadable, s.site() + "/private: permission denied"));

  const Source* settings = find_source(e, "/proc/1/environ (as appsettings.json)");
  REQUIRE(settings);
  REQUIRE(settings->settings);
  REQUIRE(settings->settings->find("SCM_DO_BUILD_DURING_DEPLOYMENT"));
  CHECK(settings->settings->find("SCM_DO_BUILD_DURING_DEPLOYMENT")->value == "false");
  CHECK(settings->settings->find("SECRET_KEY")->line == 13);
  CHECK(line_of(read_all(*settings), 13) == "    \"name\": \"SECRET_KEY\",");
}

TEST_CASE("ssh: a file name with an escape sequence is kept intact", "[ssh]") {
  isolate_auth();
  Sshd& s = Sshd::shared();
  Evidence e = collect_ssh(s.url(), s.options());
  const Source* listing = find_source(e, s.site() + " (ls -laR)");
  REQUIRE(listing);
  const ListingEntry* bad = find_entry(*listing->listing, "bad\x1b[31mname.txt");
  REQUIRE(bad);
  CHECK(line_of(read_all(*listing), bad->line).find("bad\x1b[31mname.txt") != std::string::npos);
}

TEST_CASE("ssh: password auth from APPDIAG_SSH_PASSWORD", "[ssh]") {
  isolate_auth();
  Sshd& s = Sshd::shared();
  SshOptions o = s.options();
  o.identity_file.clear();
  // Root's default keys (if any) are not in this server's authorized_keys.
  setenv("APPDIAG_SSH_PASSWORD", s.password.c_str(), 1);
  Evidence e = collect_ssh(s.url(), o);
  CHECK(find_source(e, s.site() + " (ls -laR)"));

  setenv("APPDIAG_SSH_PASSWORD", "not-the-password", 1);
  std::string error = error_of(s.url(), o);
  CHECK(error.find("authentication failed") != std::string::npos);
  CHECK(error.find("password") != std::string::npos);
  unsetenv("APPDIAG_SSH_PASSWORD");
}

TEST_CASE("ssh: key from the SSH agent", "[ssh]") {
  isolate_auth();
  Sshd& s = Sshd::shared();
  std::string sock = s.dir + "/agent.sock";
  std::string start = "ssh-agent -a " + sock + " > " + s.dir + "/agent.env && SSH_AUTH_SOCK=" + sock +
                      " ssh-add -q " + s.dir + "/client_key 2>/dev/null";
  REQUIRE(std::system(start.c_str()) == 0);
  SshOptions o = s.options();
  o.identity_file.clear();
  setenv("SSH_AUTH_SOCK", sock.c_str(), 1);
  std::string error;
  try {
    collect_ssh(s.url(), o);
  } catch (const InputError& ex) {
    error = ex.what();
  }
  std::string stop = ". " + s.dir + "/agent.env >/dev/null && ssh-agent -k >/dev/null";
  std::system(stop.c_str());
  unsetenv("SSH_AUTH_SOCK");
  CHECK(error.empty());
  // Without the agent, no key and no password: refused.
  CHECK(error_of(s.url(), o).find("authentication failed") != std::string::npos);
}

TEST_CASE("ssh: an unknown host is refused with its SHA256 fingerprint", "[ssh]") {
  isolate_auth();
  Sshd& s = Sshd::shared();
  SshOptions o = s.options();
  o.known_hosts = s.dir + "/empty_known_hosts";
  std::ofstream(o.known_hosts).close();
  std::string error = error_of(s.url(), o);
  CHECK(error.find("unknown host key ssh-ed25519 SHA256:") != std::string::npos);
  CHECK(error.find("--accept-new-host-key") != std::string::npos);
  CHECK(error.find('\n') == std::string::npos);
  CHECK(slurp(o.known_hosts).empty());
}

TEST_CASE("ssh: --accept-new-host-key records the key, then it is known", "[ssh]") {
  isolate_auth();
  Sshd& s = Sshd::shared();
  SshOptions o = s.options();
  o.known_hosts = s.dir + "/fresh/.ssh/known_hosts";  // its folder does not exist yet
  o.accept_new_host_key = true;
  collect_ssh(s.url(), o);
  std::string key = slurp(s.dir + "/host_ed25519.pub");
  std::string blob = key.substr(key.find(' ') + 1);
  blob = blob.substr(0, blob.find(' '));
  CHECK(slurp(o.known_hosts).find(blob) != std::string::npos);
  o.accept_new_host_key = false;
  CHECK_NOTHROW(collect_ssh(s.url(), o));
}

TEST_CASE("ssh: a changed host key is always refused", "[ssh]") {
  isolate_auth();
  Sshd& s = Sshd::shared();
  std::string other = s.dir + "/other_host";
  REQUIRE(std::system(("ssh-keygen -q -t ed25519 -N '' -f " + other).c_str()) == 0);
  std::string pub = slurp(other + ".pub");
  SshOptions o = s.options();
  o.known_hosts = s.dir + "/changed_known_hosts";
  std::ofstream(o.known_hosts) << "[127.0.0.1]:" << s.port << " " << pub.substr(0, pub.rfind(' ')) << "\n";
  std::string error = error_of(s.url(), o);
  CHECK(error.find("host key changed") != std::string::npos);
  o.accept_new_host_key = true;
  CHECK(error_of(s.url(), o).find("host key changed") != std::string::npos);
}

TEST_CASE("ssh: connection refused on a closed port", "[ssh]") {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);  // bound, never listened: the port is closed
  std::string url = "ssh://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  CHECK(error_of(url, SshOptions{}).find("connection refused") != std::string::npos);
}

TEST_CASE("ssh: a server that never speaks times out within the limit", "[ssh]") {
  // The kernel completes the handshake for a listening socket that never
  // accepts or writes: a silent server.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(listen(fd, 4) == 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  SshOptions o;
  o.connect_timeout_s = 2;
  auto start = std::chrono::steady_clock::now();
  std::string error = error_of("ssh://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)), o);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  close(fd);
  CHECK(error.find("timed out") != std::string::npos);
  CHECK(seconds < 4.0);
}

TEST_CASE("ssh: a log bigger than --max-log-bytes is tailed from a line boundary", "[ssh]") {
  isolate_auth();
  Sshd s(Sshd::private_dir());  // changes its tree / freezes it: not the shared server
  std::string path = "/home/LogFiles/2026_11_28_bigmachine_default_docker.log";
  {
    std::ofstream big(s.local(path));
    for (int i = 0; i < 20000; ++i) big << "2026-11-28T10:00:00.000Z line " << i << " of a long log\n";
  }
  SshOptions o = s.options();
  o.max_log_bytes = 10000;
  Evidence e = collect_ssh(s.url(), o);
  fs::remove(s.local(path));
  const Source* tail = find_source(e, path);
  REQUIRE(tail);
  std::string bytes = read_all(*tail);
  CHECK(bytes.size() <= 10000);
  CHECK(bytes.size() > 9900);
  CHECK(bytes.rfind("2026-11-28T10:00:00.000Z line ", 0) == 0);  // a whole first line
  CHECK(bytes.find("line 19999 of a long log\n") == bytes.size() - 25);
  CHECK(any_contains(e.notes, path + ": only the last"));
}

TEST_CASE("ssh: the byte budget bounds everything gathered", "[ssh]") {
  isolate_auth();
  Sshd& s = Sshd::shared();
  SshOptions o = s.options();
  o.byte_budget = 300;
  Evidence e = collect_ssh(s.url(), o);
  uint64_t total = 0;
  for (const Source& src : e.sources)
    if (src.kind != SourceKind::Listing && src.kind != SourceKind::Settings) total += read_all(src).size();
  CHECK(total <= 300);
  CHECK(any_contains(e.unreadable, "byte budget"));
}

TEST_CASE("ssh: --save-bundle writes what was gathered as a bundle", "[ssh]") {
  isolate_auth();
  Sshd& s = Sshd::shared();
  SshOptions o = s.options();
  o.save_bundle = temp_dir("bundle") + "/out";
  Evidence e = collect_ssh(s.url(), o);
  fs::path b = o.save_bundle;
  std::string logs = s.local("/home/LogFiles/");
  CHECK(slurp(b / "LogFiles/2026_11_28_lw0sdlwk0001AB_docker.log") ==
        slurp(logs + "2026_11_28_lw0sdlwk0001AB_docker.log"));
  CHECK(slurp(b / "LogFiles/2026_11_28_lw0sdlwk0001AB_default_docker.log") ==
        slurp(logs + "2026_11_28_lw0sdlwk0001AB_default_docker.log"));
  CHECK(fs::exists(b / "deployments/0a1b2c3d4e5f/log.log"));
  CHECK_FALSE(fs::exists(b / "deployments/tools"));
  CHECK(slurp(b / "wwwroot-listing.txt") == read_all(*find_source(e, s.site() + " (ls -laR)")));
  CHECK(slurp(b / "wwwroot-files/requirements.txt") == "Flask==3.0.0\n");
  CHECK(slurp(b / "wwwroot-files/venv/pyvenv.cfg").find("3.9.18") != std::string::npos);
  std::string settings = slurp(b / "appsettings.json");
  CHECK(settings.find("\"name\": \"SCM_DO_BUILD_DURING_DEPLOYMENT\"") != std::string::npos);
  CHECK(settings.find("\"slotSetting\": false") != std::string::npos);
  CHECK(settings.find("do-not-show-me") == std::string::npos);
  CHECK(settings.find("dbpass") == std::string::npos);
  CHECK(settings.find("postgres://app:[REDACTED]@db:5432/app") != std::string::npos);

  o.redact = false;
  collect_ssh(s.url(), o);
  CHECK(slurp(b / "appsettings.json").find("do-not-show-me") != std::string::npos);
  fs::remove_all(b.parent_path());
}

TEST_CASE("ssh: a server that stops answering mid-session times out per operation", "[ssh]") {
  isolate_auth();
  Sshd s(Sshd::private_dir());  // changes its tree / freezes it: not the shared server
  SshOptions o = s.options();
  o.op_timeout_s = 2;
  SshSession session(parse_ssh_url(s.url()), o);
  CHECK(session.list(s.site()).size() > 2);
  // Freeze this connection's server processes (children of the sshd we started).
  std::string children = "pgrep -P " + trimmed(slurp(s.dir + "/sshd.bgpid"));
  std::string freeze = "for p in $(" + children + "); do kill -STOP $p; for c in $(pgrep -P $p); do kill -STOP $c; done; done";
  std::string thaw = "for p in $(" + children + "); do kill -CONT $p; for c in $(pgrep -P $p); do kill -CONT $c; done; done";
  struct Thaw {  // even if the test fails, leave no stopped process behind
    std::string command;
    ~Thaw() { std::system(command.c_str()); }
  } thaw_guard{thaw};
  REQUIRE(std::system(freeze.c_str()) == 0);
  auto start = std::chrono::steady_clock::now();
  std::string error;
  try {
    session.list(s.site());
  } catch (const InputError& e) {
    error = e.what();
  } catch (const RemoteFileError& e) {
    error = std::string("per-file error: ") + e.what();
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(error.find("timed out after 2 s") != std::string::npos);
  CHECK(seconds < 5.0);
}

TEST_CASE("ssh: IPv6 loopback in brackets", "[ssh]") {
  isolate_auth();
  Sshd& s = Sshd::shared();
  Evidence e = collect_ssh("ssh://" + s.user + "@[::1]:" + std::to_string(s.port), s.options());
  CHECK(find_source(e, s.site() + " (ls -laR)"));
}

TEST_CASE("ssh: the password is prompted on the terminal without echo", "[ssh]") {
  isolate_auth();
  Sshd& s = Sshd::shared();
  SshOptions o = s.options();
  o.identity_file.clear();
  int master = -1;
  pid_t child = forkpty(&master, nullptr, nullptr, nullptr);
  REQUIRE(child >= 0);
  if (child == 0) {  // a new session whose controlling terminal is the pty
    try {
      collect_ssh(s.url(), o);
      _exit(0);
    } catch (...) {
      _exit(1);
    }
  }
  std::string seen;
  char buf[512];
  auto read_until = [&](const std::string& needle) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (seen.find(needle) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      ssize_t n = read(master, buf, sizeof buf);
      if (n <= 0) break;
      seen.append(buf, static_cast<size_t>(n));
    }
  };
  read_until("password: ");
  CHECK(seen.find(s.url() + " password: ") != std::string::npos);
  std::string answer = s.password + "\n";
  REQUIRE(write(master, answer.data(), answer.size()) == static_cast<ssize_t>(answer.size()));
  int status = 0;
  waitpid(child, &status, 0);
  read_until("\x04");  // everything the terminal showed, to the end
  close(master);
  // stderr is the terminal, so progress is shown there.
  CHECK(seen.find("listing " + s.site()) != std::string::npos);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(seen.find(s.password) == std::string::npos);  // not echoed
}

TEST_CASE("ssh: the listing is bounded in depth and entries", "[ssh]") {
  isolate_auth();
  Sshd& s = Sshd::shared();
  SshOptions o = s.options();
  o.max_depth = 0;
  Evidence e = collect_ssh(s.url(), o);
  const Listing& shallow = *find_source(e, s.site() + " (ls -laR)")->listing;
  CHECK(find_entry(shallow, "static"));
  CHECK_FALSE(find_entry(shallow, "static/site.css"));
  CHECK(any_contains(e.notes, s.site() + "/static: deeper than 0 folders"));

  o = s.options();
  o.max_entries = 3;
  e = collect_ssh(s.url(), o);
  const Listing& few = *find_source(e, s.site() + " (ls -laR)")->listing;
  CHECK(few.entries.size() == 3);
  CHECK(any_contains(e.notes, "listing stopped at 3 entries"));
}
