#pragma once
// A connected, host-verified, authenticated SSH session with an SFTP channel.
// Everything is read through SFTP: no command line is ever built from input.
#include <libssh/libssh.h>
#include <libssh/sftp.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "collectors/collect.h"
#include "collectors/ls_render.h"
#include "collectors/ssh_watchdog.h"
#include "collectors/ssh_url.h"

namespace appdiag {

// One remote file or folder could not be read (permission denied, missing);
// the gather goes on. Session-wide failures (timeout, lost connection) are
// InputError instead.
class RemoteFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SshSession {
 public:
  // Connects within options.connect_timeout_s, checks the host key (see
  // verify_host_key), authenticates (see authenticate) and starts SFTP; later
  // operations each time out after options.op_timeout_s without progress
  // (the connection is then closed and InputError thrown). Throws InputError
  // "ssh://host:port: <reason>" on any failure.
  SshSession(const SshTarget& target, const SshOptions& options);
  ~SshSession();
  SshSession(const SshSession&) = delete;
  SshSession& operator=(const SshSession&) = delete;

  // Entries of `dir` ("." and ".." included), sorted by name bytewise as
  // `LC_ALL=C ls` sorts them; symlink targets filled in.
  std::vector<RemoteEntry> list(const std::string& dir);
  // lstat of `path`.
  RemoteEntry stat(const std::string& path);
  // At most `max` bytes of `path` from `offset`.
  std::string read(const std::string& path, uint64_t offset, uint64_t max);

  // "ssh://host:port" for messages.
  const std::string& label() const { return label_; }

 private:
  void close();
  [[noreturn]] void fail(const std::string& path, const std::string& what);

  ssh_session session_ = nullptr;
  sftp_session sftp_ = nullptr;
  std::string label_;
  int op_timeout_s_ = 30;
  std::unique_ptr<Watchdog> watchdog_;  // bounds every blocking call after connect
};

}  // namespace appdiag
