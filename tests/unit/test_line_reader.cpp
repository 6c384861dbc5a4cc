// Line numbers are exact whatever the bytes are.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "analyzer/line_reader.h"

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
