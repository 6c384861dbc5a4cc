// Any text as a wwwroot listing: parsed or refused with InputError, entries
// always point at existing lines.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "analyzer/core/error.h"
#include "collectors/listing_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    appdiag::Listing listing = appdiag::parse_listing(text, "fuzz-listing.txt");
    uint64_t lines = 1;
    for (char c : text) lines += c == '\n';
    for (const auto& entry : listing.entries)
      if (entry.line > lines || entry.path.empty()) abort();
  } catch (const appdiag::InputError&) {
  }
  return 0;
}
