#include "collectors/mapped_file.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string_view>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace appdiag {

namespace {

// The live mappings, for the SIGBUS handler to name the file that shrank. A
// fixed table of atomics: the handler may read it at any moment.
struct Slot {
  std::atomic<const char*> base{nullptr};
  std::atomic<size_t> size{0};
  char path[512] = {};
};
std::array<Slot, 64> slots;
std::mutex slots_mutex;

void write_stderr(const char* text) {
  for (size_t left = std::strlen(text); left > 0;) {
    ssize_t n = ::write(2, text, left);
    if (n <= 0) return;
    text += n;
    left -= static_cast<size_t>(n);
  }
}

void on_sigbus(int sig, siginfo_t* info, void*) {
  const char* at = static_cast<const char*>(info->si_addr);
  for (const Slot& s : slots) {
    const char* base = s.base.load();
    if (base && at >= base && at < base + s.size.load()) {
      write_stderr("appdiag: ");
      write_stderr(s.path);
      write_stderr(": the file shrank while it was being read; rerun when it is not being rewritten, "
                   "or with APPDIAG_MMAP=off\n");
      _exit(2);
    }
  }
  signal(sig, SIG_DFL);  // not one of ours: the default action, as if we had not looked
  raise(sig);
}

Slot* track(const char* base, size_t size, const std::string& path) {
  static std::once_flag installed;
  std::call_once(installed, [] {
    struct sigaction action {};
    action.sa_sigaction = on_sigbus;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    sigaction(SIGBUS, &action, nullptr);
  });
  std::lock_guard<std::mutex> lock(slots_mutex);
  for (Slot& s : slots) {
    if (s.base.load()) continue;
    size_t n = std::min(path.size(), sizeof s.path - 1);
    path.copy(s.path, n);
    s.path[n] = '\0';
    s.size = size;
    s.base = base;
    return &s;
  }
  return nullptr;  // table full: the caller reads this file with read() instead
}

class MappedFile : public ByteStream {
 public:
  MappedFile(const char* base, size_t size, Slot* slot) : base_(base), size_(size), slot_(slot) {
    madvise(const_cast<char*>(base_), size_, MADV_SEQUENTIAL);
  }
  ~MappedFile() override {
    munmap(const_cast<char*>(base_), size_);
    std::lock_guard<std::mutex> lock(slots_mutex);
    slot_->base = nullptr;
  }
  size_t read(char* buffer, size_t size) override {
    size_t n = std::min(size, size_ - pos_);
    std::memcpy(buffer, base_ + pos_, n);
    pos_ += n;
    release(pos_);
    return n;
  }
  std::string_view in_place() const override { return {base_, size_}; }
  void release(uint64_t offset) override {
    static const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
    uint64_t upto = std::min<uint64_t>(offset, size_) / page * page;
    if (upto < released_ + kReleaseStep) return;
    madvise(const_cast<char*>(base_) + released_, upto - released_, MADV_DONTNEED);
    released_ = upto;
  }

 private:
  static constexpr uint64_t kReleaseStep = 8 << 20;  // fewer, larger madvise calls
  const char* base_;
  size_t size_;
  Slot* slot_;
  size_t pos_ = 0;
  uint64_t released_ = 0;
};

}  // namespace

std::unique_ptr<ByteStream> map_file(int fd, const std::string& path) {
  // read() is the default: on every benchmark shape it was as fast or faster
  // than the mapping (page faults cost more than the copy) and used less
  // memory (README, Performance). Read at each call, so a test can switch it.
  const char* env = std::getenv("APPDIAG_MMAP");
  bool on = env && std::string_view(env) == "on";
  struct stat st;
  if (!on || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) return nullptr;
  size_t size = static_cast<size_t>(st.st_size);
  void* base = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (base == MAP_FAILED) return nullptr;
  Slot* slot = track(static_cast<const char*>(base), size, path);
  if (!slot) {
    munmap(base, size);
    return nullptr;
  }
  return std::make_unique<MappedFile>(static_cast<const char*>(base), size, slot);
}

}  // namespace appdiag
