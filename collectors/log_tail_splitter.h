#pragma once
// Splits the text `az webapp log tail` (the Kudu log stream) prints back into
// the files it interleaves. The stream shows, per file, a header line naming
// it — "/home/LogFiles/2024_01_15_lw1_default_docker.log  (https://<app>.scm.
// azurewebsites.net/api/vfs/LogFiles/...)" — followed by that file's last
// lines, framed by "Starting Log Tail -n N of existing logs ----" and "Ending
// Log Tail of existing logs ---"; after "Starting Live Log Stream ---" come
// live lines. This framing is known from observed captures, not from source.
//
// Pasted captures often lack the file headers, and a plain log may hold one
// line that looks like a header: lines before the first header are a part of
// their own (log ""), framing included, so nothing before a header is lost.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/core/line_map.h"

namespace appdiag {

struct TailPart {
  // The file its header named; "live" for the live stream after headers;
  // "" for the lines before any header (the whole capture when it has none).
  std::string log;
  std::string text;                // its lines, each ending as in the capture (kept only when asked)
  std::string head;                // its first lines, up to kHead bytes, to sniff its kind
  LineMap line_map;                // line n of the part is line line_map.at(n) of the capture
  // Byte ranges (offset, length) of the capture holding its lines, in order.
  std::vector<std::pair<uint64_t, uint64_t>> ranges;
};

// True when the text carries the stream's framing or file headers.
bool is_log_tail_capture(std::string_view head);

// Splits a capture fed in chunks of any size, in one pass. Memory is the parts'
// line maps and ranges (plus their text when kept): a capture on disk can be
// split without holding it, then each part re-read through its ranges.
class LogTailSplitter {
 public:
  static constexpr size_t kHead = 16 * 1024;
  static constexpr size_t kMaxParts = 1000;  // files one capture may name (throws std::length_error past it)

  explicit LogTailSplitter(bool keep_text) : keep_text_(keep_text) {}
  void feed(std::string_view chunk);
  std::vector<TailPart> finish();
  uint64_t lines() const { return number_; }

 private:
  void end_line(std::string_view line, uint64_t offset);
  size_t part_for(const std::string& log);
  void append(size_t part, std::string_view line, uint64_t offset);

  bool keep_text_;
  std::vector<TailPart> parts_;
  std::vector<bool> has_content_;  // a part holding only framing is dropped when others exist
  static constexpr size_t kNone = static_cast<size_t>(-1);
  size_t current_ = kNone;
  bool seen_header_ = false;
  uint64_t number_ = 0;
  uint64_t offset_ = 0;       // bytes fed so far
  std::string pending_;       // the line being fed (only its first kClassify bytes unless text is kept)
  uint64_t pending_size_ = 0; // its full length so far
};

// Pure: the whole text at once, each part's text kept.
std::vector<TailPart> split_log_tail(std::string_view text);

}  // namespace appdiag
