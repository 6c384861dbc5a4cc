// Any bytes, read in any split or in place: line count and content agree with a plain split.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "analyzer/engine/line_reader.h"

namespace {
class SplitStream : public appdiag::ByteStream {
 public:
  SplitStream(const std::string& bytes, size_t step, bool in_place)
      : bytes_(bytes), step_(step), in_place_(in_place) {}
  size_t read(char* buffer, size_t size) override {
    size_t n = std::min({size, step_, bytes_.size() - pos_});
    bytes_.copy(buffer, n, pos_);
    pos_ += n;
    return n;
  }
  std::string_view in_place() const override { return in_place_ ? std::string_view(bytes_) : std::string_view(); }

 private:
  const std::string& bytes_;
  size_t step_;
  bool in_place_;
  size_t pos_ = 0;
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t step = 1 + data[0] % 17;
  size_t max_line = 1 + data[size - 1] % 64;
  std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  SplitStream in(bytes, step, data[0] >= 128);
  appdiag::LineReader reader(in, max_line, 8);
  std::string_view line;
  size_t pos = 0;
  uint64_t count = 0;
  while (reader.next(line)) {
    ++count;
    size_t nl = bytes.find('\n', pos);
    std::string expected = bytes.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    if (!reader.truncated() && !expected.empty() && expected.back() == '\r') expected.pop_back();
    if (reader.truncated()) expected = expected.substr(0, max_line);
    if (std::string(line) != expected || reader.line_number() != count) abort();
    pos = nl == std::string::npos ? bytes.size() : nl + 1;
  }
  if (pos != bytes.size()) abort();
  return 0;
}
