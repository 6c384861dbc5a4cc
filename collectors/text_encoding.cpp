#include "collectors/text_encoding.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

namespace appdiag {

namespace {

constexpr size_t kJudged = 4096;  // bytes of the head the NUL pattern is judged on

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Magic numbers of the non-text files a ticket carries by mistake.
std::string_view magic_name(std::string_view head) {
  struct Magic {
    std::string_view bytes;
    std::string_view name;
  };
  static const std::array<Magic, 9> magics = {{
      {std::string_view("\x1f\x8b", 2), "gzip-compressed data"},
      {std::string_view("\x28\xb5\x2f\xfd", 4), "zstd-compressed data"},
      {std::string_view("\xfd" "7zXZ\0", 6), "xz-compressed data"},
      {"BZh", "bzip2-compressed data"},
      {std::string_view("7z\xbc\xaf\x27\x1c", 6), "a 7-Zip archive"},
      {"Rar!", "a RAR archive"},
      {"\x7f" "ELF", "an executable (ELF)"},
      {"\x89PNG", "a PNG image"},
      {"%PDF-", "a PDF document"},
  }};
  for (const Magic& m : magics)
    if (starts_with(head, m.bytes)) {
      // "BZh" alone starts English text too; bzip2 follows it with the block size digit.
      if (m.bytes == "BZh" && (head.size() < 4 || head[3] < '1' || head[3] > '9')) continue;
      return m.name;
    }
  if (head.size() > 262 && head.substr(257, 5) == "ustar") return "a tar archive";
  return {};
}

// UTF-16 without a BOM: ASCII text leaves a NUL in every other byte. Judged on
// pairs, so a log with a few stray NULs is still UTF-8.
std::optional<TextEncoding> utf16_by_nuls(std::string_view head) {
  std::string_view judged = head.substr(0, kJudged);
  size_t pairs = judged.size() / 2;
  if (pairs < 4) return std::nullopt;
  size_t even = 0, odd = 0;
  for (size_t i = 0; i + 1 < judged.size(); i += 2) {
    even += judged[i] == '\0';
    odd += judged[i + 1] == '\0';
  }
  if (odd * 10 >= pairs * 7 && even * 20 <= pairs) return TextEncoding::Utf16Le;
  if (even * 10 >= pairs * 7 && odd * 20 <= pairs) return TextEncoding::Utf16Be;
  return std::nullopt;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

constexpr uint32_t kReplacement = 0xFFFD;

// Decodes UTF-16 code units as they come; a unit or surrogate pair split
// across calls is carried over.
class Utf16Decoder {
 public:
  explicit Utf16Decoder(bool big_endian) : big_endian_(big_endian) {}

  void feed(std::string_view bytes, std::string& out) {
    for (char c : bytes) {
      if (!have_byte_) {
        byte_ = static_cast<unsigned char>(c);
        have_byte_ = true;
        continue;
      }
      have_byte_ = false;
      auto second = static_cast<unsigned char>(c);
      unit(static_cast<uint16_t>(big_endian_ ? (byte_ << 8) | second : (second << 8) | byte_), out);
    }
  }

  // At end of input: an unpaired surrogate and an odd byte are each a replacement character.
  void finish(std::string& out) {
    if (high_) append_utf8(out, kReplacement);
    if (have_byte_) append_utf8(out, kReplacement);
    high_ = 0;
    have_byte_ = false;
  }

 private:
  void unit(uint16_t u, std::string& out) {
    if (high_) {
      if (u >= 0xDC00 && u <= 0xDFFF) {
        append_utf8(out, 0x10000 + ((static_cast<uint32_t>(high_) - 0xD800) << 10) + (u - 0xDC00));
        high_ = 0;
        return;
      }
      append_utf8(out, kReplacement);
      high_ = 0;
    }
    if (u >= 0xD800 && u <= 0xDBFF) {
      high_ = u;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      append_utf8(out, kReplacement);
    } else {
      append_utf8(out, u);
    }
  }

  bool big_endian_;
  bool have_byte_ = false;
  unsigned char byte_ = 0;
  uint16_t high_ = 0;
};

size_t bom_size(TextEncoding encoding, std::string_view head) {
  switch (encoding) {
    case TextEncoding::Utf8Bom: return 3;
    case TextEncoding::Utf16Le: return starts_with(head, "\xff\xfe") ? 2 : 0;
    case TextEncoding::Utf16Be: return starts_with(head, "\xfe\xff") ? 2 : 0;
    case TextEncoding::Utf8: return 0;
  }
  return 0;
}

// Reads `raw`, drops the BOM, and hands out UTF-8.
class DecodedStream : public ByteStream {
 public:
  DecodedStream(std::unique_ptr<ByteStream> raw, TextEncoding encoding)
      : raw_(std::move(raw)), encoding_(encoding), utf16_(encoding == TextEncoding::Utf16Be) {}

  size_t read(char* buffer, size_t size) override {
    while (pos_ == out_.size() && !eof_) refill();
    size_t n = std::min(size, out_.size() - pos_);
    std::copy_n(out_.data() + pos_, n, buffer);
    pos_ += n;
    return n;
  }

 private:
  void refill() {
    out_.clear();
    pos_ = 0;
    char in[64 * 1024];
    size_t n = raw_->read(in, sizeof in);
    std::string_view bytes(in, n);
    if (n == 0) {
      eof_ = true;
      if (encoding_ != TextEncoding::Utf8Bom) utf16_.finish(out_);
      return;
    }
    bytes = skip_bom(bytes);
    if (encoding_ == TextEncoding::Utf8Bom)
      out_.append(bytes);
    else
      utf16_.feed(bytes, out_);
  }

  // Drops the byte-order mark, even when it arrives over several reads. Bytes
  // that only began like one (UTF-16 without a BOM) are decoded after all.
  std::string_view skip_bom(std::string_view bytes) {
    std::string_view bom = encoding_ == TextEncoding::Utf8Bom ? "\xef\xbb\xbf"
                           : encoding_ == TextEncoding::Utf16Le ? "\xff\xfe" : "\xfe\xff";
    while (bom_at_ < bom.size() && !bytes.empty() && bytes.front() == bom[bom_at_]) {
      bytes.remove_prefix(1);
      ++bom_at_;
    }
    if (bom_at_ < bom.size() && !bytes.empty()) {
      std::string_view seen = bom.substr(0, bom_at_);  // not a BOM: those bytes are text
      bom_at_ = bom.size();
      if (encoding_ == TextEncoding::Utf8Bom) out_.append(seen);
      else utf16_.feed(seen, out_);
    }
    return bytes;
  }

  std::unique_ptr<ByteStream> raw_;
  TextEncoding encoding_;
  Utf16Decoder utf16_;
  std::string out_;
  size_t pos_ = 0;
  size_t bom_at_ = 0;  // bytes of the BOM seen so far
  bool eof_ = false;
};

}  // namespace

namespace {

// A UTF-16 BOM is believed when the line ends that follow are UTF-16 ones
// ("\n\0" at even offsets, "\0\n" at odd ones for big endian) or, with no
// line end yet, when a NUL follows or too little to tell: "\xff\xfe" then
// plain lines is a UTF-8 log with stray bytes at its start.
bool utf16_after_bom(std::string_view head, bool big_endian) {
  std::string_view rest = head.substr(2, kJudged);
  size_t newlines = 0, utf16_newlines = 0;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] != '\n') continue;
    ++newlines;
    if (big_endian ? i % 2 == 1 && rest[i - 1] == '\0' : i % 2 == 0 && i + 1 < rest.size() && rest[i + 1] == '\0')
      ++utf16_newlines;
  }
  if (newlines == 0) return rest.size() < 16 || rest.find('\0') != std::string_view::npos;
  return utf16_newlines * 2 > newlines;
}

}  // namespace

