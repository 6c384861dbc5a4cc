// Authentication for the SSH collector (see authenticate in ssh_session.h).
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>

#include "analyzer/core/error.h"
#include "collectors/ssh_auth.h"

namespace appdiag {
namespace {

bool try_identity_file(ssh_session session, const std::string& path, const std::string& label) {
  ssh_key key = nullptr;
  if (ssh_pki_import_privkey_file(path.c_str(), nullptr, nullptr, nullptr, &key) != SSH_OK) {
    throw InputError(located(path, 0, "cannot read the private key (missing, or protected by a passphrase: use the "
                                      "SSH agent for those)") + " for " + label);
  }
  int rc = ssh_userauth_publickey(session, nullptr, key);
  ssh_key_free(key);
  return rc == SSH_AUTH_SUCCESS;
}

// Reads a line from /dev/tty with echo off; nullopt when there is no terminal.
std::optional<std::string> prompt_password(const std::string& prompt) {
  int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct termios saved {};
  bool have_termios = tcgetattr(fd, &saved) == 0;
  if (have_termios) {
    struct termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  if (write(fd, prompt.data(), prompt.size()) < 0) { /* the prompt is a courtesy */ }
  std::string line;
  char c = 0;
  while (read(fd, &c, 1) == 1 && c != '\n') line += c;
  if (have_termios) tcsetattr(fd, TCSAFLUSH, &saved);
  if (write(fd, "\n", 1) < 0) { /* as above */ }
  close(fd);
  return line;
}

std::optional<std::string> password_for(const std::string& label) {
  if (const char* env = std::getenv("APPDIAG_SSH_PASSWORD")) return std::string(env);
  return prompt_password(label + " password: ");
}

}  // namespace

void authenticate(ssh_session session, const std::string& label, const SshOptions& options) {
  if (ssh_userauth_none(session, nullptr) == SSH_AUTH_SUCCESS) return;
  int methods = ssh_userauth_list(session, nullptr);
  std::string tried;
  if (!options.identity_file.empty()) {
    if (try_identity_file(session, options.identity_file, label)) return;
    tried = "key " + options.identity_file;
  } else if (methods & SSH_AUTH_METHOD_PUBLICKEY) {
    // The agent (SSH_AUTH_SOCK) first, then ~/.ssh/id_ed25519, id_ecdsa, id_rsa.
    if (ssh_userauth_publickey_auto(session, nullptr, nullptr) == SSH_AUTH_SUCCESS) return;
    tried = "agent and default keys";
  }
  if (methods & SSH_AUTH_METHOD_PASSWORD) {
    if (auto password = password_for(label)) {
      if (ssh_userauth_password(session, nullptr, password->c_str()) == SSH_AUTH_SUCCESS) return;
      tried += std::string(tried.empty() ? "" : ", ") + "password";
    }
  }
  throw InputError(label + ": authentication failed (tried: " + (tried.empty() ? "nothing usable" : tried) +
                   "; the server said: " + ssh_get_error(session) + ")");
}

}  // namespace appdiag
