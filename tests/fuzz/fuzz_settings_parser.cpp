// Any text as app settings / site config: parsed or refused with InputError.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "analyzer/core/error.h"
#include "collectors/settings_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    appdiag::Settings settings = appdiag::parse_settings(text, "fuzz-settings.json");
    uint64_t lines = 1;
    for (char c : text) lines += c == '\n';
    for (const auto& s : settings.items)
      if (s.line > lines) abort();
  } catch (const appdiag::InputError&) {
  }
  return 0;
}