TextForm text_form(std::string_view head) {
  TextForm form;
  if (starts_with(head, "\xef\xbb\xbf")) form.encoding = TextEncoding::Utf8Bom;
  else if (starts_with(head, "\xff\xfe") && utf16_after_bom(head, false)) form.encoding = TextEncoding::Utf16Le;
  else if (starts_with(head, "\xfe\xff") && utf16_after_bom(head, true)) form.encoding = TextEncoding::Utf16Be;
  else if (auto utf16 = utf16_by_nuls(head)) form.encoding = *utf16;
  if (form.encoding != TextEncoding::Utf8) return form;
  if (auto magic = magic_name(head); !magic.empty()) {
    form.not_text = std::string(magic) + ", not text";
    return form;
  }
  // A few stray NULs are tolerated in a log (a crash, a preallocated file); many are binary data.
  std::string_view judged = head.substr(0, kJudged);
  size_t nuls = static_cast<size_t>(std::count(judged.begin(), judged.end(), '\0'));
  if (nuls * 10 > judged.size() && judged.size() >= 16) form.not_text = "binary data (NUL bytes), not text";
  return form;
}

std::string_view to_string(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::Utf8: return "UTF-8";
    case TextEncoding::Utf8Bom: return "UTF-8 with BOM";
    case TextEncoding::Utf16Le: return "UTF-16LE";
    case TextEncoding::Utf16Be: return "UTF-16BE";
  }
  return "UTF-8";
}

std::unique_ptr<ByteStream> decoded_stream(std::unique_ptr<ByteStream> raw, TextEncoding encoding) {
  if (encoding == TextEncoding::Utf8) return raw;
  return std::make_unique<DecodedStream>(std::move(raw), encoding);
}

std::string decode_text(std::string_view bytes, TextEncoding encoding) {
  if (encoding == TextEncoding::Utf8) return std::string(bytes);
  bytes.remove_prefix(std::min(bytes.size(), bom_size(encoding, bytes)));
  if (encoding == TextEncoding::Utf8Bom) return std::string(bytes);
  std::string out;
  Utf16Decoder decoder(encoding == TextEncoding::Utf16Be);
  decoder.feed(bytes, out);  // a trailing half unit or lone high surrogate is left undecoded
  return out;
}

}  // namespace appdiag
