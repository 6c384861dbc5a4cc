#pragma once
// The built-in pack's literal prefilters, one per source kind, serialized
// when appdiag was built (prefilter_gen.cpp writes the definition). A run
// loads them instead of compiling: compiling costs about 40 ms of CPU a kind,
// more than scanning 64 MB of an access log. A pack with more rules
// (--rules DIR) has other patterns, and the scanner compiles its own.
#include <string_view>
#include <vector>

namespace appdiag {

const std::vector<std::string_view>& precompiled_prefilters();

}  // namespace appdiag
