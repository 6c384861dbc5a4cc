#pragma once
// A temporary file that has no name: made in $TMPDIR (else /tmp) with
// O_TMPFILE, or made and unlinked at once where O_TMPFILE is not supported,
// so it is gone when the process ends however it ends. A stream that can be
// read only once (a pipe, a zip entry) is written here as it is read, so that
// memory stays flat however long the stream runs, and then re-read by ranges.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "collectors/file_stream.h"

namespace appdiag {

class SpoolFile {
 public:
  // `name` is the input being spooled, named in every error (InputError).
  explicit SpoolFile(std::string name);
  ~SpoolFile();
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;

  void append(std::string_view bytes);
  uint64_t size() const { return size_; }
  // The given ranges of what was appended, as one stream; any number may be open.
  std::unique_ptr<ByteStream> open_ranges(std::shared_ptr<const FileRanges> ranges) const;
  // Where spool files are made: $TMPDIR when set and not empty, else /tmp.
  static std::string folder();

 private:
  std::string name_;
  std::string folder_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

}  // namespace appdiag
