#pragma once
// Evidence: what collectors hand to the analyzer. Plain data; the analyzer
// knows nothing about zips or SSH, collectors know nothing about rules.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/core/line_map.h"

namespace appdiag {

enum class SourceKind { Deploy, Platform, App, Listing, Settings };

std::string_view to_string(SourceKind kind);
// "deploy", "platform", "app", "listing", "settings"; nullopt for anything else.
std::optional<SourceKind> parse_source_kind(std::string_view name);
bool is_log_kind(SourceKind kind);

// Bytes of one source, read front to back. read() fills at most `size` bytes and
// returns how many; 0 means end of stream. Throws InputError naming the source.
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  virtual size_t read(char* buffer, size_t size) = 0;
  // All of the stream's bytes when they are already in memory (a mapped file,
  // a string), so that readers take lines in place instead of copying them;
  // empty otherwise. A stream is read either in place or through read().
  virtual std::string_view in_place() const { return {}; }
  // In-place readers call this when the bytes before `offset` will not be
  // looked at again: a mapping drops their pages, so memory stays flat.
  virtual void release(uint64_t offset) { (void)offset; }
};

// A stream over bytes held in memory (log-tail parts, SSH downloads, tests).
std::unique_ptr<ByteStream> memory_stream(std::shared_ptr<const std::string> bytes);

// One entry of a /home/site/wwwroot listing.
struct ListingEntry {
  std::string path;     // relative to the site root, '/'-separated, no "./"; dirs have no trailing '/'
  bool is_dir = false;
  uint64_t size = 0;
  uint32_t line = 0;    // 1-based line of the listing source that names it; 0 if synthesized
  std::string link_target;  // for symlinks
};

struct Listing {
  std::string root;                          // e.g. "/home/site/wwwroot" when the listing says so
  std::vector<ListingEntry> entries;         // in source order
  std::map<std::string, std::string> files;  // content of small files (relative path -> text), when gathered
  // What the parser left out to stay within its limits (entries, depth,
  // bytes), e.g. "3 paths deeper than 64 folders left out"; empty when whole.
  std::string cut;
  // Lines of a pasted listing that are not entries: shell prompts, the
  // commands typed, elision marks ("..."). Skipped, and counted here.
  size_t pasted_lines = 0;
};

// One app setting or site-config value.
struct Setting {
  std::string name;
  std::string value;
  uint32_t line = 0;  // 1-based line in the settings source where the name appears; 0 if unknown
};

struct Settings {
  std::vector<Setting> items;
  const Setting* find(std::string_view name) const;  // case-insensitive, last wins
};

struct Source {
  SourceKind kind = SourceKind::App;
  // The file that evidence line numbers refer to: a path inside the bundle, a
  // local path, "-" for standard input, or a remote path.
  std::string name;
  // For sources split out of an `az webapp log tail` stream: the log file its
  // header named. Empty otherwise.
  std::string part;
  uint64_t size = 0;  // bytes when known, else 0
  // Opens the content from its start. Log sources always have one.
  std::function<std::unique_ptr<ByteStream>()> open;
  // When non-empty, line n of the stream is line line_map.at(n) of `name`.
  LineMap line_map;
  std::shared_ptr<const Listing> listing;    // set when kind == Listing
  std::shared_ptr<const Settings> settings;  // set when kind == Settings
};

// A source whose bytes are held in memory (no listing or settings attached).
Source memory_source(SourceKind kind, std::string name, std::string text);

// A deployment as Kudu keeps it: deployments/<id>/status.xml, and
// deployments/active naming the one the site runs.
struct Deployment {
  std::string id;
  std::string status;    // Kudu's <status>: Success, Failed, Building, ... ("" when unknown)
  std::string end_time;  // <endTime> or <lastSuccessEndTime>, as written
};

struct Evidence {
  std::vector<Source> sources;
  std::vector<Deployment> deployments;  // those with a status.xml, by id
  std::string active_deployment;        // the id deployments/active names, "" if not given
  // What could not be read, each "name: why". Reported, never silently dropped.
  std::vector<std::string> unreadable;
  // The inputs (command-line arguments) of which nothing at all could be
  // read; each also has its line in `unreadable`. A CI gate fails on them.
  std::vector<std::string> unread_inputs;
  // Other things a reader should know (skipped entries, guessed kinds).
  std::vector<std::string> notes;
  // The notes even a short report shows (each is in `notes` too): an input
  // whose kind was only guessed, logs of a stack other than Python.
  std::vector<std::string> key_notes;
  void add_key_note(const std::string& note) {
    notes.push_back(note);
    key_notes.push_back(note);
  }
  // The language stacks the logs show ("Python", "Node.js", ...), each with
  // where it showed first ("name:line: text"); see collectors/app_stack.h.
  std::map<std::string, std::string> app_stacks;
  // Files every downloaded bundle holds that are no evidence (Kudu's trace,
  // deployment manifests and tools): not worth a note, named in JSON only.
  std::vector<std::string> skipped;
};

}  // namespace appdiag
