// Encodings: UTF-16 (as Windows PowerShell 5.1 `>` writes it) and a UTF-8 BOM
// are read as UTF-8 with the original line numbers; bytes that are not text
// are refused with why, never matched.
#include <catch2/catch.hpp>

#include <string>

#include "analyzer/core/error.h"
#include "collectors/collect.h"
#include "collectors/text_encoding.h"
#include "test_support.h"

using namespace appdiag;
using namespace appdiag::test;

namespace {

const std::string kBuildLog =
    "Running oryx build...\r\n"
    "Detecting platforms...\r\n"
    "Error: Platform 'python' version '3.6' is unsupported.\r\n"
    "caf\xc3\xa9 \xf0\x9f\x90\x8d\r\n";  // é and a character outside the BMP (a surrogate pair)

// UTF-8 to UTF-16 code units, as iconv -t UTF-16LE / UTF-16BE writes them.
std::string utf16(const std::string& utf8, bool big_endian) {
  std::string out;
  auto unit = [&](uint32_t u) {
    char lo = static_cast<char>(u & 0xFF), hi = static_cast<char>(u >> 8);
    out += big_endian ? hi : lo;
    out += big_endian ? lo : hi;
  };
  for (size_t i = 0; i < utf8.size();) {
    auto c = static_cast<unsigned char>(utf8[i]);
    uint32_t cp;
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    cp = n == 1 ? c : c & (0xFF >> (n + 1));
    for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    i += n;
    if (cp >= 0x10000) {
      unit(0xD800 + ((cp - 0x10000) >> 10));
      unit(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      unit(cp);
    }
  }
  return out;
}

std::string read_all(std::unique_ptr<ByteStream> in, size_t chunk) {
  std::string out(chunk, '\0'), all;
  for (size_t n; (n = in->read(out.data(), chunk)) > 0;) all.append(out, 0, n);
  return all;
}

// A stream handing out its bytes a few at a time, so units and pairs split across reads.
struct Trickle : ByteStream {
  std::string bytes;
  size_t at = 0;
  size_t step;
  Trickle(std::string b, size_t s) : bytes(std::move(b)), step(s) {}
  size_t read(char* buffer, size_t size) override {
    size_t n = std::min({size, step, bytes.size() - at});
    bytes.copy(buffer, n, at);
    at += n;
    return n;
  }
};

}  // namespace

TEST_CASE("text_form: BOMs, the UTF-16 NUL pattern, and what is not text") {
  CHECK(text_form("\xef\xbb\xbfhello").encoding == TextEncoding::Utf8Bom);
  CHECK(text_form("\xff\xfe" + utf16("hello", false)).encoding == TextEncoding::Utf16Le);
  CHECK(text_form("\xfe\xff" + utf16("hello", true)).encoding == TextEncoding::Utf16Be);
  CHECK(text_form(utf16(kBuildLog, false)).encoding == TextEncoding::Utf16Le);
  CHECK(text_form(utf16(kBuildLog, true)).encoding == TextEncoding::Utf16Be);
  CHECK(text_form(kBuildLog).encoding == TextEncoding::Utf8);
  CHECK(text_form(kBuildLog).not_text.empty());
  // A stray NUL in a log is tolerated; a gzip file, an executable or NUL-filled bytes are not text.
  static constexpr char kStrayNul[] = "\0\xff\xfe bad bytes\r\nmore text here\n";
  CHECK(text_form(std::string(kStrayNul, sizeof kStrayNul - 1)).not_text.empty());
  CHECK(text_form(std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00", 8)).not_text == "gzip-compressed data, not text");
  CHECK(text_form("\x7f" "ELF\x02\x01\x01").not_text == "an executable (ELF), not text");
  CHECK(text_form(std::string(64, '\0') + "abc").not_text == "binary data (NUL bytes), not text");
  CHECK(text_form("BZ: a line that starts like bzip2").not_text.empty());
  // "\xff\xfe" then plain ASCII is a UTF-8 log with stray bytes, not UTF-16.
  CHECK(text_form("\xff\xfe\xfd\nERROR a plain ASCII log line follows\n").encoding == TextEncoding::Utf8);
  CHECK(text_form(std::string("\xff\xfe\xfd\n\xff\xfe\xfd\n\x00\x01\x02\nplain text line\n", 28)).encoding == TextEncoding::Utf8);
}

TEST_CASE("decoded_stream: UTF-16 with or without BOM reads as the same UTF-8, whatever the read sizes") {
  for (bool big : {false, true}) {
    for (bool bom : {false, true}) {
      std::string bytes = (bom ? std::string(big ? "\xfe\xff" : "\xff\xfe") : "") + utf16(kBuildLog, big);
      TextEncoding enc = text_form(bytes).encoding;
      for (size_t step : {size_t{1}, size_t{3}, size_t{4096}}) {
        INFO("big endian " << big << ", bom " << bom << ", step " << step);
        CHECK(read_all(decoded_stream(std::make_unique<Trickle>(bytes, step), enc), 7) == kBuildLog);
      }
      CHECK(decode_text(bytes, enc) == kBuildLog);
    }
  }
  CHECK(read_all(decoded_stream(std::make_unique<Trickle>("\xef\xbb\xbf" + kBuildLog, 5), TextEncoding::Utf8Bom), 64) == kBuildLog);
  // A lone surrogate or a trailing odd byte is one replacement character, never dropped silently.
  CHECK(read_all(decoded_stream(std::make_unique<Trickle>(std::string("a\0\x00\xd8z", 5), 2), TextEncoding::Utf16Le), 16) ==
        "a\xef\xbf\xbd\xef\xbf\xbd");
}

TEST_CASE("collect: a PowerShell 5.1 UTF-16LE file is read as UTF-8 with its own line numbers") {
  TempDir dir;
  std::string path = (dir.path / "build-utf16.log").string();
  write_file(path, "\xff\xfe" + utf16(kBuildLog, false));
  Evidence e = collect({path}, {});
  REQUIRE(e.sources.size() == 1);
  CHECK(e.sources[0].kind == SourceKind::Deploy);  // sniffed on the decoded text
  CHECK(read_source(e.sources[0]) == kBuildLog);
  CHECK(e.unreadable.empty());
}

TEST_CASE("collect: a file that is not text is could-not-read with why, or an error when it is all there is") {
  TempDir dir;
  std::string gz = (dir.path / "docker.log.gz").string();
  write_file(gz, std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage", 18));
  std::string log = (dir.path / "app.log").string();
  write_file(log, kBuildLog);
  CHECK_THROWS_WITH(collect({gz}, {}), gz + ": gzip-compressed data, not text");
  Evidence e = collect({gz, log}, {});
  REQUIRE(e.sources.size() == 1);
  CHECK(e.sources[0].name == log);
  CHECK(e.unreadable == std::vector<std::string>{gz + ": gzip-compressed data, not text"});
  CHECK(e.unread_inputs == std::vector<std::string>{gz});
  // Inside a bundle: listed, never matched.
  write_file(dir.path / "bundle/LogFiles/2024_01_01_lw1_docker.log", std::string("\x1f\x8b\x08\x00rest", 8));
  write_file(dir.path / "bundle/LogFiles/2024_01_01_lw1_default_docker.log", "\xef\xbb\xbf" + kBuildLog);
  Evidence b = collect({(dir.path / "bundle").string()}, {});
  REQUIRE(b.sources.size() == 1);
  CHECK(read_source(b.sources[0]) == kBuildLog);
  CHECK(b.unreadable == std::vector<std::string>{"LogFiles/2024_01_01_lw1_docker.log: gzip-compressed data, not text"});
  CHECK(b.unread_inputs.empty());  // the bundle was read, in part
}
