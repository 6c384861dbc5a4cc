// Any bytes as a bundle zip: refused with InputError or read within its limits.
#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>

#include "analyzer/core/error.h"
#include "collectors/zip_bundle.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  char path[] = "/tmp/appdiag-fuzz-zip-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return 0;
  if (write(fd, data, size) != static_cast<ssize_t>(size)) {
    close(fd);
    unlink(path);
    return 0;
  }
  close(fd);
  appdiag::ZipLimits limits;
  limits.max_total_uncompressed = 16 << 20;
  std::vector<std::string> unreadable;
  try {
    for (const auto& file : appdiag::zip_bundle_files(path, limits, unreadable)) {
      try {
        auto stream = file.open();
        char buffer[4096];
        uint64_t total = 0;
        for (size_t n; (n = stream->read(buffer, sizeof buffer)) > 0;) total += n;
        if (total > file.size) abort();
      } catch (const appdiag::InputError&) {
      }
    }
  } catch (const appdiag::InputError&) {
  }
  unlink(path);
  return 0;
}
