#pragma once
// One file of a bundle, wherever the bundle lives (a folder or a zip).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "analyzer/core/evidence.h"

namespace appdiag {

struct BundleFile {
  std::string name;  // relative to the bundle root, '/'-separated
  uint64_t size = 0;
  std::function<std::unique_ptr<ByteStream>()> open;
};

}  // namespace appdiag
