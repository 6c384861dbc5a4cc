// Any line: masking is total and bounded.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "analyzer/engine/template_masker.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string masked = appdiag::mask_template(std::string_view(reinterpret_cast<const char*>(data), size));
  appdiag::template_tokens(masked);
  if (masked.size() > appdiag::kMaxTemplate) abort();
  return 0;
}
