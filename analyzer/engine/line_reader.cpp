#include "analyzer/engine/line_reader.h"

#include <algorithm>
#include <cstring>

namespace appdiag {

LineReader::LineReader(ByteStream& in, size_t max_line, size_t chunk)
    : in_(in), max_line_(max_line), chunk_(chunk), whole_(in.in_place()) {
  // Not zero-filled: with 2,000 small files, clearing 1 MiB each cost more than reading them.
  if (whole_.empty()) {
    buffer_size_ = chunk + max_line + 1;
    buffer_ = std::make_unique_for_overwrite<char[]>(buffer_size_);
  }
  data_ = whole_.empty() ? buffer_.get() : whole_.data();
}

bool LineReader::fill() {
  if (eof_) return false;
  if (!whole_.empty()) return fill_in_place();
  if (begin_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  size_t n = in_.read(buffer_.get() + end_, buffer_size_ - end_);
  if (n == 0) {
    eof_ = true;
    return false;
  }
  end_ += n;
  bytes_read_ += n;
  return true;
}

// The next chunk of the stream's own bytes joins the window; nothing moves.
bool LineReader::fill_in_place() {
  if (end_ == whole_.size()) {
    eof_ = true;
    return false;
  }
  in_.release(begin_);
  size_t n = std::min(chunk_, whole_.size() - end_);
  end_ += n;
  bytes_read_ += n;
  return true;
}

void LineReader::skip_rest_of_line() {
  for (;;) {
    const char* start = data_ + begin_;
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
    const char* start = data_ + begin_;
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
    } else if (available > max_line_) {
      // More than max_line bytes and no end of line: return the head, skip the rest.
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
    line_begin_ = static_cast<size_t>(start - data_);
    line_length_ = length;
    ++line_number_;
    return true;
  }
}

std::string_view LineReader::lookahead() const {
  const char* start = data_ + line_begin_;
  size_t length = end_ - line_begin_;
  if (!eof_) {
    // Up to and including the last "\n"; a partial line may still grow.
    const void* last = memrchr(start, '\n', length);
    length = last ? static_cast<const char*>(last) - start + 1 : 0;
  }
  return std::string_view(start, std::max(length, line_length_));
}

}  // namespace appdiag
