#pragma once
// "Did you mean ...?" for a mistyped name (subcommand, option, format, rule id).
#include <string>
#include <string_view>
#include <vector>

namespace appdiag {

// The candidate closest to `word` by edit distance when it is close enough to
// be a typo (at most a third of the word's length, at least 1), else "".
std::string closest_name(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean NAME?)" for closest_name(), or "" when there is none.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace appdiag
