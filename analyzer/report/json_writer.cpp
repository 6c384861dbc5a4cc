#include "analyzer/report/json_writer.h"

#include <array>

#include <nlohmann/json.hpp>

namespace appdiag {

namespace {

constexpr size_t kFlushAt = 64 << 10;

// Length of the well-formed UTF-8 sequence at text[i] (no overlong forms,
// surrogates or code points past U+10FFFF: what nlohmann's decoder accepts);
// 0 when it is not one.
size_t utf8_sequence(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return k < text.size() ? static_cast<unsigned char>(text[k]) : 0u; };
  unsigned char c = byte(i);
  auto cont = [&](size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) { return byte(k) >= lo && byte(k) <= hi; };
  if (c >= 0xC2 && c <= 0xDF) return cont(i + 1) ? 2 : 0;
  if (c == 0xE0) return cont(i + 1, 0xA0) && cont(i + 2) ? 3 : 0;
  if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(i + 1) && cont(i + 2) ? 3 : 0;
  if (c == 0xED) return cont(i + 1, 0x80, 0x9F) && cont(i + 2) ? 3 : 0;
  if (c == 0xF0) return cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  if (c >= 0xF1 && c <= 0xF3) return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  if (c == 0xF4) return cont(i + 1, 0x80, 0x8F) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  return 0;
}

// What a byte asks of a JSON string: nothing, an escape, or a check that it
// starts a UTF-8 sequence. One table look-up per byte in the common case.
enum ByteClass : uint8_t { kPlain, kEscape, kHigh };

constexpr std::array<ByteClass, 256> kByteClass = [] {
  std::array<ByteClass, 256> table{};
  for (size_t c = 0; c < 256; ++c)
    table[c] = c < 0x20 || c == '"' || c == '\\' ? kEscape : c >= 0x80 ? kHigh : kPlain;
  return table;
}();

void append_escape(std::string& buf, unsigned char c) {
  static const char hex[] = "0123456789abcdef";
  switch (c) {
    case '"': buf += "\\\""; break;
    case '\\': buf += "\\\\"; break;
    case '\b': buf += "\\b"; break;
    case '\f': buf += "\\f"; break;
    case '\n': buf += "\\n"; break;
    case '\r': buf += "\\r"; break;
    case '\t': buf += "\\t"; break;
    default: buf += "\\u00", buf += hex[c >> 4], buf += hex[c & 0xF];
  }
}

}  // namespace

JsonWriter& JsonWriter::key(std::string_view name) {
  Level& level = levels_.back();
  if (level.members++ > 0) buf_ += ',';
  newline_indent(levels_.size());
  quoted(name);
  buf_ += ": ";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  before_value();
  quoted(text);
  return *this;
}

JsonWriter& JsonWriter::value(bool b) {
  before_value();
  buf_ += b ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::value(std::nullptr_t) {
  before_value();
  buf_ += "null";
  return *this;
}

JsonWriter& JsonWriter::open(char bracket) {
  before_value();
  buf_ += bracket;
  levels_.push_back({bracket == '{' ? '}' : ']'});
  return *this;
}

JsonWriter& JsonWriter::close(char bracket) {
  Level level = levels_.back();
  levels_.pop_back();
  if (level.members > 0) newline_indent(levels_.size());
  buf_ += bracket;
  return *this;
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (levels_.empty()) return;
  if (levels_.back().members++ > 0) buf_ += ',';
  newline_indent(levels_.size());
}

void JsonWriter::newline_indent(size_t depth) {
  buf_ += '\n';
  buf_.append(depth * 2, ' ');
}

// Escapes as nlohmann does with ensure_ascii off: the two-letter escapes,
// \u00xx for other control characters, UTF-8 as it is. A string that is not
// UTF-8 (logs are bytes) goes through nlohmann itself, whose replacement of
// bad bytes is the reference.
void JsonWriter::quoted(std::string_view text) {
  size_t mark = buf_.size();
  buf_ += '"';
  size_t run = 0;  // start of the bytes not written yet
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    ByteClass kind = kByteClass[c];
    if (kind == kPlain) {
      ++i;
    } else if (kind == kHigh) {
      size_t n = utf8_sequence(text, i);
      if (n == 0) {
        buf_.resize(mark);
        buf_ += nlohmann::ordered_json(std::string(text)).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
        return;
      }
      i += n;
    } else {
      buf_.append(text.data() + run, i - run);
      append_escape(buf_, c);
      run = ++i;
    }
  }
  buf_.append(text.data() + run, text.size() - run);
  buf_ += '"';
  if (buf_.size() >= kFlushAt) flush();
}

void JsonWriter::flush() {
  out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  buf_.clear();
}

}  // namespace appdiag
