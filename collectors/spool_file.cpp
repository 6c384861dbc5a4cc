#include "collectors/spool_file.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <utility>

#include "analyzer/core/error.h"

namespace appdiag {

namespace {

// O_TMPFILE where the kernel and file system have it; else mkstemp, unlinked
// before it is used. -1 with errno set when neither works.
int make_unnamed(const std::string& folder) {
  int fd = ::open(folder.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)) return fd;
  std::string path = folder + "/appdiag-spool-XXXXXX";
  fd = ::mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0) return -1;
  if (::unlink(path.c_str()) != 0) {
    int error = errno;
    ::close(fd);
    errno = error;
    return -1;
  }
  return fd;
}

}  // namespace

std::string SpoolFile::folder() {
  const char* dir = std::getenv("TMPDIR");
  return dir && *dir ? dir : "/tmp";
}

SpoolFile::SpoolFile(std::string name) : name_(std::move(name)), folder_(folder()) {
  fd_ = make_unnamed(folder_);
  if (fd_ < 0)
    throw InputError(name_ + ": cannot make a temporary file in " + folder_ + " ($TMPDIR) to spool it: " +
                     std::strerror(errno));
}

SpoolFile::~SpoolFile() { ::close(fd_); }

void SpoolFile::append(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      throw InputError(name_ + ": writing its temporary file in " + folder_ + " ($TMPDIR) failed after " +
                       std::to_string(size_ >> 20) + " MiB: " + std::strerror(errno));
    bytes.remove_prefix(static_cast<size_t>(n));
    size_ += static_cast<uint64_t>(n);
  }
}

std::unique_ptr<ByteStream> SpoolFile::open_ranges(std::shared_ptr<const FileRanges> ranges) const {
  int fd = ::fcntl(fd_, F_DUPFD_CLOEXEC, 0);
  if (fd < 0) throw InputError(name_ + ": reopening its temporary file failed: " + std::strerror(errno));
  return open_fd_ranges(fd, name_, std::move(ranges));
}

}  // namespace appdiag
