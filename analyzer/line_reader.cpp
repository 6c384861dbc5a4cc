#include "analyzer/line_reader.h"

#include <algorithm>
#include <cstring>

namespace appdiag {

LineReader::LineReader(ByteStream& in, size_t max_line, size_t chunk)
    : in_(in), max_line_(max_line), buffer_(chunk + max_line + 1) {}

bool LineReader::fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  size_t n = in_.read(buffer_.data() + end_, buffer_.size() - end_);
  if (n == 0) {
    eof_ = true;
    return false;
  }
  end_ += n;
  bytes_read_ += n;
  return true;
}

void LineReader::skip_rest_of_line() {
  for (;;) {
    const char* start = buffer_.data() + begin_;
    const void* nl = std::memchr(start, '\n', end_ - begin_);
    if (nl) {
      begin_ += static_cast<const char*>(nl) - start + 1;
      skipping_ = false;
      return;
    }
    begin_ = end_;
    if (!fill()) {
      skipping_ = false;
      return;
    }
  }
}

bool LineReader::next(std::string_view& line) {
  if (skipping_) skip_rest_of_line();
  truncated_ = false;
  for (;;) {
    const char* start = buffer_.data() + begin_;
    size_t available = end_ - begin_;
    const void* nl = std::memchr(start, '\n', available);
    size_t length;
    if (nl) {
      length = static_cast<const char*>(nl) - start;
      if (length > max_line_) {
        length = max_line_;
        truncated_ = true;
        begin_ += static_cast<const char*>(nl) - start + 1;
      } else {
        begin_ += length + 1;
      }
    } else if (available >= max_line_) {
      // No end of line within max_line bytes: return the head, skip the rest.
      length = max_line_;
      truncated_ = true;
      skipping_ = true;
      begin_ += max_line_;
    } else if (!eof_) {
      fill();  // moves the buffer: start and available are recomputed
      continue;
    } else if (available > 0) {
      length = available;  // last line without "\n"
      begin_ = end_;
    } else {
      return false;
    }
    if (!truncated_ && length > 0 && start[length - 1] == '\r') --length;
    line = std::string_view(start, length);
    line_begin_ = static_cast<size_t>(start - buffer_.data());
    line_length_ = length;
    ++line_number_;
    return true;
  }
}

std::string_view LineReader::lookahead() const {
  const char* start = buffer_.data() + line_begin_;
  size_t length = end_ - line_begin_;
  if (!eof_) {
    // Up to and including the last "\n"; a partial line may still grow.
    const void* last = memrchr(start, '\n', length);
    length = last ? static_cast<const char*>(last) - start + 1 : 0;
  }
  return std::string_view(start, std::max(length, line_length_));
}

}  // namespace appdiag
