#pragma once
// Untrusted text (log lines, remote file names) never reaches a terminal raw.
#include <string>
#include <string_view>

namespace appdiag {

// Control characters (ESC, CR, BEL, ...), DEL and bytes that are not valid
// UTF-8 become \xNN; tabs and valid UTF-8 stay as they are.
std::string escape_for_terminal(std::string_view text);

// Length of the valid UTF-8 sequence starting at text[i], 0 if invalid.
size_t utf8_sequence_length(std::string_view text, size_t i);

}  // namespace appdiag
