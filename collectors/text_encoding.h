#pragma once
// What a file's bytes are before any line is matched: UTF-8 (with or without a
// byte-order mark), UTF-16 (little or big endian, with or without a BOM, as
// Windows PowerShell 5.1 `>` writes), or not text at all (compressed,
// executable, binary). Rules are written against UTF-8, so UTF-16 and a BOM
// are decoded away; one input line stays one output line, so line numbers
// stay those of the original file.
#include <memory>
#include <string>
#include <string_view>

#include "analyzer/core/evidence.h"

namespace appdiag {

enum class TextEncoding { Utf8, Utf8Bom, Utf16Le, Utf16Be };

struct TextForm {
  TextEncoding encoding = TextEncoding::Utf8;
  // Why the bytes are not text ("gzip-compressed data"); empty when they are.
  std::string not_text;
};

// Judged on the first bytes of a file (the sniffed head).
TextForm text_form(std::string_view head);

// "UTF-16LE", "UTF-8 with BOM", ...
std::string_view to_string(TextEncoding encoding);

// `raw` decoded to UTF-8 as it is read; Utf8 returns `raw` itself.
std::unique_ptr<ByteStream> decoded_stream(std::unique_ptr<ByteStream> raw, TextEncoding encoding);

// `bytes` decoded to UTF-8 (a sniffed head, a small whole file). A trailing
// half character is dropped, so a head cut anywhere decodes.
std::string decode_text(std::string_view bytes, TextEncoding encoding);

}  // namespace appdiag
