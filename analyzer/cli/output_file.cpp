#include "analyzer/cli/output_file.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <streambuf>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzer/core/error.h"

namespace appdiag {
namespace {

// The temporary file being written; the signal handler may only read this.
std::atomic<const char*> g_partial{nullptr};
static_assert(std::atomic<const char*>::is_always_lock_free);

std::string os_error(const std::string& path, int err) { return path + ": " + std::strerror(err); }

// An ostream buffer over a file descriptor that remembers the first write error.
class FdBuf : public std::streambuf {
 public:
  explicit FdBuf(int fd) : fd_(fd) { setp(buf_, buf_ + sizeof buf_); }
  int error() const { return error_; }

 protected:
  int overflow(int ch) override {
    if (!drain()) return traits_type::eof();
    if (ch != traits_type::eof()) {
      *pptr() = static_cast<char>(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    const char* p = pbase();
    size_t left = static_cast<size_t>(pptr() - pbase());
    while (left > 0 && error_ == 0) {
      ssize_t n = ::write(fd_, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) error_ = n < 0 ? errno : EIO;
      else p += n, left -= static_cast<size_t>(n);
    }
    setp(buf_, buf_ + sizeof buf_);
    return error_ == 0;
  }

  int fd_;
  int error_ = 0;
  char buf_[1 << 16];
};

// Runs the writer on `fd` and closes it; throws naming `path` on any failure.
void write_fd(int fd, const std::string& path, const std::function<void(std::ostream&)>& write) {
  FdBuf buf(fd);
  std::ostream out(&buf);
  write(out);
  out.flush();
  int err = buf.error();
  if (::close(fd) != 0 && err == 0 && errno != EINTR) err = errno;
  if (err != 0) throw InputError(os_error(path, err));
}

// Through our own buffer on fd 1, so a failed write keeps its errno.
void write_stdout(const std::function<void(std::ostream&)>& write) {
  if (!std::cout.flush()) throw InputError(os_error("standard output", EIO));
  FdBuf buf(STDOUT_FILENO);
  std::ostream out(&buf);
  write(out);
  out.flush();
  if (buf.error() != 0) throw InputError(os_error("standard output", buf.error()));
}

mode_t current_umask() {
  mode_t mask = ::umask(022);
  ::umask(mask);
  return mask;
}

// Write to a temporary file beside `target`, then rename it over `target`.
void write_replacing(const std::string& target, mode_t mode, const std::function<void(std::ostream&)>& write) {
  std::filesystem::path p(target);
  std::filesystem::path dir = p.has_parent_path() ? p.parent_path() : std::filesystem::path(".");
  static std::string tmp;  // outlives the handler's view of it
  tmp = (dir / ("." + p.filename().string() + ".appdiag-XXXXXX")).string();
  int fd = ::mkostemp(tmp.data(), O_CLOEXEC);  // O_CREAT|O_EXCL: never follows a planted link
  if (fd < 0) throw InputError(os_error(target, errno));
  g_partial.store(tmp.c_str());
  try {
    if (::fchmod(fd, mode) != 0) {
      int err = errno;
      ::close(fd);
      throw InputError(os_error(target, err));
    }
    write_fd(fd, target, write);
    if (::rename(tmp.c_str(), target.c_str()) != 0) throw InputError(os_error(target, errno));
  } catch (...) {
    g_partial.store(nullptr);
    ::unlink(tmp.c_str());
    throw;
  }
  g_partial.store(nullptr);
}

}  // namespace

void write_output(const std::string& path, const std::function<void(std::ostream&)>& write) {
  if (path.empty() || path == "-") return write_stdout(write);
  std::string target = path;
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    // Write through the link; the link itself stays.
    std::error_code ec;
    target = std::filesystem::canonical(path, ec).string();
    if (ec) throw InputError(path + ": a symbolic link whose target cannot be resolved (" + ec.message() + ")");
  }
  if (::stat(target.c_str(), &st) != 0) {
    if (errno != ENOENT) throw InputError(os_error(path, errno));
    return write_replacing(target, 0666 & ~current_umask(), write);
  }
  if (S_ISDIR(st.st_mode)) throw InputError(os_error(path, EISDIR));
  if (S_ISREG(st.st_mode)) return write_replacing(target, st.st_mode & 0777, write);
  // A device, FIFO or socket: written in place, never replaced.
  int fd = ::open(target.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) throw InputError(os_error(path, errno));
  write_fd(fd, path, write);
}

void remove_partial_output() noexcept {
  if (const char* p = g_partial.load()) ::unlink(p);
}

}  // namespace appdiag
