#include "analyzer/core/redactor.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>

#include <re2/re2.h>

#include "analyzer/core/ascii.h"

namespace appdiag {
namespace {

// Words that mark a setting or variable name as holding a secret.
constexpr std::array<std::string_view, 9> kSecretWords = {
    "key", "secret", "password", "passwd", "pwd", "token", "connectionstring", "signature", "credential"};

// The part of a NAME that makes it secret, as it appears before '=' or ':'.
// Ends at the name's end, so TOKEN_COUNT=5 or KEY_VAULT_URL=... are left alone;
// "key" counts only as *_KEY or a known compound (AccountKey), not in words like
// monkey; "pwd" only as *_PWD here (PWD=/home/site is the working directory)
// and as a connection string key below.
#define SECRET_NAME \
  "[A-Za-z0-9_.-]*(?:secret|password|passwd|[_.-]pwd|token|[_.-]key|apikey|accountkey|accesskey|signature|credential|" \
  "connectionstring)"

struct Replacement {
  std::unique_ptr<RE2> regex;
  std::string rewrite;
  // Lower-case literals of which every match holds one: a line holding none
  // skips the regex ("://" alone hints at every URL in a log).
  std::vector<std::string_view> keys;
};

// What every SECRET_NAME holds one of.
const std::vector<std::string_view> kSecretNameKeys = {"secret", "passw", "pwd", "token", "key",
                                                       "signature", "credential", "connectionstring"};

std::unique_ptr<RE2> compile(const char* pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_case_sensitive(false);
  return std::make_unique<RE2>(pattern, options);
}

const std::vector<Replacement>& replacements() {
  static const std::vector<Replacement> list = [] {
    std::vector<Replacement> r;
    auto add = [&r](const char* pattern, const char* rewrite, std::vector<std::string_view> keys) {
      r.push_back({compile(pattern), rewrite, std::move(keys)});
    };
    // A private key block, whole when it is all here, else from BEGIN to the end.
    add(R"((-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----)(?s:.*?)(-----END [A-Z0-9 ]*PRIVATE KEY-----|\z))",
        "\\1[REDACTED]\\2", {"-----begin"});
    add(R"(\beyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)", "[REDACTED]", {"eyj"});
    // A password may hold '@' (p@ssW0rd): it runs to the last '@' before the host.
    add(R"(\b([a-z][a-z0-9+.-]*://[^/\s:@'"]*):[^/\s'"]*@)", "\\1:[REDACTED]@", {"@"});
    add(R"(\b(authorization\s*:\s*(?:basic|bearer|token|sharedaccesssignature)?\s*)[^\s"',;]+)", "\\1[REDACTED]", {"authorization"});
    add(R"(\b(bearer\s+)[A-Za-z0-9._~+/-]+=*)", "\\1[REDACTED]", {"bearer"});
    add(R"(([?&]sig=)[^&\s"']+)", "\\1[REDACTED]", {"sig="});
    // The same signature percent-encoded inside another URL: up to the next %26 ('&').
    add(R"(((?:%26|%3F)sig%3D)(?:[^&%\s"']|%[013-9A-F][0-9A-F]|%2[0-57-9A-F])+)", "\\1[REDACTED]", {"sig%3d"});
    // Pwd= only as a connection string key; PWD=/home/site is a working directory.
    add(R"((^|[;"'\s])(pwd\s*=\s*)[^;\s"'/][^;\s"']*)", "\\1\\2[REDACTED]", {"pwd"});
    // JSON and Python reprs: "NAME": "value", 'NAME': 'value' (Django's DATABASES in a traceback).
    add(R"re((["'])re" SECRET_NAME R"re(["']\s*:\s*)"(?:[^"\\]|\\.)*")re", "\\1\"[REDACTED]\"", kSecretNameKeys);
    add(R"re((["'])re" SECRET_NAME R"re(["']\s*:\s*)'(?:[^'\\]|\\.)*')re", "\\1'[REDACTED]'", kSecretNameKeys);
    // A value never starts with '=': "tiktoken==0.7.0" is a pip requirement, not an assignment.
    add(R"re(\b()re" SECRET_NAME R"re(\s*=\s*)(?:"[^"]*"|'[^']*'|[^\s;&,"'=][^\s;&,"']*))re", "\\1[REDACTED]", kSecretNameKeys);
    // YAML, HTTP headers and tables: "DB_PASSWORD: x", "x-api-key: x", "AZURE_CLIENT_SECRET<TAB>x".
    add(R"re(\b()re" SECRET_NAME R"re((?:\s*:[ \t]*|[ \t]*\t[ \t]*))(?:"[^"]*"|'[^']*'|[^\s;,"'][^\s;,"']*))re", "\\1[REDACTED]", kSecretNameKeys);
    // Command-line options: "--password x", "--client-secret x".
    add(R"re(((?:^|\s)--?)re" SECRET_NAME R"re([ \t]+)[^\s-]\S*)re", "\\1[REDACTED]", kSecretNameKeys);
    // GitHub tokens (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_) wherever they appear.
    add(R"(\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}))", "[REDACTED]",
        {"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"});
    // Azure storage account keys: 64 random bytes in base64.
    add(R"((^|[^A-Za-z0-9+/])[A-Za-z0-9+/]{86}==)", "\\1[REDACTED]", {"=="});
    return r;
  }();
  return list;
}

