#pragma once
// Client authentication for the SSH collector.
#include <libssh/libssh.h>

#include <string>

#include "collectors/collect.h"

namespace appdiag {

// Tries, in order: the -i key (only it, when given); else the SSH agent and
// the default keys (~/.ssh/id_ed25519, ...); then a password from
// APPDIAG_SSH_PASSWORD or, when a terminal exists, prompted on /dev/tty
// without echo. Throws InputError when none is accepted.
void authenticate(ssh_session session, const std::string& label, const SshOptions& options);

}  // namespace appdiag
