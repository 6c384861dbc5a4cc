#pragma once
// Splits the text `az webapp log tail` (the Kudu log stream) prints back into
// the files it interleaves. The stream shows, per file, a header line naming
// it — "/home/LogFiles/2024_01_15_lw1_default_docker.log  (https://<app>.scm.
// azurewebsites.net/api/vfs/LogFiles/...)" — followed by that file's last
// lines, framed by "Starting Log Tail -n N of existing logs ----" and "Ending
// Log Tail of existing logs ---"; after "Starting Live Log Stream ---" come
// live lines. This framing is known from observed captures, not from source.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace appdiag {

struct TailPart {
  std::string log;                 // the file its header named; "live" for the live stream
  std::string text;                // its lines, each ending in '\n'
  std::vector<uint32_t> line_map;  // line i+1 of text is line line_map[i] of the capture
};

// True when the text carries the stream's framing or file headers.
bool is_log_tail_capture(std::string_view head);

// Pure: stream chrome (welcome, framing, idle markers) belongs to no part.
std::vector<TailPart> split_log_tail(std::string_view text);

}  // namespace appdiag
