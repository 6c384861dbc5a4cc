#include "collectors/file_stream.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include "analyzer/core/error.h"
#include "collectors/mapped_file.h"

namespace appdiag {

namespace {

size_t read_fd(int fd, char* buffer, size_t size, const std::string& name) {
  for (;;) {
    ssize_t n = ::read(fd, buffer, size);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) throw InputError(name + ": read failed: " + std::strerror(errno));
  }
}

class FileStream : public ByteStream {
 public:
  FileStream(int fd, std::string path) : fd_(fd), path_(std::move(path)) {
    posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  }
  ~FileStream() override { ::close(fd_); }
  size_t read(char* buffer, size_t size) override { return read_fd(fd_, buffer, size, path_); }

 private:
  int fd_;
  std::string path_;
};

// The given byte ranges of a file, in order, read with pread: each part of a
// split capture reads only its own bytes, so all parts together read the file once.
class RangeStream : public ByteStream {
 public:
  RangeStream(int fd, std::string path, std::shared_ptr<const FileRanges> ranges)
      : fd_(fd), path_(std::move(path)), ranges_(std::move(ranges)) {}
  ~RangeStream() override { ::close(fd_); }
  size_t read(char* buffer, size_t size) override {
    while (next_ < ranges_->size()) {
      auto [offset, length] = (*ranges_)[next_];
      if (done_ == length) {
        ++next_;
        done_ = 0;
        continue;
      }
      size_t want = static_cast<size_t>(std::min<uint64_t>(size, length - done_));
      ssize_t n = ::pread(fd_, buffer, want, static_cast<off_t>(offset + done_));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw InputError(path_ + ": read failed: " + std::strerror(errno));
      if (n == 0) throw InputError(path_ + ": file shrank while being read");
      done_ += static_cast<uint64_t>(n);
      return static_cast<size_t>(n);
    }
    return 0;
  }

 private:
  int fd_;
  std::string path_;
  std::shared_ptr<const FileRanges> ranges_;
  size_t next_ = 0;
  uint64_t done_ = 0;  // bytes of ranges_[next_] already returned
};

}  // namespace

std::unique_ptr<ByteStream> open_file_ranges(const std::string& path, std::shared_ptr<const FileRanges> ranges) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(path + ": " + std::strerror(errno));
  return open_fd_ranges(fd, path, std::move(ranges));
}

std::unique_ptr<ByteStream> open_fd_ranges(int fd, std::string name, std::shared_ptr<const FileRanges> ranges) {
  return std::make_unique<RangeStream>(fd, std::move(name), std::move(ranges));
}

std::unique_ptr<ByteStream> open_file_stream(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(path + ": " + std::strerror(errno));
  if (auto mapped = map_file(fd, path)) {
    ::close(fd);
    return mapped;
  }
  return std::make_unique<FileStream>(fd, path);
}

PeekableStream::PeekableStream(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}

PeekableStream::~PeekableStream() {
  if (fd_ != STDIN_FILENO) ::close(fd_);
}

std::unique_ptr<PeekableStream> open_peekable(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(path + ": " + std::strerror(errno));
  return std::make_unique<PeekableStream>(fd, path);
}

const std::string& PeekableStream::peek(size_t size) {
  while (!eof_ && head_.size() < size) {
    size_t old = head_.size();
    head_.resize(size);
    size_t n = read_fd(fd_, head_.data() + old, size - old, name_);
    head_.resize(old + n);
    eof_ = n == 0;
  }
  return head_;
}

size_t PeekableStream::read(char* buffer, size_t size) {
  if (head_pos_ < head_.size()) {
    size_t n = std::min(size, head_.size() - head_pos_);
    std::memcpy(buffer, head_.data() + head_pos_, n);
    head_pos_ += n;
    return n;
  }
  if (eof_) return 0;
  return read_fd(fd_, buffer, size, name_);
}

}  // namespace appdiag
