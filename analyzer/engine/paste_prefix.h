#pragma once
// Pasted logs carry what the pasting added in front of each line: `> ` when
// quoted in an issue or a mail (repeated when quoted again), and `remote: `
// when the output came back through `git push`. Patterns and timestamps are
// matched on the line without them; evidence keeps the line as written.
#include <string>
#include <string_view>

namespace appdiag {

// The line without its leading quote markers and `remote: ` prefix.
std::string_view strip_paste_prefix(std::string_view line);

// A paste lower-cased the ISO timestamp the line starts with
// ("2024-05-01t10:00:00.123z"): true, and `out` holds the line with its 't' and
// 'z' upper-cased (same length, so offsets into it are offsets into the line).
bool upcase_pasted_stamp(std::string_view line, std::string& out);

}  // namespace appdiag
