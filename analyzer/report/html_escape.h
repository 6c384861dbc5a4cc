#pragma once
// Untrusted text (log lines, file names, captures) inside HTML or XML, as
// element content or a quoted attribute value.
#include <string>
#include <string_view>

namespace appdiag {

// & < > " ' become entities; line breaks stay; other control characters and
// invalid UTF-8 become visible \xNN (as in the terminal), so the result is
// also valid XML 1.0.
std::string escape_markup(std::string_view text);

}  // namespace appdiag
