// Line numbers are exact whatever the bytes are.
#include <catch2/catch.hpp>

#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "analyzer/engine/line_reader.h"

using namespace appdiag;

namespace {

// Hands out at most `step` bytes per read, to split lines across reads.
class DripStream : public ByteStream {
 public:
  DripStream(std::string bytes, size_t step) : bytes_(std::move(bytes)), step_(step) {}
  size_t read(char* buffer, size_t size) override {
    size_t n = std::min({size, step_, bytes_.size() - pos_});
    bytes_.copy(buffer, n, pos_);
    pos_ += n;
    return n;
  }

 private:
  std::string bytes_;
  size_t step_;
  size_t pos_ = 0;
};

// Holds its bytes in memory (as a mapped file does): read in place. Records
// what the reader released, to check it never lets go of a line it still shows.
class InPlaceStream : public ByteStream {
 public:
  explicit InPlaceStream(std::string bytes) : bytes_(std::move(bytes)) {}
  // An empty view means "not in place": then, and only then, read() is used.
  size_t read(char*, size_t) override {
    if (!bytes_.empty()) throw std::logic_error("an in-place stream is not read()");
    return 0;
  }
  std::string_view in_place() const override { return bytes_; }
  void release(uint64_t offset) override {
    REQUIRE(offset >= released);
    released = offset;
  }
  uint64_t released = 0;

 private:
  std::string bytes_;
};

std::vector<std::string> lines_of(const std::string& bytes, size_t step, size_t max_line = 64,
                                  size_t chunk = 16, std::vector<bool>* truncated = nullptr) {
  DripStream in(bytes, step);
  LineReader reader(in, max_line, chunk);
  std::vector<std::string> out;
  std::string_view line;
  while (reader.next(line)) {
    out.emplace_back(line);
    REQUIRE(reader.line_number() == out.size());
    if (truncated) truncated->push_back(reader.truncated());
  }
  return out;
}

}  // namespace

TEST_CASE("lines split across reads are returned whole") {
  for (size_t step : {1, 2, 3, 7, 100}) {
    auto lines = lines_of("alpha\nbeta gamma delta\n\nlast", step);
    REQUIRE(lines == std::vector<std::string>{"alpha", "beta gamma delta", "", "last"});
  }
}

TEST_CASE("CRLF, NUL bytes and invalid UTF-8 keep their lines") {
  std::string bytes = std::string("a\r\nb\0c\r\n\xff\xfe\n", 11);
  auto lines = lines_of(bytes, 3);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "a");
  CHECK(lines[1] == std::string("b\0c", 3));
  CHECK(lines[2] == "\xff\xfe");
}

TEST_CASE("a line longer than the limit is cut, counted once, and the next line follows") {
  std::string huge(1000, 'x');
  std::vector<bool> truncated;
  auto lines = lines_of("first\n" + huge + "\nthird\n", 5, 64, 16, &truncated);
  REQUIRE(lines.size() == 3);
  CHECK(lines[1] == std::string(64, 'x'));
  CHECK(truncated == std::vector<bool>{false, true, false});
  CHECK(lines[2] == "third");
}

TEST_CASE("a 50 MB line is matched on its head without holding it") {
  std::string bytes = "before\n" + std::string(50 << 20, 'y') + "\nafter";
  auto lines = lines_of(bytes, 1 << 20, 64 * 1024, 1 << 20);
  REQUIRE(lines.size() == 3);
  CHECK(lines[1].size() == 64 * 1024);
  CHECK(lines[2] == "after");
}

TEST_CASE("empty input has no lines; a lone newline is one empty line") {
  CHECK(lines_of("", 4).empty());
  CHECK(lines_of("\n", 4) == std::vector<std::string>{""});
}

TEST_CASE("regression (fuzz): the last line without a newline survives the final buffer move") {
  // Found by fuzz_line_reader: the view pointed at the old position after compaction.
  CHECK(lines_of(std::string("\n\0k", 3), 6, 44, 8) == std::vector<std::string>{"", std::string("\0k", 2)});
  CHECK(lines_of("ab\ncd", 100, 64, 16) == std::vector<std::string>{"ab", "cd"});
}

TEST_CASE("in place and through read() give the same lines, numbers, offsets and truncation") {
  std::mt19937 random(7);
  const char alphabet[] = {'a', 'b', '\n', '\n', '\r', '\0', 'x'};
  for (int round = 0; round < 300; ++round) {
    std::string bytes(random() % 200, ' ');
    for (char& c : bytes) c = alphabet[random() % sizeof alphabet];
    size_t max_line = 1 + random() % 20, chunk = 1 + random() % 16;
    DripStream copied(bytes, 1 + random() % 9);
    InPlaceStream in_place(bytes);
    LineReader a(copied, max_line, chunk), b(in_place, max_line, chunk);
    std::string_view la, lb;
    for (;;) {
      bool more = a.next(la);
      REQUIRE(b.next(lb) == more);
      if (!more) break;
      REQUIRE(la == lb);
      REQUIRE(a.line_number() == b.line_number());
      REQUIRE(a.line_offset() == b.line_offset());
      REQUIRE(a.truncated() == b.truncated());
      // Bytes are released only once the reader is past them.
      REQUIRE(in_place.released <= b.line_offset());
      REQUIRE(lb.data() >= in_place.in_place().data());  // a view into the stream's own bytes
    }
    REQUIRE(a.bytes_read() == b.bytes_read());
  }
}

TEST_CASE("in place, the look-ahead window is bounded by the chunk, not the whole input") {
  std::string bytes;
  for (int i = 0; i < 1000; ++i) bytes += "line " + std::to_string(i) + "\n";
  InPlaceStream in(bytes);
  LineReader reader(in, 64, 256);
  std::string_view line;
  while (reader.next(line)) REQUIRE(reader.lookahead().size() <= 256 + 64);
  CHECK(reader.line_number() == 1000);
  CHECK(in.released > bytes.size() - 512);
}
