#include "collectors/collect.h"

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "analyzer/core/error.h"
#include "collectors/app_stack.h"
#include "collectors/bundle.h"
#include "collectors/deployment_json.h"
#include "collectors/file_stream.h"
#include "collectors/log_tail_splitter.h"
#include "collectors/source_classifier.h"
#include "collectors/text_encoding.h"
#include "collectors/ssh_collector.h"
#include "collectors/zip_bundle.h"

namespace appdiag {

namespace fs = std::filesystem;

namespace {

constexpr size_t kSniff = 64 * 1024;
// A log read as soon as it arrives (--as KIND=- for a log) is sniffed on this
// much only: enough for a byte-order mark and a UTF-16 NUL pattern.
constexpr size_t kSniffEncoding = 16;

// The text form of a head: refuses bytes that are not text, naming why.
TextForm text_form_of(const std::string& input, std::string_view raw_head) {
  TextForm form = text_form(raw_head);
  if (!form.not_text.empty()) throw InputError(input + ": " + form.not_text);
  return form;
}

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
constexpr uint64_t kMaxCapture = 16ull << 30;   // a log-tail capture read from a stream, spooled to disk

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
  evidence.add_key_note(input + ": kind not recognised, read as an app log (use --as KIND=" + input + ")");
  return SourceKind::App;
}

bool is_zip(const std::string& path, const std::string& head) {
  return path.ends_with(".zip") || head.rfind("PK\x03\x04", 0) == 0;
}

// "{" or "[" then "{", "\"" or "]": a JSON document, not an Oryx line ("[10:21:02+0000] ...").
bool opens_like_json(std::string_view head) {
  size_t first = head.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return false;
  if (head[first] == '{') return true;
  size_t next = head.find_first_not_of(" \t\r\n", first + 1);
  return head[first] == '[' && (next == std::string_view::npos || std::string_view("{\"]").find(head[next]) != std::string_view::npos);
}

// Kudu's deployment JSON, unless --as names another kind for it.
bool reads_as_deployment_json(std::optional<SourceKind> forced, const std::string& head) {
  return (!forced || *forced == SourceKind::Deploy) && is_deployment_json(head);
}

// A reader of a stream that others hold too.
std::unique_ptr<ByteStream> shared_reader(std::shared_ptr<PeekableStream> stream) {
  struct Shared : ByteStream {
    std::shared_ptr<PeekableStream> in;
    size_t read(char* b, size_t n) override { return in->read(b, n); }
  };
  auto shared = std::make_unique<Shared>();
  shared->in = std::move(stream);
  return shared;
}

// Standard input or a path that is not a regular file (a pipe, a FIFO, a
// process substitution): opened once; its kind is sniffed on the head it has
// read, which the scanner then reads again from memory before the rest.
void collect_stream(Evidence& evidence, const std::string& input, std::shared_ptr<PeekableStream> stream,
                    const CollectOptions& options) {
  // With --as KIND=INPUT for a log, only the encoding is sniffed, so the first line is scanned as soon as it arrives.
  auto forced = forced_kind(options, input);
  bool forced_log = forced && *forced != SourceKind::Listing && *forced != SourceKind::Settings;
  const std::string& raw_head = stream->peek(forced_log ? kSniffEncoding : kSniff);
  if (!forced && input != "-" && raw_head.empty()) throw InputError(input + ": empty file");
  if (!forced && is_zip(input, raw_head)) throw InputError(input + ": a zip bundle must be a regular file (save it first)");
  TextForm form = text_form_of(input, raw_head);
  std::string head = forced_log ? std::string() : decode_text(raw_head, form.encoding);
  // --as deploy=INPUT may be Kudu's deployment JSON, which is read whole anyway:
  // only an input that opens like a JSON document waits for the full sniff.
  if (forced_log && *forced == SourceKind::Deploy && opens_like_json(decode_text(raw_head, form.encoding)))
    head = decode_text(stream->peek(kSniff), form.encoding);
  if (!forced && is_log_tail_capture(head)) {
    add_log_tail(evidence, input, *decoded_stream(shared_reader(stream), form.encoding), kMaxCapture);  // a pipe cannot be re-read: spooled
    return;
  }
  if (reads_as_deployment_json(forced, head)) {
    add_deployment_json(evidence, input, read_all(*decoded_stream(shared_reader(stream), form.encoding), input, kMaxWhole));
    return;
  }
  SourceKind kind = kind_of(input, head, options, evidence);
  if (kind == SourceKind::Listing || kind == SourceKind::Settings) {
    add_structured(evidence, kind, input, read_all(*decoded_stream(shared_reader(stream), form.encoding), input, kMaxWhole));
    return;
  }
  note_app_stack(evidence, input, head);
  Source s;
  s.kind = kind;
  s.name = input;
  auto opened = std::make_shared<bool>(false);
  s.open = [stream, opened, input, encoding = form.encoding]() -> std::unique_ptr<ByteStream> {
    if (*opened) throw InputError(input + ": can be read only once");
    *opened = true;
    return decoded_stream(shared_reader(stream), encoding);
  };
  evidence.sources.push_back(std::move(s));
}

// The first few reasons from `from` on, on one line: an error stays one line
// however many entries a zip refused.
std::string first_reasons(const std::vector<std::string>& reasons, size_t from) {
  constexpr size_t kShown = 3;
  std::string out;
  for (size_t i = from; i < reasons.size() && i < from + kShown; ++i) out += (i == from ? "" : "; ") + reasons[i];
  if (reasons.size() - from > kShown) out += "; and " + std::to_string(reasons.size() - from - kShown) + " more";
  return out;
}

void collect_file(Evidence& evidence, const std::string& input, const CollectOptions& options) {
  std::error_code ec;
  uint64_t size = fs::file_size(input, ec);
  std::string raw_head = read_head(input, kSniff);
  if (raw_head.empty()) throw InputError(input + ": empty file");
  if (!forced_kind(options, input) && is_zip(input, raw_head)) {
    size_t refused_from = evidence.unreadable.size();
    std::vector<BundleFile> files = zip_bundle_files(input, options.zip, evidence.unreadable);
    if (files.empty() && evidence.unreadable.size() > refused_from)
      throw InputError(input + ": every entry was refused: " + first_reasons(evidence.unreadable, refused_from));
    add_bundle(evidence, std::move(files), input, options);
    return;
  }
  TextForm form = text_form_of(input, raw_head);
  std::string head = decode_text(raw_head, form.encoding);
  auto open = [input, encoding = form.encoding] { return decoded_stream(open_file_stream(input), encoding); };
  if (!forced_kind(options, input) && is_log_tail_capture(head)) {
    // Parts are re-read from the file by offset, which holds only for bytes read as they are.
    if (form.encoding == TextEncoding::Utf8) add_log_tail_file(evidence, input);
    else add_log_tail(evidence, input, *open(), kMaxCapture);
    return;
  }
  if (reads_as_deployment_json(forced_kind(options, input), head)) {
    add_deployment_json(evidence, input, read_all(*open(), input, kMaxWhole));
    return;
  }
  SourceKind kind = kind_of(input, head, options, evidence);
  if (kind == SourceKind::Listing || kind == SourceKind::Settings) {
    BundleFile file{input, size, open};
    add_structured(evidence, kind, input, read_whole(file, 64ull << 20));
    return;
  }
  note_app_stack(evidence, input, head);
  Source s;
  s.kind = kind;
  s.name = input;
  s.size = size;
  s.open = open;
  evidence.sources.push_back(std::move(s));
}

void merge(Evidence& into, Evidence&& from) {
  for (auto& s : from.sources) into.sources.push_back(std::move(s));
  for (auto& u : from.unreadable) into.unreadable.push_back(std::move(u));
  for (auto& n : from.notes) into.notes.push_back(std::move(n));
  for (auto& n : from.key_notes) into.key_notes.push_back(std::move(n));
  for (auto& s : from.skipped) into.skipped.push_back(std::move(s));
}

// One input into `evidence`; throws InputError when it cannot be read at all.
void collect_one(Evidence& evidence, const std::string& input, const CollectOptions& options) {
  if (input.rfind("ssh://", 0) == 0) {
    merge(evidence, collect_ssh(input, options.ssh));
  } else if (input == "-") {
    collect_stream(evidence, "-", std::make_shared<PeekableStream>(STDIN_FILENO, "standard input"), options);
  } else {
    std::error_code ec;
    auto status = fs::status(input, ec);
    if (ec || !fs::exists(status)) throw InputError(input + ": No such file or directory");
    if (fs::is_directory(status))
      add_bundle(evidence, dir_bundle_files(input, evidence.notes), input, options);
    else if (fs::is_regular_file(status))
      collect_file(evidence, input, options);
    else
      collect_stream(evidence, input, open_peekable(input), options);
  }
}

bool exists(const std::string& input) {
  std::error_code ec;
  return input == "-" || input.rfind("ssh://", 0) == 0 || fs::exists(input, ec);
}

}  // namespace

Evidence collect(const std::vector<std::string>& inputs, const CollectOptions& options) {
  Evidence evidence;
  std::string first_error;
  for (const std::string& input : inputs) {
    std::string error;  // why this input could not be read as a whole
    // A path that does not exist is a mistyped argument, never a partial read.
    if (!exists(input)) throw InputError(input + ": No such file or directory");
    size_t sources = evidence.sources.size();
    size_t unreadable = evidence.unreadable.size();
    try {
      collect_one(evidence, input, options);
    } catch (const InputError& e) {
      error = e.what();
      evidence.unreadable.push_back(error);
    }
    bool nothing_read = evidence.sources.size() == sources && evidence.unreadable.size() > unreadable;
    if (!nothing_read) continue;
    evidence.unread_inputs.push_back(input);
    if (first_error.empty()) first_error = error.empty() ? evidence.unreadable[unreadable] : error;
  }
  // Nothing at all was read: that is an input error, not a clean bill of health.
  if (evidence.sources.empty() && !first_error.empty()) throw InputError(first_error);
  if (auto note = not_python_note(evidence)) evidence.add_key_note(*note);
  return evidence;
}

}  // namespace appdiag
