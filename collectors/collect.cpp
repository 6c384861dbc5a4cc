#include "collectors/collect.h"

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "analyzer/core/error.h"
#include "collectors/bundle.h"
#include "collectors/file_stream.h"
#include "collectors/log_tail_splitter.h"
#include "collectors/source_classifier.h"
#include "collectors/ssh_collector.h"
#include "collectors/zip_bundle.h"

namespace appdiag {

namespace fs = std::filesystem;

namespace {

constexpr size_t kSniff = 64 * 1024;

std::optional<SourceKind> forced_kind(const CollectOptions& options, const std::string& input) {
  for (const auto& [kind, path] : options.kind_overrides)
    if (path == input) return kind;
  return std::nullopt;
}

std::string read_head(const std::string& path, size_t size) {
  auto stream = open_file_stream(path);
  std::string head(size, '\0');
  size_t got = 0;
  for (size_t n; got < size && (n = stream->read(head.data() + got, size - got)) > 0;) got += n;
  head.resize(got);
  return head;
}

constexpr uint64_t kMaxWhole = 64ull << 20;     // a listing or settings read from a stream
constexpr uint64_t kMaxCapture = 64ull << 20;   // a log-tail capture read from a stream

// A listing or settings source read whole from a stream, bounded.
std::string read_all(ByteStream& stream, const std::string& name, uint64_t limit) {
  std::string text;
  char buffer[64 * 1024];
  for (size_t n; (n = stream.read(buffer, sizeof buffer)) > 0;) {
    if (text.size() + n > limit)
      throw InputError(name + ": more than " + std::to_string(limit >> 20) + " MiB; a listing or settings file is smaller (use --as app=" + name + " for a log)");
    text.append(buffer, n);
  }
  return text;
}

SourceKind kind_of(const std::string& input, const std::string& head, const CollectOptions& options,
                   Evidence& evidence) {
  if (auto kind = forced_kind(options, input)) return *kind;
  if (auto kind = kind_by_path(input)) return *kind;
  if (auto kind = kind_by_content(head)) return *kind;
  evidence.notes.push_back(input + ": kind not recognised, read as an app log (use --as KIND=" + input + ")");
  return SourceKind::App;
}

bool is_zip(const std::string& path, const std::string& head) {
  return path.ends_with(".zip") || head.rfind("PK\x03\x04", 0) == 0;
}

// Standard input or a path that is not a regular file (a pipe, a FIFO, a
// process substitution): opened once; its kind is sniffed on the head it has
// read, which the scanner then reads again from memory before the rest.
void collect_stream(Evidence& evidence, const std::string& input, std::shared_ptr<PeekableStream> stream,
                    const CollectOptions& options) {
  // With --as KIND=INPUT for a log, nothing is sniffed, so the first line is scanned as soon as it arrives.
  auto forced = forced_kind(options, input);
  bool forced_log = forced && *forced != SourceKind::Listing && *forced != SourceKind::Settings;
  const std::string no_head;
  const std::string& head = forced_log ? no_head : stream->peek(kSniff);
  if (!forced && input != "-" && head.empty()) throw InputError(input + ": empty file");
  if (!forced && is_zip(input, head)) throw InputError(input + ": a zip bundle must be a regular file (save it first)");
  if (!forced && is_log_tail_capture(head)) {
    add_log_tail(evidence, input, *stream, kMaxCapture);  // a pipe cannot be re-read, so its parts are held
    return;
  }
  SourceKind kind = kind_of(input, head, options, evidence);
  if (kind == SourceKind::Listing || kind == SourceKind::Settings) {
    add_structured(evidence, kind, input, read_all(*stream, input, kMaxWhole));
    return;
  }
  Source s;
  s.kind = kind;
  s.name = input;
  auto opened = std::make_shared<bool>(false);
  s.open = [stream, opened, input]() -> std::unique_ptr<ByteStream> {
    if (*opened) throw InputError(input + ": can be read only once");
    *opened = true;
    struct Shared : ByteStream {
      std::shared_ptr<PeekableStream> in;
      size_t read(char* b, size_t n) override { return in->read(b, n); }
    };
    auto shared = std::make_unique<Shared>();
    shared->in = stream;
    return shared;
  };
  evidence.sources.push_back(std::move(s));
}

void collect_file(Evidence& evidence, const std::string& input, const CollectOptions& options) {
  std::error_code ec;
  uint64_t size = fs::file_size(input, ec);
  std::string head = read_head(input, kSniff);
  if (head.empty()) throw InputError(input + ": empty file");
  if (!forced_kind(options, input) && is_zip(input, head)) {
    add_bundle(evidence, zip_bundle_files(input, options.zip, evidence.unreadable), input, options);
    return;
  }
  if (!forced_kind(options, input) && is_log_tail_capture(head)) {
    add_log_tail_file(evidence, input);
    return;
  }
  SourceKind kind = kind_of(input, head, options, evidence);
  if (kind == SourceKind::Listing || kind == SourceKind::Settings) {
    BundleFile file{input, size, [input] { return open_file_stream(input); }};
    add_structured(evidence, kind, input, read_whole(file, 64ull << 20));
    return;
  }
  Source s;
  s.kind = kind;
  s.name = input;
  s.size = size;
  s.open = [input] { return open_file_stream(input); };
  evidence.sources.push_back(std::move(s));
}

void merge(Evidence& into, Evidence&& from) {
  for (auto& s : from.sources) into.sources.push_back(std::move(s));
  for (auto& u : from.unreadable) into.unreadable.push_back(std::move(u));
  for (auto& n : from.notes) into.notes.push_back(std::move(n));
}

}  // namespace

Evidence collect(const std::vector<std::string>& inputs, const CollectOptions& options) {
  Evidence evidence;
  for (const std::string& input : inputs) {
    if (input.rfind("ssh://", 0) == 0) {
      merge(evidence, collect_ssh(input, options.ssh));
    } else if (input == "-") {
      collect_stream(evidence, "-", std::make_shared<PeekableStream>(STDIN_FILENO, "standard input"), options);
    } else {
      std::error_code ec;
      auto status = fs::status(input, ec);
      if (ec || !fs::exists(status)) throw InputError(input + ": No such file or directory");
      if (fs::is_directory(status))
        add_bundle(evidence, dir_bundle_files(input), input, options);
      else if (fs::is_regular_file(status))
        collect_file(evidence, input, options);
      else
        collect_stream(evidence, input, open_peekable(input), options);
    }
  }
  return evidence;
}

}  // namespace appdiag
