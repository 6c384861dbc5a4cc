#pragma once
// Host key checking for the SSH collector.
#include <libssh/libssh.h>

#include <string>

#include "collectors/collect.h"

namespace appdiag {

// Host key policy: a known host with the same key is accepted; an unknown host
// is refused with its key type and SHA256 fingerprint unless
// accept_new_host_key, which records it in the known-hosts file; a changed key
// is always refused. Throws InputError.
void verify_host_key(ssh_session session, const std::string& label, const SshOptions& options);

}  // namespace appdiag
