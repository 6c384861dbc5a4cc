#include "analyzer/pack/json_locations.h"

#include <nlohmann/json.hpp>

namespace appdiag {

std::string pointer_token(std::string_view key) {
  std::string out = "/";
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

namespace {

// Deeper values are walked but not recorded: the loader rejects conditions
// nested more than 32 deep, and pointers to every level of a 30,000-deep file
// would cost memory quadratic in its depth.
constexpr size_t kMaxRecordedDepth = 64;

// Walks valid JSON text once, left to right, with an explicit stack (a deeply
// nested file cannot overflow the call stack).
class Walker {
 public:
  explicit Walker(std::string_view text) : text_(text) {}

  template <typename OnValue, typename OnKey>
  void run(OnValue on_value, OnKey on_key) {
    struct Frame {
      std::string pointer;
      bool object;
      size_t index = 0;
    };
    std::vector<Frame> stack;
    std::string pointer;  // of the value about to be read
    for (;;) {
      skip_space();
      if (at_ >= text_.size()) return;
      bool recorded = stack.size() <= kMaxRecordedDepth;
      if (recorded) on_value(pointer, here());
      char c = text_[at_];
      if (c == '{' || c == '[') {
        ++at_;
        stack.push_back({recorded ? pointer : std::string(), c == '{'});
      } else {
        skip_scalar();
      }
      // Close finished containers, then find the next value's pointer.
      for (;;) {
        if (stack.empty()) return;
        skip_space();
        Frame& top = stack.back();
        char next = at_ < text_.size() ? text_[at_] : '}';
        if (next == '}' || next == ']') {
          ++at_;
          stack.pop_back();
          continue;
        }
        if (next == ',') ++at_, skip_space();
        bool record = stack.size() <= kMaxRecordedDepth;
        if (top.object) {
          if (record) {
            TextPosition key_at = here();
            pointer = top.pointer + pointer_token(read_key());
            on_key(pointer, key_at);
          } else {
            at_ = string_end(at_);
          }
          skip_space();
          ++at_;  // ':'
        } else if (record) {
          pointer = top.pointer + "/" + std::to_string(top.index++);
        }
        break;
      }
    }
  }

 private:
  TextPosition here() {
    // Lines are counted incrementally: positions only move forward.
    for (; counted_ < at_; ++counted_) {
      if (text_[counted_] == '\n') ++line_, column_ = 1;
      else ++column_;
    }
    return {line_, column_};
  }

  void skip_space() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r'))
      ++at_;
  }

  size_t string_end(size_t from) const {  // `from` is the opening quote; returns past the closing one
    size_t i = from + 1;
    while (i < text_.size() && text_[i] != '"') i += text_[i] == '\\' ? 2 : 1;
    return std::min(i + 1, text_.size());
  }

  std::string read_key() {
    size_t end = string_end(at_);
    std::string key = nlohmann::json::parse(text_.substr(at_, end - at_)).get<std::string>();
    at_ = end;
    return key;
  }

  void skip_scalar() {
    if (text_[at_] == '"') {
      at_ = string_end(at_);
      return;
    }
    while (at_ < text_.size() && std::string_view(",]} \t\r\n").find(text_[at_]) == std::string_view::npos) ++at_;
  }

  std::string_view text_;
  size_t at_ = 0;
  size_t counted_ = 0;
  size_t line_ = 1;
  size_t column_ = 1;
};

}  // namespace

JsonLocations::JsonLocations(std::string_view text) {
  Walker(text).run(
      [&](const std::string& pointer, TextPosition at) {
        Where& w = where_[pointer];
        w.value = at;
        if (w.key.line == 0) w.key = at;  // an element or the root: its own position
      },
      [&](const std::string& pointer, TextPosition at) {
        auto [it, fresh] = where_.try_emplace(pointer);
        if (!fresh) duplicates_.push_back(pointer);
        it->second.key = at;  // the last one is the one nlohmann keeps
      });
}

TextPosition JsonLocations::key(const std::string& pointer) const {
  auto it = where_.find(pointer);
  return it == where_.end() ? TextPosition{} : it->second.key;
}

TextPosition JsonLocations::value(const std::string& pointer) const {
  auto it = where_.find(pointer);
  return it == where_.end() ? TextPosition{} : it->second.value;
}

}  // namespace appdiag
