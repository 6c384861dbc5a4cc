#pragma once
// Which line of the original file each line of a derived stream is: a part
// split out of an `az webapp log tail` capture, the text of a deployment JSON.
// Stored as runs of consecutive lines, so a part of millions of lines copied
// in a few long stretches costs a few runs, not one number per line.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace appdiag {

class LineMap {
 public:
  LineMap() = default;
  LineMap(std::initializer_list<uint64_t> lines);  // one original line per derived line, in order

  // The next derived line is line `original` of the original.
  void push_back(uint64_t original);
  // Line `derived` (1-based) of the derived stream as a line of the original;
  // `derived` itself when the map is empty or does not reach it.
  uint64_t at(uint64_t derived) const;
  uint64_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t runs() const { return runs_.size(); }
  bool operator==(const LineMap& other) const = default;

 private:
  struct Run {
    uint64_t derived;   // its first derived line
    uint64_t original;  // the original line of that first line
    bool operator==(const Run& other) const = default;
  };
  std::vector<Run> runs_;  // by derived line; a run lasts until the next one starts
  uint64_t size_ = 0;
};

}  // namespace appdiag
