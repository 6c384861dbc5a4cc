#include "analyzer/engine/template_masker.h"

#include <array>

namespace appdiag {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Punctuation that frames a value rather than being part of it. A table:
// every byte of every error line passes through here.
constexpr std::array<bool, 256> kFrame = [] {
  std::array<bool, 256> table{};
  for (char c : std::string_view("()[]{}<>,;:.!?=")) table[static_cast<unsigned char>(c)] = true;
  return table;
}();
bool is_frame(char c) { return kFrame[static_cast<unsigned char>(c)]; }

bool is_variable(std::string_view core) {
  for (char c : core)
    if (is_digit(c) || c == '/' || c == '\\') return true;
  return false;
}

class Builder {
 public:
  explicit Builder(size_t expected) { out_.reserve(expected); }
  void add(std::string_view token) {
    if (token == kMask) {
      if (last_masked_) return;
      last_masked_ = true;
    } else {
      last_masked_ = false;
    }
    separate();
    out_ += token;
  }
  // A masked value inside punctuation ("(<*>)"): never collapses with a neighbour.
  void add_framed(std::string_view before, std::string_view after) {
    last_masked_ = false;
    separate();
    out_ += before;
    out_ += kMask;
    out_ += after;
  }
  // The next token continues the current one (no space between).
  void join() { joining_ = true; }
  std::string take() { return std::move(out_); }

 private:
  void separate() {
    if (!out_.empty() && !joining_) out_ += ' ';
    joining_ = false;
  }

  std::string out_;
  bool last_masked_ = false;
  bool joining_ = false;
};

void add_word(std::string_view word, Builder& b) {
  size_t lead = 0, trail = word.size();
  while (lead < trail && is_frame(word[lead])) ++lead;
  while (trail > lead && is_frame(word[trail - 1])) --trail;
  std::string_view core = word.substr(lead, trail - lead);
  if (!is_variable(core)) {
    b.add(word);
    return;
  }
  if (lead == 0 && trail == word.size()) b.add(kMask);
  else b.add_framed(word.substr(0, lead), word.substr(trail));
}

}  // namespace

std::string mask_template(std::string_view line) {
  Builder b(line.size());
  size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (is_space(c)) {
      ++i;
      continue;
    }
    // A quote opens a value only at the start of a token ("Can't" is a word).
    if ((c == '\'' || c == '"') && (i == 0 || is_space(line[i - 1]) || is_frame(line[i - 1]))) {
      size_t close = line.find(c, i + 1);
      if (close != std::string_view::npos) {
        b.add(kMask);
        i = close + 1;
        // "'x'." keeps its framing punctuation with the mask.
        if (i < line.size() && !is_space(line[i])) b.join();
        continue;
      }
    }
    size_t end = i;
    while (end < line.size() && !is_space(line[end])) {
      bool opens_quote = (line[end] == '\'' || line[end] == '"') && end > i && is_frame(line[end - 1]);
      if (opens_quote) break;
      ++end;
    }
    add_word(line.substr(i, end - i), b);
    if (end < line.size() && !is_space(line[end])) b.join();
    i = end;
  }
  std::string out = b.take();
  // Leading masks are timestamps and pids: the message starts after them.
  size_t start = 0;
  while (true) {
    size_t next = out.find(' ', start);
    std::string_view token = std::string_view(out).substr(start, next == std::string::npos ? std::string::npos : next - start);
    if (token.find(kMask) == std::string_view::npos || next == std::string::npos) break;
    start = next + 1;
  }
  out.erase(0, start);
  if (out.size() > kMaxTemplate) {
    out.resize(kMaxTemplate - std::string_view("…").size());  // the ellipsis counts too
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
    if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
    out += "…";
  }
  return out;
}

std::vector<std::string_view> template_tokens(std::string_view masked) {
  std::vector<std::string_view> tokens;
  size_t start = 0;
  while (start <= masked.size()) {
    size_t next = masked.find(' ', start);
    if (next == std::string_view::npos) next = masked.size();
    if (next > start) tokens.push_back(masked.substr(start, next - start));
    start = next + 1;
  }
  return tokens;
}

}  // namespace appdiag
