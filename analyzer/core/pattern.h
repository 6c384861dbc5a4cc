#pragma once
// How every pattern of a rule pack is compiled: RE2 with bounded memory, and
// the glob syntax of `file` conditions turned into RE2.
#include <cstdint>
#include <memory>
#include <string>

#include <re2/re2.h>

namespace appdiag {

// Bounded regex memory: patterns that RE2 cannot run within it are rejected.
constexpr int64_t kPatternMaxMem = 4 << 20;
// Compiles a rule or user pattern with the bounds every pattern gets.
std::shared_ptr<const RE2> compile_pattern(const std::string& pattern, std::string* error);
// "^glob$" (at_root) or "^(?:.*/)?glob$" as an RE2 pattern: * and ? stay inside a folder, ** crosses.
std::string glob_to_regex(const std::string& glob, bool at_root);

}  // namespace appdiag
