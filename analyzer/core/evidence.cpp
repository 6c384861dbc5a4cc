#include "analyzer/core/evidence.h"

#include <algorithm>
#include <cstring>
#include <strings.h>

namespace appdiag {

namespace {
constexpr std::string_view kKindNames[] = {"deploy", "platform", "app", "listing", "settings"};

class MemoryStream : public ByteStream {
 public:
  explicit MemoryStream(std::shared_ptr<const std::string> bytes) : bytes_(std::move(bytes)) {}
  size_t read(char* buffer, size_t size) override {
    size_t n = std::min(size, bytes_->size() - pos_);
    std::memcpy(buffer, bytes_->data() + pos_, n);
    pos_ += n;
    return n;
  }
  std::string_view in_place() const override { return *bytes_; }

 private:
  std::shared_ptr<const std::string> bytes_;
  size_t pos_ = 0;
};
}  // namespace

std::string_view to_string(SourceKind kind) { return kKindNames[static_cast<int>(kind)]; }

std::optional<SourceKind> parse_source_kind(std::string_view name) {
  for (size_t i = 0; i < std::size(kKindNames); ++i)
    if (kKindNames[i] == name) return static_cast<SourceKind>(i);
  return std::nullopt;
}

bool is_log_kind(SourceKind kind) {
  return kind == SourceKind::Deploy || kind == SourceKind::Platform || kind == SourceKind::App;
}

std::unique_ptr<ByteStream> memory_stream(std::shared_ptr<const std::string> bytes) {
  return std::make_unique<MemoryStream>(std::move(bytes));
}

Source memory_source(SourceKind kind, std::string name, std::string text) {
  Source s;
  s.kind = kind;
  s.name = std::move(name);
  auto bytes = std::make_shared<const std::string>(std::move(text));
  s.size = bytes->size();
  s.open = [bytes] { return memory_stream(bytes); };
  return s;
}

const Setting* Settings::find(std::string_view name) const {
  const Setting* found = nullptr;
  for (const Setting& s : items)
    if (s.name.size() == name.size() && strncasecmp(s.name.data(), name.data(), name.size()) == 0)
      found = &s;
  return found;
}

}  // namespace appdiag
