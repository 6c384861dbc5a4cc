#include "collectors/zip_bundle.h"

#include <zip.h>

#include <cstdlib>
#include <mutex>

#include "analyzer/core/error.h"

namespace appdiag {

namespace {

// libzip converts every entry's DOS time with mktime() while reading the
// central directory; with TZ unset glibc re-reads /etc/localtime on each call
// (two stats under a lock per entry). Naming the same zone explicitly lets it
// load once. Done before main, while the process has one thread.
const bool timezone_pinned = [] { return getenv("TZ") || setenv("TZ", ":/etc/localtime", 0) == 0; }();

std::string zip_error_text(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string text = zip_error_strerror(&error);
  zip_error_fini(&error);
  return text;
}

zip_t* open_archive(const std::string& path) {
  int code = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
  if (!archive) throw InputError(path + ": not a readable zip (" + zip_error_text(code) + ")");
  return archive;
}

// Why an entry name must not be used, or "" when it is safe.
std::string unsafe_name(const std::string& name) {
  if (name.empty()) return "empty name";
  if (name[0] == '/' || name[0] == '\\' || (name.size() > 1 && name[1] == ':')) return "absolute path";
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7F) return "control character in name";
  std::string part;
  for (size_t i = 0; i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '/' || name[i] == '\\') {
      if (part == "..") return "\"..\" in path";
      part.clear();
    } else {
      part += name[i];
    }
  }
  return "";
}

// One libzip handle per zip, shared by its entries: reopening the archive per
// entry re-reads the central directory, which made a zip of N entries cost N².
// libzip handles are not thread-safe and the scanner reads sources in
// parallel, so every call on the handle holds the lock.
struct ZipArchive {
  explicit ZipArchive(const std::string& path) : handle(open_archive(path)) {}
  ~ZipArchive() { zip_discard(handle); }
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;
  zip_t* handle;
  std::mutex lock;
};

class ZipEntryStream : public ByteStream {
 public:
  ZipEntryStream(std::shared_ptr<ZipArchive> archive, zip_uint64_t index, uint64_t declared, std::string name)
      : archive_(std::move(archive)), declared_(declared), name_(std::move(name)) {
    std::lock_guard<std::mutex> lock(archive_->lock);
    file_ = zip_fopen_index(archive_->handle, index, 0);
    if (!file_) throw InputError(name_ + ": cannot open zip entry (" + zip_strerror(archive_->handle) + ")");
  }
  ~ZipEntryStream() override {
    std::lock_guard<std::mutex> lock(archive_->lock);
    zip_fclose(file_);
  }
  size_t read(char* buffer, size_t size) override {
    zip_int64_t n;
    {
      std::lock_guard<std::mutex> lock(archive_->lock);
      n = zip_fread(file_, buffer, size);
      if (n < 0) throw InputError(name_ + ": zip entry is corrupt (" + std::string(zip_file_strerror(file_)) + ")");
    }
    total_ += static_cast<uint64_t>(n);
    if (total_ > declared_) throw InputError(name_ + ": zip entry inflates past its declared size");
    return static_cast<size_t>(n);
  }

 private:
  std::shared_ptr<ZipArchive> archive_;
  zip_file_t* file_ = nullptr;
  uint64_t declared_;
  uint64_t total_ = 0;
  std::string name_;
};

}  // namespace

std::vector<BundleFile> zip_bundle_files(const std::string& zip_path, const ZipLimits& limits,
                                         std::vector<std::string>& unreadable) {
  auto shared = std::make_shared<ZipArchive>(zip_path);
  zip_t* archive = shared->handle;
  std::vector<BundleFile> files;
  zip_int64_t count = zip_get_num_entries(archive, 0);
  if (count < 0 || static_cast<uint64_t>(count) > limits.max_entries)
    throw InputError(zip_path + ": " + std::to_string(count) + " entries exceed the limit of " +
                     std::to_string(limits.max_entries));
  uint64_t total = 0, total_compressed = 0;
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    // Raw bytes: decoding a CP437 name would turn control characters into symbols.
    if (zip_stat_index(archive, i, ZIP_FL_ENC_RAW, &st) != 0 || !(st.valid & ZIP_STAT_NAME)) {
      unreadable.push_back(zip_path + ": entry " + std::to_string(i) + ": unreadable header");
      continue;
    }
    std::string name = st.name;
    if (!name.empty() && name.back() == '/') continue;  // a folder
    std::string shown = zip_path + "!" + name;
    if (std::string why = unsafe_name(name); !why.empty()) {
      unreadable.push_back(shown + ": refused (" + why + ")");
      continue;
    }
    if (st.encryption_method != ZIP_EM_NONE) {
      unreadable.push_back(shown + ": encrypted, skipped");
      continue;
    }
    if (!zip_compression_method_supported(st.comp_method, 0)) {
      unreadable.push_back(shown + ": unsupported compression method " + std::to_string(st.comp_method) + ", skipped");
      continue;
    }
    if (st.size > (1u << 20) && st.size / std::max<uint64_t>(st.comp_size, 1) > limits.max_ratio) {
      unreadable.push_back(shown + ": compression ratio " + std::to_string(st.size / std::max<uint64_t>(st.comp_size, 1)) +
                           ":1 exceeds the limit of " + std::to_string(limits.max_ratio) + ":1, skipped");
      continue;
    }
    total += st.size;
    total_compressed += st.comp_size;
    if (total > limits.max_total_uncompressed)
      throw InputError(zip_path + ": uncompressed size exceeds the limit of " +
                       std::to_string(limits.max_total_uncompressed) + " bytes (zip bomb?)");
    while (name.rfind("./", 0) == 0) name = name.substr(2);
    zip_uint64_t index = static_cast<zip_uint64_t>(i);
    uint64_t size = st.size;
    files.push_back({name, size, [shared, index, size, shown] {
                       return std::unique_ptr<ByteStream>(new ZipEntryStream(shared, index, size, shown));
                     }});
  }
  // Entries each under 1 MiB escape the per-entry check: many of them at a
  // high ratio are a bomb too, so the ratio also bounds the whole archive.
  if (total > (1u << 20) && total / std::max<uint64_t>(total_compressed, 1) > limits.max_ratio)
    throw InputError(zip_path + ": compression ratio " + std::to_string(total / std::max<uint64_t>(total_compressed, 1)) +
                     ":1 over all entries exceeds the limit of " + std::to_string(limits.max_ratio) + ":1 (zip bomb?)");
  return files;
}

}  // namespace appdiag
