#include "collectors/ssh_url.h"

#include <strings.h>

#include <cctype>

#include "analyzer/core/error.h"

namespace appdiag {
namespace {

constexpr std::string_view kScheme = "ssh://";

[[noreturn]] void bad(const std::string& url, const std::string& why) {
  throw InputError(located(url, 0, why + " (expected ssh://[user@]host[:port])"));
}

int parse_port(const std::string& url, const std::string& text) {
  if (text.empty() || text.size() > 5) bad(url, "bad port '" + text + "'");
  for (char c : text)
    if (!std::isdigit(static_cast<unsigned char>(c))) bad(url, "bad port '" + text + "'");
  int port = std::stoi(text);
  if (port < 1 || port > 65535) bad(url, "port " + text + " out of range");
  return port;
}

bool valid_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
}

}  // namespace

bool is_ssh_url(const std::string& input) {
  return input.size() >= kScheme.size() && strncasecmp(input.c_str(), kScheme.data(), kScheme.size()) == 0;
}

SshTarget parse_ssh_url(const std::string& url) {
  if (!is_ssh_url(url)) bad(url, "not an ssh:// source");
  std::string rest = url.substr(kScheme.size());
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.find('/') != std::string::npos) bad(url, "a path is not allowed; use --site-root and --logs-root");
  SshTarget t;
  size_t at = rest.rfind('@');
  if (at != std::string::npos) {
    t.user = rest.substr(0, at);
    if (t.user.empty() || t.user.find_first_of(":@") != std::string::npos) bad(url, "bad user name");
    rest = rest.substr(at + 1);
  }
  std::string port;
  if (!rest.empty() && rest[0] == '[') {
    size_t close = rest.find(']');
    if (close == std::string::npos) bad(url, "missing ']' after IPv6 address");
    t.host = rest.substr(1, close - 1);
    std::string after = rest.substr(close + 1);
    if (!after.empty() && after[0] != ':') bad(url, "unexpected text after ']'");
    if (!after.empty()) port = after.substr(1), t.port = parse_port(url, port);
    for (char c : t.host)
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') bad(url, "bad IPv6 address");
  } else {
    size_t colon = rest.find(':');
    t.host = rest.substr(0, colon);
    if (colon != std::string::npos) t.port = parse_port(url, rest.substr(colon + 1));
    for (char c : t.host)
      if (!valid_host_char(c)) bad(url, "bad host name");
  }
  if (t.host.empty()) bad(url, "missing host");
  return t;
}

std::string display_address(const SshTarget& target) {
  bool v6 = target.host.find(':') != std::string::npos;
  return (v6 ? "[" + target.host + "]" : target.host) + ":" + std::to_string(target.port);
}

}  // namespace appdiag