// Cheap test for anything the replacements above could match: one DFA pass
// over literals, so lines without a secret cost little.
bool may_hold_secret(std::string_view text) {
  static const std::unique_ptr<RE2> hint =
      compile("pass|pwd|key|secret|token|sig|bearer|authoriz|credential|eyj|://|==|gh[pousr]_");
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *hint);
}

std::string ascii_lower_copy(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), ascii_lower);
  return lower;
}

// Runs, in order, each replacement whose keys the text holds as it is then
// (the lower-case copy is made again after each rewrite): the same result as
// running every replacement, without a regex pass per replacement per line.
// Text beyond ASCII runs them all: RE2 folds case by Unicode (the Kelvin sign
// matches k), which an ASCII key would miss.
void apply_replacements(std::string& out) {
  bool ascii = std::all_of(out.begin(), out.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  std::string lower = ascii_lower_copy(out);
  for (const Replacement& r : replacements()) {
    bool keyed = !ascii || std::any_of(r.keys.begin(), r.keys.end(), [&](std::string_view key) {
      return lower.find(key) != std::string::npos;
    });
    if (keyed && RE2::GlobalReplace(&out, *r.regex, r.rewrite) > 0) lower = ascii_lower_copy(out);
  }
}

bool is_base64_char(char c) {  // ASCII only: isalnum is a call per byte and depends on the locale
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

// A line of a PEM body: only base64, long, and mixing upper case, lower case
// and digits (so words, hex hashes and numbers do not qualify).
bool looks_like_key_body(std::string_view line) {
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.remove_suffix(1);
  while (!line.empty() && line.back() == '=') line.remove_suffix(1);
  if (line.size() < 40) return false;
  bool upper = false, lower = false, digit = false;
  for (char c : line) {
    if (!is_base64_char(c)) return false;
    upper |= std::isupper(static_cast<unsigned char>(c)) != 0;
    lower |= std::islower(static_cast<unsigned char>(c)) != 0;
    digit |= std::isdigit(static_cast<unsigned char>(c)) != 0;
  }
  return upper && lower && digit;
}

// Replaces key-body lines, keeping their indentation and line ends.
std::string redact_key_bodies(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    size_t indent = 0;
    while (indent < line.size() && (line[indent] == ' ' || line[indent] == '\t')) ++indent;
    if (looks_like_key_body(line.substr(indent))) {
      out.append(line.substr(0, indent)).append(kRedacted);
      if (!line.empty() && line.back() == '\r') out.push_back('\r');
    } else {
      out.append(line);
    }
    if (end < text.size()) out.push_back('\n');
    start = end + 1;
  }
  return out;
}

bool has_long_base64_run(std::string_view text) {
  size_t run = 0;
  for (char c : text) {
    run = is_base64_char(c) ? run + 1 : 0;
    if (run >= 40) return true;
  }
  return false;
}

}  // namespace

std::string redact(std::string_view text) {
  bool hinted = may_hold_secret(text);
  bool body = has_long_base64_run(text);
  if (!hinted && !body) return std::string(text);
  std::string out = body ? redact_key_bodies(text) : std::string(text);
  if (hinted) apply_replacements(out);
  return out;
}

bool is_secret_setting_name(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), ascii_lower);  // not the locale's tolower
  if (lower == "pwd" || lower == "oldpwd") return false;  // the shell's working directory
  return std::any_of(kSecretWords.begin(), kSecretWords.end(),
                     [&lower](std::string_view word) { return lower.find(word) != std::string::npos; });
}

}  // namespace appdiag
