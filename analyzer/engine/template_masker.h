#pragma once
// Masks the variable parts of an error line so that lines of the same error
// fall into one template: tokens holding digits (numbers, hex ids, timestamps,
// pids), paths (tokens with '/' or '\'), and quoted values become "<*>", runs
// of them collapse into one, and leading masked tokens (timestamps, prefixes)
// are dropped. "2024-..Z KeyError: 'user_42'" -> "KeyError: <*>".
// Pure and total: any bytes in, at most kMaxTemplate bytes out; never throws.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace appdiag {

constexpr std::string_view kMask = "<*>";
constexpr size_t kMaxTemplate = 400;

std::string mask_template(std::string_view line);

// The template split on single spaces (mask_template's output has no runs of
// spaces), for Drain-style comparison of templates of equal length.
std::vector<std::string_view> template_tokens(std::string_view masked);

}  // namespace appdiag
