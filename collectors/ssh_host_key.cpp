// Host key policy for the SSH collector (see verify_host_key in ssh_session.h).
#include <sys/stat.h>

#include <filesystem>
#include <memory>

#include "analyzer/core/error.h"
#include "collectors/ssh_host_key.h"

namespace appdiag {
namespace {

struct KeyFree {
  void operator()(ssh_key key) const { ssh_key_free(key); }
};

// "ssh-ed25519 SHA256:..." of the server's key, as `ssh` shows it.
std::string describe_server_key(ssh_session session, const std::string& label) {
  ssh_key raw = nullptr;
  if (ssh_get_server_publickey(session, &raw) != SSH_OK) {
    throw InputError(label + ": the server sent no host key: " + ssh_get_error(session));
  }
  std::unique_ptr<ssh_key_struct, KeyFree> key(raw);
  unsigned char* hash = nullptr;
  size_t length = 0;
  if (ssh_get_publickey_hash(key.get(), SSH_PUBLICKEY_HASH_SHA256, &hash, &length) != 0) {
    throw InputError(label + ": cannot hash the host key");
  }
  char* fingerprint = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length);
  ssh_clean_pubkey_hash(&hash);
  std::string text = std::string(ssh_key_type_to_char(ssh_key_type(key.get()))) + " " +
                     (fingerprint ? fingerprint : "SHA256:?");
  ssh_string_free_char(fingerprint);
  return text;
}

std::string known_hosts_name(const SshOptions& options) {
  return options.known_hosts.empty() ? "~/.ssh/known_hosts" : options.known_hosts;
}

// ssh_session_update_known_hosts appends to the file but does not create its
// folder (a fresh ~/.ssh): make it, private as OpenSSH makes it.
void ensure_known_hosts_folder(ssh_session session) {
  char* path = nullptr;
  if (ssh_options_get(session, SSH_OPTIONS_KNOWNHOSTS, &path) != SSH_OK || !path) return;
  std::filesystem::path folder = std::filesystem::path(path).parent_path();
  ssh_string_free_char(path);
  std::error_code ec;
  if (!folder.empty() && !std::filesystem::exists(folder, ec)) {
    std::filesystem::create_directories(folder, ec);
    chmod(folder.c_str(), 0700);
  }
}

}  // namespace

void verify_host_key(ssh_session session, const std::string& label, const SshOptions& options) {
  std::string key = describe_server_key(session, label);
  std::string file = known_hosts_name(options);
  switch (ssh_session_is_known_server(session)) {
    case SSH_KNOWN_HOSTS_OK:
      return;
    case SSH_KNOWN_HOSTS_CHANGED:
    case SSH_KNOWN_HOSTS_OTHER:
      throw InputError(label + ": host key changed (server now offers " + key + ", " + file +
                       " has another key); refusing to connect: check with the server owner, then remove the old entry");
    case SSH_KNOWN_HOSTS_UNKNOWN:
    case SSH_KNOWN_HOSTS_NOT_FOUND:
      break;
    case SSH_KNOWN_HOSTS_ERROR:
      throw InputError(label + ": cannot check the host key against " + file + ": " + ssh_get_error(session));
  }
  if (!options.accept_new_host_key) {
    throw InputError(label + ": unknown host key " + key + " (not in " + file +
                     "); if that is the right fingerprint, run again with --accept-new-host-key to record it");
  }
  ensure_known_hosts_folder(session);
  if (ssh_session_update_known_hosts(session) != SSH_OK) {
    throw InputError(label + ": cannot record the host key in " + file + ": " + ssh_get_error(session));
  }
}

}  // namespace appdiag
