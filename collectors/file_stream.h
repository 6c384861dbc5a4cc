#pragma once
// Byte streams over local files and standard input.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/core/evidence.h"

namespace appdiag {

// Opens a file for reading front to back, streamed in large reads; with
// APPDIAG_MMAP=on a regular file is mapped instead (collectors/mapped_file.h).
// Throws InputError naming the path.
std::unique_ptr<ByteStream> open_file_stream(const std::string& path);

// Byte ranges (offset, length) of a file, in the order they are read.
using FileRanges = std::vector<std::pair<uint64_t, uint64_t>>;

// Opens the given ranges of a file as one stream (a part of a split capture).
std::unique_ptr<ByteStream> open_file_ranges(const std::string& path, std::shared_ptr<const FileRanges> ranges);
// The same over an open file, which the stream takes and closes; `name` is for errors.
std::unique_ptr<ByteStream> open_fd_ranges(int fd, std::string name, std::shared_ptr<const FileRanges> ranges);

// A stream that can be read only once (standard input, a pipe, a FIFO, a
// process substitution <(...)), streamed with bounded memory. peek() returns
// up to `size` bytes from the front without consuming them, so the kind can
// be sniffed on the bytes already read; read() replays them first.
class PeekableStream : public ByteStream {
 public:
  // Takes ownership of `fd` unless it is standard input.
  PeekableStream(int fd, std::string name);
  ~PeekableStream() override;
  PeekableStream(const PeekableStream&) = delete;
  PeekableStream& operator=(const PeekableStream&) = delete;

  const std::string& peek(size_t size);
  size_t read(char* buffer, size_t size) override;

 private:
  int fd_;
  std::string name_;
  std::string head_;
  size_t head_pos_ = 0;
  bool eof_ = false;
};

// Opens a path that is not a regular file (a FIFO, /dev/fd/N) once, for peeking.
std::unique_ptr<PeekableStream> open_peekable(const std::string& path);

}  // namespace appdiag
