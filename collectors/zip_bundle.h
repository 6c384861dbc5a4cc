#pragma once
// A bundle zip read in place with libzip: never extracted to disk.
#include <string>
#include <vector>

#include "collectors/bundle_file.h"
#include "collectors/collect.h"

namespace appdiag {

// Lists the zip's files. Entries that are unsafe or unreadable (a ".."
// component, an absolute path, a control character in the name, encryption,
// an unsupported compression method, a compression ratio over the limit) are
// named in `unreadable` and skipped. Throws InputError naming the zip when it
// cannot be opened (corrupt, truncated) or exceeds the entry-count or total
// uncompressed-size limits (a zip bomb is refused before anything is read).
// The files share one archive handle (opened once, so cost stays linear in
// the entry count; reads from several threads take turns on it); a stream
// throws if an entry inflates past its declared size.
std::vector<BundleFile> zip_bundle_files(const std::string& zip_path, const ZipLimits& limits,
                                         std::vector<std::string>& unreadable);

}  // namespace appdiag
