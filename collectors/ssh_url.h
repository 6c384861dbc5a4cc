#pragma once
// ssh://[user@]host[:port] source syntax. Pure parsing, no I/O.
#include <string>

namespace appdiag {

struct SshTarget {
  std::string user;  // empty: the local user name (libssh's default)
  std::string host;  // without brackets for IPv6 ("::1")
  int port = 22;
};

// True when `input` starts with "ssh://" (case-insensitive scheme).
bool is_ssh_url(const std::string& input);

// Throws InputError naming `url` when it is not ssh://[user@]host[:port] with
// an optional trailing '/', a port in 1..65535 and an IPv6 host in brackets.
SshTarget parse_ssh_url(const std::string& url);

// "host:port" as shown in messages, "[::1]:2222" for IPv6.
std::string display_address(const SshTarget& target);

}  // namespace appdiag
