#include "collectors/ssh_session.h"

#include <fcntl.h>

#include <algorithm>
#include <memory>

#include "analyzer/core/error.h"
#include "collectors/ssh_auth.h"
#include "collectors/ssh_host_key.h"

namespace appdiag {
namespace {

std::string connect_error(ssh_session session, const SshOptions& options) {
  std::string error = ssh_get_error(session);
  if (error.find("imeout") != std::string::npos || error.find("timed out") != std::string::npos) {
    return "timed out after " + std::to_string(options.connect_timeout_s) + " s while connecting (" + error + ")";
  }
  if (error.find("refused") != std::string::npos) return "connection refused (" + error + ")";
  return "cannot connect: " + error;
}

void set_timeout(ssh_session session, int seconds) {
  long value = std::max(1, seconds);
  ssh_options_set(session, SSH_OPTIONS_TIMEOUT, &value);
}

// ls -l's link count is the second field of SFTP v3's longname.
uint32_t link_count(const char* longname) {
  if (!longname) return 1;
  std::string s(longname);
  size_t first = s.find(' ');
  if (first == std::string::npos) return 1;
  size_t start = s.find_first_not_of(' ', first);
  if (start == std::string::npos) return 1;
  uint32_t n = 0;
  for (size_t i = start; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) n = n * 10 + static_cast<uint32_t>(s[i] - '0');
  return n ? n : 1;
}

RemoteEntry entry_from(sftp_attributes a) {
  RemoteEntry e;
  e.name = a->name ? a->name : "";
  e.mode = a->permissions;
  e.size = a->size;
  e.mtime = a->mtime64 ? a->mtime64 : a->mtime;
  e.mtime_nsec = a->mtime_nseconds;
  e.nlink = link_count(a->longname);
  e.owner = a->owner ? a->owner : std::to_string(a->uid);
  e.group = a->group ? a->group : std::to_string(a->gid);
  return e;
}

std::string join(const std::string& dir, const std::string& name) {
  return dir.empty() || dir.back() == '/' ? dir + name : dir + "/" + name;
}

}  // namespace

SshSession::SshSession(const SshTarget& target, const SshOptions& options)
    : label_("ssh://" + (target.user.empty() ? "" : target.user + "@") + display_address(target)),
      op_timeout_s_(std::max(1, options.op_timeout_s)),
      watchdog_(std::make_unique<Watchdog>(std::chrono::seconds(op_timeout_s_))) {
  session_ = ssh_new();
  if (!session_) throw InputError(label_ + ": cannot create an SSH session");
  int port = target.port;
  bool process_config = false;  // never read ~/.ssh/config: behaviour must follow the command line alone
  ssh_options_set(session_, SSH_OPTIONS_HOST, target.host.c_str());
  ssh_options_set(session_, SSH_OPTIONS_PORT, &port);
  if (!target.user.empty()) ssh_options_set(session_, SSH_OPTIONS_USER, target.user.c_str());
  ssh_options_set(session_, SSH_OPTIONS_PROCESS_CONFIG, &process_config);
  if (!options.known_hosts.empty()) ssh_options_set(session_, SSH_OPTIONS_KNOWNHOSTS, options.known_hosts.c_str());
  set_timeout(session_, options.connect_timeout_s);
  try {
    if (ssh_connect(session_) != SSH_OK) throw InputError(label_ + ": " + connect_error(session_, options));
    verify_host_key(session_, label_, options);
    set_timeout(session_, options.op_timeout_s);
    WatchdogScope scope(*watchdog_, ssh_get_fd(session_));
    try {
      authenticate(session_, label_, options);
    } catch (const InputError&) {
      if (watchdog_->fired()) fail("", "authenticate");
      throw;
    }
    sftp_ = sftp_new(session_);
    if (!sftp_ || sftp_init(sftp_) != SSH_OK) {
      if (watchdog_->fired()) fail("", "start SFTP");
      throw InputError(label_ + ": the server offers no SFTP subsystem: " + ssh_get_error(session_));
    }
  } catch (...) {
    close();
    throw;
  }
}

SshSession::~SshSession() { close(); }

void SshSession::close() {
  if (sftp_) sftp_free(sftp_);
  sftp_ = nullptr;
  if (session_) {
    ssh_disconnect(session_);
    ssh_free(session_);
  }
  session_ = nullptr;
}

void SshSession::fail(const std::string& path, const std::string& what) {
  std::string target = path.empty() ? "" : " " + path;
  if (watchdog_->fired()) {
    throw InputError(label_ + ": timed out after " + std::to_string(op_timeout_s_) + " s without an answer while trying to " +
                     what + target + " (--timeout)");
  }
  int code = sftp_ ? sftp_get_error(sftp_) : 0;
  std::string error = ssh_get_error(session_);
  if (!ssh_is_connected(session_) || code == SSH_FX_NO_CONNECTION || code == SSH_FX_CONNECTION_LOST) {
    throw InputError(label_ + ": connection lost while trying to " + what + target + " (" + error + ")");
  }
  std::string reason = code == SSH_FX_PERMISSION_DENIED ? "permission denied"
                     : code == SSH_FX_NO_SUCH_FILE     ? "no such file or folder"
                                                        : "cannot " + what + " (" + error + ")";
  throw RemoteFileError(path + ": " + reason);
}

std::vector<RemoteEntry> SshSession::list(const std::string& dir) {
  WatchdogScope scope(*watchdog_, ssh_get_fd(session_));
  sftp_dir handle = sftp_opendir(sftp_, dir.c_str());
  if (!handle) fail(dir, "list");
  std::vector<RemoteEntry> entries;
  while (sftp_attributes a = sftp_readdir(sftp_, handle)) {
    entries.push_back(entry_from(a));
    sftp_attributes_free(a);
    scope.progress();
  }
  bool complete = sftp_dir_eof(handle);
  sftp_closedir(handle);
  if (!complete) fail(dir, "list");
  for (RemoteEntry& e : entries) {
    if (!e.is_link()) continue;
    char* target = sftp_readlink(sftp_, join(dir, e.name).c_str());
    if (!target && watchdog_->fired()) fail(dir, "list");
    if (target) e.link_target = target;
    ssh_string_free_char(target);
    scope.progress();
  }
  std::sort(entries.begin(), entries.end(), [](const RemoteEntry& a, const RemoteEntry& b) { return a.name < b.name; });
  return entries;
}

RemoteEntry SshSession::stat(const std::string& path) {
  WatchdogScope scope(*watchdog_, ssh_get_fd(session_));
  sftp_attributes a = sftp_lstat(sftp_, path.c_str());
  if (!a) fail(path, "read");
  RemoteEntry e = entry_from(a);
  sftp_attributes_free(a);
  return e;
}

std::string SshSession::read(const std::string& path, uint64_t offset, uint64_t max) {
  WatchdogScope scope(*watchdog_, ssh_get_fd(session_));
  sftp_file file = sftp_open(sftp_, path.c_str(), O_RDONLY, 0);
  if (!file) fail(path, "read");
  std::unique_ptr<sftp_file_struct, int (*)(sftp_file)> closer(file, sftp_close);
  if (offset && sftp_seek64(file, offset) != 0) fail(path, "read");
  std::string out;
  char buffer[32768];
  while (out.size() < max) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(sizeof buffer, max - out.size()));
    ssize_t n = sftp_read(file, buffer, want);
    if (n < 0) fail(path, "read");
    if (n == 0) break;
    out.append(buffer, static_cast<size_t>(n));
    scope.progress();
  }
  return out;
}

}  // namespace appdiag
