#include "analyzer/core/line_map.h"

#include <algorithm>

namespace appdiag {

LineMap::LineMap(std::initializer_list<uint64_t> lines) {
  for (uint64_t line : lines) push_back(line);
}

void LineMap::push_back(uint64_t original) {
  ++size_;
  if (!runs_.empty()) {
    const Run& last = runs_.back();
    if (last.original + (size_ - last.derived) == original) return;  // continues the last run
  }
  runs_.push_back({size_, original});
}

uint64_t LineMap::at(uint64_t derived) const {
  if (derived == 0 || derived > size_) return derived;
  // The last run starting at or before `derived`.
  auto it = std::upper_bound(runs_.begin(), runs_.end(), derived,
                             [](uint64_t line, const Run& run) { return line < run.derived; });
  --it;
  return it->original + (derived - it->derived);
}

}  // namespace appdiag
