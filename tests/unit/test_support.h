// What several unit tests need: a scratch folder, files and real zips written
// into it, the bytes of a source, and the source tree. Layer-neutral: the
// built-in rule pack is in builtin_pack.h.
#pragma once

#include <stdlib.h>
#include <zip.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/core/evidence.h"

namespace appdiag::test {

// The source tree (samples/, rules/, README.md). ctest passes it in the
// environment, not as a compile definition: that would make every checkout's
// objects differ and defeat ccache.
inline std::filesystem::path source_dir() {
  const char* dir = std::getenv("APPDIAG_SOURCE_DIR");
  REQUIRE(dir != nullptr);
  return dir;
}

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char tmpl[] = "/tmp/appdiag-test-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

inline void write_file(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

// A real zip written by libzip; entries are (name, content), each name after `prefix`.
inline void write_zip(const std::filesystem::path& path,
                      const std::vector<std::pair<std::string, std::string>>& entries,
                      const std::string& prefix = "") {
  int error = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  REQUIRE(z);
  std::vector<std::unique_ptr<std::string>> keep;  // libzip reads the buffers at close time
  for (const auto& [name, content] : entries) {
    keep.push_back(std::make_unique<std::string>(content));
    zip_source_t* src = zip_source_buffer(z, keep.back()->data(), keep.back()->size(), 0);
    REQUIRE(zip_file_add(z, (prefix + name).c_str(), src, ZIP_FL_ENC_UTF_8) >= 0);
  }
  REQUIRE(zip_close(z) == 0);
}

inline std::string read_source(const Source& s) {
  auto stream = s.open();
  std::string out;
  char buf[64 * 1024];
  for (size_t n; (n = stream->read(buf, sizeof buf)) > 0;) out.append(buf, n);
  return out;
}

}  // namespace appdiag::test
