#pragma once
// Writes gathered files as a bundle folder shaped like a downloaded one, so
// `appdiag analyze DIR` reads offline exactly what was gathered online.
#include <memory>
#include <string>
#include <vector>

namespace appdiag {

struct SavedFile {
  // Path inside the bundle, one element per folder level, e.g.
  // {"LogFiles", "2024_01_01_ab_docker.log"}. Elements may come from remote
  // names and are untrusted.
  std::vector<std::string> parts;
  std::shared_ptr<const std::string> bytes;
};

// True when `part` is safe as one path element: not empty, not "." or "..",
// no '/', no '\\', no control characters.
bool is_safe_path_part(const std::string& part);

// Creates `dir` (and parents) and writes every file below it, never following
// a symlink in the last element. A file with an unsafe part is not written:
// its joined path and why come back in the result (for Evidence::notes).
// Throws InputError naming the path when a file cannot be written.
std::vector<std::string> write_bundle(const std::string& dir, const std::vector<SavedFile>& files);

}  // namespace appdiag
