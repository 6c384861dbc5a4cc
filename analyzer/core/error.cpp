#include "analyzer/core/error.h"

namespace appdiag {

std::string located(const std::string& file, uint64_t line, const std::string& message) {
  if (line == 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ": " + message;
}

}  // namespace appdiag
