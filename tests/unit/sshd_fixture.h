// A real OpenSSH server on 127.0.0.1 (tests/scripts/sshd_start.sh) serving an
// App Service-shaped tree, for the SSH tests. The shared one is started once
// per ctest run by the ssh:start fixture (tests/scripts/sshd_fixture.sh),
// which names its folder in the file APPDIAG_SSHD_INFO points at; a test that
// changes the tree or freezes the server starts a private one instead.
#pragma once

#include <stdlib.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "collectors/ssh_session.h"
#include "test_support.h"

namespace appdiag::test {

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// Its user is chrooted to `tree`, so remote paths are App Service's own.
class Sshd {
 public:
  std::string dir, tree;
  int port = 0;
  std::string user, password;

  // The server of this ctest run (the ssh fixture), left running.
  static Sshd& shared() {
    static Sshd server(shared_dir(), false);
    return server;
  }
  // A server of this test's own, stopped when it goes out of scope.
  static std::string private_dir() {
    std::string pattern = "/run/appdiag-sshd-XXXXXX";  // ChrootDirectory: no world-writable parent
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    return pattern;
  }
  explicit Sshd(const std::string& folder, bool own = true) : dir(folder), tree(folder + "/tree"), own_(own) {
    if (own_) REQUIRE(std::system(("bash " + script("sshd_start.sh") + " " + dir).c_str()) == 0);
    port = std::stoi(slurp(dir + "/port"));
    user = trimmed(slurp(dir + "/user"));
    password = trimmed(slurp(dir + "/password"));
  }
  ~Sshd() {
    if (own_ && std::system(("bash " + script("sshd_stop.sh") + " " + dir).c_str()) == 0)
      std::filesystem::remove_all(dir);
  }
  Sshd(const Sshd&) = delete;
  Sshd& operator=(const Sshd&) = delete;

  std::string url() const { return "ssh://" + user + "@127.0.0.1:" + std::to_string(port); }
  std::string site() const { return "/home/site/wwwroot"; }
  std::string local(const std::string& remote) const { return tree + remote; }

  // The default roots and environ file are App Service's and right here.
  SshOptions options() const {
    SshOptions o;
    o.identity_file = dir + "/client_key";
    o.known_hosts = dir + "/known_hosts";
    o.connect_timeout_s = 5;
    o.op_timeout_s = 5;
    return o;
  }

 private:
  bool own_;
  static std::string script(const char* name) { return (source_dir() / "tests/scripts" / name).string(); }
  static std::string shared_dir() {
    const char* info = std::getenv("APPDIAG_SSHD_INFO");
    REQUIRE(info != nullptr);  // set by ctest for the tests that need the ssh fixture
    std::string folder = trimmed(slurp(info));
    REQUIRE(!folder.empty());
    return folder;
  }
};

}  // namespace appdiag::test
