#pragma once
// Redaction in one place: every text that leaves the tool (reports, saved
// bundles) passes through here first, so secrets found in logs or settings are
// never shown. Keys and prefixes stay visible so a reader still sees *what*
// was there: "Password=[REDACTED];", "postgres://user:[REDACTED]@host".
#include <string>
#include <string_view>

namespace appdiag {

// The marker that replaces every secret value.
inline constexpr std::string_view kRedacted = "[REDACTED]";

// Returns `text` with secret values replaced by kRedacted. Covers connection
// string keys (Password=, Pwd=, AccountKey=, SharedAccessKey=,
// SharedAccessSignature=), credentials in URLs, NAME=value and JSON
// "NAME": "value" where NAME looks secret (*_KEY, *_SECRET, *_PASSWORD,
// *_TOKEN, ...), SAS sig=, Authorization headers and bearer tokens, JWTs,
// private key blocks (a whole block, or — when a block arrives one line at a
// time — its BEGIN line and lines that look like its base64 body) and Azure
// storage account keys. `text` may hold one line or many. Lines without any
// hint of a secret are returned unchanged after a cheap precheck.
std::string redact(std::string_view text);

// True when an app setting with this name holds a secret: the name contains
// key, secret, password, passwd, pwd, token, connectionstring, signature or
// credential (case-insensitive); PWD and OLDPWD (working directories) are not.
bool is_secret_setting_name(std::string_view name);

}  // namespace appdiag
