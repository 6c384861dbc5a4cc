#pragma once
// A regular file mapped into memory, read in place (ByteStream::in_place): the
// line reader takes lines straight from the mapping, so no byte is copied, and
// drops the pages it has passed, so memory stays flat. Only with
// APPDIAG_MMAP=on: by default files are read with read(), which measured
// faster on this machine kind (README, Performance).
//
// A mapped file that another process truncates while it is read would end the
// run with SIGBUS half-way through a line; instead the run stops with a
// one-line error naming the file and exit code 2.
#include <memory>
#include <string>

#include "analyzer/core/evidence.h"

namespace appdiag {

// nullptr unless APPDIAG_MMAP=on, or when `fd` is not a non-empty regular
// file or mapping fails. The file may be closed once this returns.
std::unique_ptr<ByteStream> map_file(int fd, const std::string& path);

}  // namespace appdiag
