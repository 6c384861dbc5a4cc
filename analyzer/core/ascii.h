#pragma once
// ASCII-only case folding: setting names and values are compared without
// regard to ASCII case, and bytes >= 0x80 (UTF-8) are compared as they are.
// std::tolower on a plain char is undefined for those bytes and depends on
// the locale.
#include <string_view>

namespace appdiag {

constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

constexpr bool equals_ignoring_ascii_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

}  // namespace appdiag
