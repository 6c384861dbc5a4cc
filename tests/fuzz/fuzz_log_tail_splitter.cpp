// Any text as an `az webapp log tail` capture: parts map to real, increasing lines.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "collectors/log_tail_splitter.h"
#include "collectors/source_classifier.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  uint64_t lines = 1;
  for (char c : text) lines += c == '\n';
  appdiag::is_log_tail_capture(text);
  appdiag::kind_by_content(text);
  for (const auto& part : appdiag::split_log_tail(text)) {
    uint64_t previous = 0;
    for (uint64_t n = 1; n <= part.line_map.size(); ++n) {
      uint64_t line = part.line_map.at(n);
      if (line <= previous || line > lines) abort();
      previous = line;
    }
  }
  return 0;
}
