#include "analyzer/core/text_escape.h"

namespace appdiag {

size_t utf8_sequence_length(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  if (n == 2 && c < 0xC2) return 0;  // overlong
  // What the bit pattern admits but UTF-8 (and XML) does not: overlong forms,
  // UTF-16 surrogates, code points above U+10FFFF, and the non-characters
  // U+FFFE/U+FFFF that make an XML file not well-formed.
  unsigned char c1 = n > 1 ? byte(i + 1) : 0;
  if (n == 3 && ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0))) return 0;
  if (n == 3 && c == 0xEF && c1 == 0xBF && byte(i + 2) >= 0xBE) return 0;
  if (n == 4 && ((c == 0xF0 && c1 < 0x90) || c > 0xF4 || (c == 0xF4 && c1 >= 0x90))) return 0;
  // C1 controls (U+0080..U+009F) act as escape sequences on some terminals.
  if (n == 2 && c == 0xC2 && byte(i + 1) < 0xA0) return 0;
  return n;
}

std::string escape_for_terminal(std::string_view text) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t n = utf8_sequence_length(text, i);
    bool control = n == 1 && ((c < 0x20 && c != '\t') || c == 0x7F);
    if (n == 0 || control) {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 0xF];
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace appdiag
