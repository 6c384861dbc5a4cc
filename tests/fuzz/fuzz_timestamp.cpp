// Any line: the timestamp parser never throws or overflows (UBSan watches).
#include <cstdint>
#include <string_view>

#include "analyzer/engine/timestamp.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  appdiag::parse_line_time(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
