// Files are streamed with read() by default; with APPDIAG_MMAP=on regular files
// are read in place from a mapping, and a mapped file that shrinks under the
// reader stops the run cleanly.
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analyzer/engine/line_reader.h"
#include "collectors/file_stream.h"
#include "test_support.h"

using namespace appdiag;
using appdiag::test::TempDir;
using appdiag::test::write_file;

namespace {
std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

TEST_CASE("by default a regular file is streamed, not mapped") {
  TempDir dir;
  write_file(dir.path / "app.log", "first\nsecond\n");
  unsetenv("APPDIAG_MMAP");
  CHECK(open_file_stream(dir.path / "app.log")->in_place().empty());
  setenv("APPDIAG_MMAP", "off", 1);
  CHECK(open_file_stream(dir.path / "app.log")->in_place().empty());
}

TEST_CASE("with APPDIAG_MMAP=on a regular file is read in place, with the same lines as its bytes") {
  TempDir dir;
  setenv("APPDIAG_MMAP", "on", 1);
  write_file(dir.path / "app.log", "first\r\nsecond\nlast without newline");
  auto stream = open_file_stream(dir.path / "app.log");
  CHECK(stream->in_place() == "first\r\nsecond\nlast without newline");
  LineReader reader(*stream);
  std::vector<std::string> lines;
  for (std::string_view line; reader.next(line);) lines.emplace_back(line);
  CHECK(lines == std::vector<std::string>{"first", "second", "last without newline"});
  CHECK(reader.bytes_read() == 34);
}

TEST_CASE("an empty file and a FIFO are streamed, not mapped") {
  TempDir dir;
  setenv("APPDIAG_MMAP", "on", 1);
  write_file(dir.path / "empty.log", "");
  CHECK(open_file_stream(dir.path / "empty.log")->in_place().empty());
  std::string fifo = dir.path / "pipe";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  pid_t writer = fork();
  REQUIRE(writer >= 0);
  if (writer == 0) {
    int fd = open(fifo.c_str(), O_WRONLY);
    const char text[] = "through\na pipe\n";
    _exit(fd >= 0 && write(fd, text, sizeof text - 1) == sizeof text - 1 ? 0 : 1);
  }
  auto stream = open_file_stream(fifo);
  CHECK(stream->in_place().empty());
  LineReader reader(*stream);
  std::vector<std::string> lines;
  for (std::string_view line; reader.next(line);) lines.emplace_back(line);
  int status = 0;
  waitpid(writer, &status, 0);
  CHECK(lines == std::vector<std::string>{"through", "a pipe"});
}

TEST_CASE("a mapped file truncated while it is read ends the run with exit 2 and its name") {
  TempDir dir;
  const std::string path = dir.path / "rotated.log";
  std::string text;
  while (text.size() < (4 << 20)) text += "2024-03-15T10:25:36.361Z INFO  - a platform log line\n";
  write_file(path, text);
  const std::string err = dir.path / "stderr.txt";
  setenv("APPDIAG_MMAP", "on", 1);
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    int fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 2);
    auto stream = open_file_stream(path);
    if (truncate(path.c_str(), 0) != 0) _exit(3);  // as a log rotation would
    LineReader reader(*stream);
    std::string_view line;
    while (reader.next(line)) {
    }
    _exit(0);  // read past the end without a fault: the test fails below
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 2);
  std::string message = slurp(err);
  CHECK(message == "appdiag: " + path +
                       ": the file shrank while it was being read; rerun when it is not being rewritten, "
                       "or with APPDIAG_MMAP=off\n");
}
