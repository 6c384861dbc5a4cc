#include "collectors/bundle_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "analyzer/core/error.h"

namespace appdiag {
namespace {

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

void write_file(const std::filesystem::path& path, const std::string& bytes) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) throw InputError(located(path.string(), 0, std::string("cannot write: ") + std::strerror(errno)));
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int saved = errno;
      close(fd);
      throw InputError(located(path.string(), 0, std::string("write failed: ") + std::strerror(saved)));
    }
    done += static_cast<size_t>(n);
  }
  if (close(fd) != 0) throw InputError(located(path.string(), 0, std::string("write failed: ") + std::strerror(errno)));
}

}  // namespace

bool is_safe_path_part(const std::string& part) {
  if (part.empty() || part == "." || part == "..") return false;
  for (unsigned char c : part) {
    if (c < 0x20 || c == 0x7f || c == '/' || c == '\\') return false;
  }
  return true;
}

std::vector<std::string> write_bundle(const std::string& dir, const std::vector<SavedFile>& files) {
  std::vector<std::string> skipped;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw InputError(located(dir, 0, "cannot create the bundle folder: " + ec.message()));
  for (const SavedFile& file : files) {
    bool safe = !file.parts.empty();
    for (const auto& part : file.parts) safe = safe && is_safe_path_part(part);
    if (!safe) {
      skipped.push_back(joined(file.parts) + ": name unsafe as a local file, not saved in the bundle");
      continue;
    }
    std::filesystem::path path(dir);
    for (size_t i = 0; i + 1 < file.parts.size(); ++i) path /= file.parts[i];
    std::filesystem::create_directories(path, ec);
    if (ec) throw InputError(located(path.string(), 0, "cannot create folder: " + ec.message()));
    write_file(path / file.parts.back(), *file.bytes);
  }
  return skipped;
}

}  // namespace appdiag
