#pragma once
// Byte streams over local files and standard input.
#include <memory>
#include <string>

#include "analyzer/core/evidence.h"

namespace appdiag {

// Opens a file for reading front to back, streamed in large reads; with
// APPDIAG_MMAP=on a regular file is mapped instead (collectors/mapped_file.h).
// Throws InputError naming the path.
std::unique_ptr<ByteStream> open_file_stream(const std::string& path);

// Standard input, streamed with bounded memory. peek() returns up to `size`
// bytes from the front without consuming them, so the kind can be sniffed
// before the stream is handed to the scanner; it can be read only once.
class StdinStream : public ByteStream {
 public:
  const std::string& peek(size_t size);
  size_t read(char* buffer, size_t size) override;

 private:
  std::string head_;
  size_t head_pos_ = 0;
  bool eof_ = false;
};

}  // namespace appdiag
