#pragma once
// Splits a ByteStream into lines without copying each line: lines are views
// into a large read buffer, or into the stream's own bytes when it holds them
// in memory (ByteStream::in_place: a mapped file), which are then not copied at
// all; either way lines come a chunk at a time. Line numbers are exact whatever the bytes are
// (NUL, invalid UTF-8, CRLF, lines split across reads, a last line without "\n").
#include <cstdint>
#include <memory>
#include <string_view>

#include "analyzer/core/evidence.h"

namespace appdiag {

class LineReader {
 public:
  static constexpr size_t kDefaultMaxLine = 64 * 1024;
  static constexpr size_t kDefaultChunk = 1 << 20;

  // Lines longer than max_line are returned cut to max_line bytes (truncated()
  // is then true); the rest of such a line is skipped, not returned as a line.
  explicit LineReader(ByteStream& in, size_t max_line = kDefaultMaxLine,
                      size_t chunk = kDefaultChunk);

  // The next line without its "\n" or "\r\n"; false at end of stream. The
  // view stays valid until the next call.
  bool next(std::string_view& line);

  bool truncated() const { return truncated_; }
  uint64_t line_number() const { return line_number_; }  // 1-based, of the last line returned
  uint64_t bytes_read() const { return bytes_read_; }

  // Stream offset of the first byte of the last line returned.
  uint64_t line_offset() const { return bytes_read_ - end_ + line_begin_; }

  // The buffered bytes from the start of the last line returned to the end of
  // the last complete line held (to the end of the data at end of stream); at
  // least the returned line. It lets a caller search many lines at once: the
  // view stays valid, and the lines next() returns from inside it are views
  // into it, until next() returns a line starting at or past its end.
  std::string_view lookahead() const;

 private:
  bool fill();                 // reads more; false at end of stream
  bool fill_in_place();
  void skip_rest_of_line();    // after a truncated line

  ByteStream& in_;
  size_t max_line_;
  size_t chunk_;
  std::string_view whole_;     // the stream's bytes when read in place
  std::unique_ptr<char[]> buffer_;  // otherwise, what read() filled
  size_t buffer_size_ = 0;
  const char* data_;           // whole_ or buffer_; begin_ and end_ index it
  size_t begin_ = 0;
  size_t end_ = 0;
  size_t line_begin_ = 0;   // buffer index of the last line returned
  size_t line_length_ = 0;
  bool eof_ = false;
  bool truncated_ = false;
  bool skipping_ = false;
  uint64_t line_number_ = 0;
  uint64_t bytes_read_ = 0;
};

}  // namespace appdiag
