#include "collectors/bundle.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <cctype>
#include <map>
#include <stdexcept>

#include <re2/re2.h>

#include "analyzer/core/error.h"
#include "analyzer/core/worker_threads.h"
#include "collectors/app_stack.h"
#include "collectors/deployment_json.h"
#include "collectors/file_stream.h"
#include "collectors/listing_parser.h"
#include "collectors/log_tail_splitter.h"
#include "collectors/settings_parser.h"
#include "collectors/source_classifier.h"
#include "collectors/spool_file.h"
#include "collectors/text_encoding.h"

namespace appdiag {

namespace fs = std::filesystem;

namespace {

constexpr uint64_t kStructuredLimit = 64ull << 20;  // listing and settings files are read whole
constexpr uint64_t kCaptureLimit = 16ull << 30;   // a log-tail capture inside a zip is spooled to disk
constexpr size_t kSniff = 64 * 1024;
constexpr size_t kSniffEncoding = 4096;  // when the path already says the kind
constexpr std::string_view kSiteFiles = "wwwroot-files/";

// "mybundle/LogFiles/x" -> "LogFiles/x" when every file sits under one folder
// that is not itself part of the bundle layout.
void strip_single_top_folder(std::vector<BundleFile>& files) {
  if (files.empty()) return;
  std::string top = files[0].name.substr(0, files[0].name.find('/') + 1);
  if (top.empty() || top.back() != '/' || top == "LogFiles/" || top == "deployments/" || top == kSiteFiles) return;
  for (const auto& f : files)
    if (f.name.rfind(top, 0) != 0) return;
  for (auto& f : files) f.name = f.name.substr(top.size());
}

std::optional<SourceKind> forced_kind(const CollectOptions& options, const std::string& name) {
  for (const auto& [kind, path] : options.kind_overrides)
    if (path == name) return kind;
  return std::nullopt;
}

std::string head_of(const BundleFile& file, size_t size) {
  auto stream = file.open();
  std::string head(size, '\0');
  size_t got = 0;
  while (got < head.size()) {
    size_t n = stream->read(head.data() + got, head.size() - got);
    if (n == 0) break;
    got += n;
  }
  head.resize(got);
  return head;
}

std::optional<SourceKind> kind_of(const CollectOptions& options, const std::string& name) {
  auto kind = forced_kind(options, name);
  return kind ? kind : kind_by_path(name);
}

struct Head {
  std::optional<SourceKind> kind;  // by --as or by path; by content later
  std::string raw;
  std::exception_ptr failure;  // rethrown where the file is taken in order
};

// The first bytes of each file (not of site files, read whole later), read
// on several threads: 2,000 small logs cost 2,000 opens before any scan, and
// every bundle's open() is safe to call from any thread (the scan does too).
std::vector<Head> read_heads(const std::vector<BundleFile>& files, const CollectOptions& options) {
  std::vector<Head> heads(files.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next++) < files.size();) {
      const BundleFile& file = files[i];
      heads[i].kind = kind_of(options, file.name);
      if (file.size == 0 || file.name.rfind(kSiteFiles, 0) == 0) continue;
      try {
        heads[i].raw = head_of(file, heads[i].kind ? kSniffEncoding : kSniff);
      } catch (...) {  // an exception must not end a thread, let alone the process
        heads[i].failure = std::current_exception();
      }
    }
  };
  run_on_threads(thread_count(options.jobs, files.size()), worker);
  return heads;
}


// Why an entry of a bundle folder is not read, or "" when it is a regular file
// (or a link to one inside the bundle) to read.
std::string not_read_because(const fs::directory_entry& entry, const fs::path& root) {
  std::error_code ec;
  fs::file_status own = entry.symlink_status(ec);
  if (fs::is_symlink(own)) {
    fs::path target = fs::canonical(entry.path(), ec);
    if (ec) return "a dangling symbolic link";
    auto [end, at] = std::mismatch(root.begin(), root.end(), target.begin(), target.end());
    if (end != root.end()) return "a symbolic link to outside the bundle, not followed";
    if (fs::is_directory(target, ec)) return "a symbolic link to a folder, not followed";
    own = fs::status(target, ec);
  }
  if (fs::is_regular_file(own) || fs::is_directory(own)) return "";
  if (fs::is_fifo(own)) return "a FIFO";
  if (fs::is_character_file(own) || fs::is_block_file(own)) return "a device";
  if (fs::is_socket(own)) return "a socket";
  return "not a regular file";
}

}  // namespace

std::vector<BundleFile> dir_bundle_files(const std::string& dir, std::vector<std::string>& notes) {
  std::vector<BundleFile> files;
  std::error_code ec;
  fs::path root = fs::canonical(dir, ec);
  if (ec) throw InputError(dir + ": " + ec.message());
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) throw InputError(dir + ": " + ec.message());
    // Named by where it stands in the bundle, never by what a link points to.
    std::string name = it->path().lexically_relative(dir).generic_string();
    if (std::string why = not_read_because(*it, root); !why.empty()) {
      notes.push_back("skipped: " + name + " (" + why + ")");
      continue;
    }
    if (!it->is_regular_file(ec)) continue;  // a folder
    std::string path = it->path().string();
    files.push_back({name, it->file_size(ec), [path] { return open_file_stream(path); }});
  }
  if (ec) throw InputError(dir + ": " + ec.message());
  std::sort(files.begin(), files.end(), [](const BundleFile& a, const BundleFile& b) { return a.name < b.name; });
  return files;
}

std::string read_whole(const BundleFile& file, uint64_t limit) {
  if (file.size > limit)
    throw InputError(file.name + ": " + std::to_string(file.size) + " bytes is over the " + std::to_string(limit) +
                     "-byte limit for a listing or settings file, which is read whole");
  auto stream = file.open();
  std::string text;
  char buffer[64 * 1024];
  for (size_t n; (n = stream->read(buffer, sizeof buffer)) > 0;) {
    text.append(buffer, n);
    if (text.size() > limit)
      throw InputError(file.name + ": over the " + std::to_string(limit) +
                       "-byte limit for a listing or settings file, which is read whole");
  }
  return text;
}

namespace {

// A part of a capture as a source, its kind from the file its header named, else sniffed.
Source tail_source(Evidence& evidence, const std::string& name, TailPart& part) {
  auto kind = part.log.empty() || part.log == "live" ? std::nullopt : kind_by_path(part.log);
  if (!kind) kind = kind_by_content(part.head);
  if (!kind) {
    kind = SourceKind::App;
    std::string which = part.log.empty() ? name : name + " (" + part.log + ")";
    evidence.add_key_note(which + ": kind not recognised, read as an app log");
  }
  Source s = memory_source(*kind, name, std::move(part.text));
  s.part = std::move(part.log);
  s.line_map = std::move(part.line_map);
  return s;
}

// "16 GiB", "64 MiB": a limit as its message names it.
std::string size_text(uint64_t bytes) {
  if (bytes >= (1ull << 30) && bytes % (1ull << 30) == 0) return std::to_string(bytes >> 30) + " GiB";
  return std::to_string(bytes >> 20) + " MiB";
}

// One source per part, each reading its ranges through `open`.
void add_parts(Evidence& evidence, const std::string& name, std::vector<TailPart>& parts,
               const std::function<std::unique_ptr<ByteStream>(std::shared_ptr<const FileRanges>)>& open) {
  for (TailPart& part : parts) {
    auto ranges = std::make_shared<const FileRanges>(std::move(part.ranges));
    uint64_t size = 0;
    for (const auto& r : *ranges) size += r.second;
    Source s = tail_source(evidence, name, part);
    s.size = size;
    s.open = [open, ranges] { return open(ranges); };
    evidence.sources.push_back(std::move(s));
  }
}

}  // namespace

void add_log_tail(Evidence& evidence, const std::string& name, ByteStream& in, uint64_t limit) {
  auto spool = std::make_shared<SpoolFile>(name);
  LogTailSplitter splitter(false);
  std::vector<char> buffer(256 * 1024);
  std::vector<TailPart> parts;
  try {
    for (size_t n; (n = in.read(buffer.data(), buffer.size())) > 0;) {
      if (spool->size() + n > limit)
        throw InputError(name + ": a log-tail capture read from a stream is spooled to a temporary file in " +
                         SpoolFile::folder() + ", up to " + size_text(limit) + "; save it to a file and pass the file");
      spool->append(std::string_view(buffer.data(), n));
      splitter.feed(std::string_view(buffer.data(), n));
    }
    parts = splitter.finish();
  } catch (const std::length_error& e) {
    throw InputError(name + ": " + e.what());
  }
  add_parts(evidence, name, parts, [spool](std::shared_ptr<const FileRanges> ranges) {
    return spool->open_ranges(std::move(ranges));
  });
}

void add_log_tail_file(Evidence& evidence, const std::string& path) {
  LogTailSplitter splitter(false);
  auto in = open_file_stream(path);
  std::vector<TailPart> parts;
  try {
    std::string buffer(1 << 20, '\0');
    for (size_t n; (n = in->read(buffer.data(), buffer.size())) > 0;) splitter.feed(std::string_view(buffer.data(), n));
    parts = splitter.finish();
  } catch (const std::length_error& e) {
    throw InputError(path + ": " + e.what());
  }
  add_parts(evidence, path, parts, [path](std::shared_ptr<const FileRanges> ranges) {
    return open_file_ranges(path, std::move(ranges));
  });
}

void add_deployment_json(Evidence& evidence, const std::string& name, const std::string& text) {
  DeploymentLog log = parse_deployment_json(text, name);
  Source s = memory_source(SourceKind::Deploy, name, std::move(log.text));
  s.line_map = std::move(log.line_map);
  evidence.sources.push_back(std::move(s));
  evidence.deployments.insert(evidence.deployments.end(), log.deployments.begin(), log.deployments.end());
  if (evidence.active_deployment.empty()) evidence.active_deployment = log.active;
  if (log.to_fetch.empty()) return;
  std::string urls;
  for (const std::string& url : log.to_fetch) urls += (urls.empty() ? "" : " and ") + url;
  evidence.notes.push_back(name + ": the deployment failed and its build output is not in this JSON; unless it is in another input, fetch " +
                           urls + " (with the deployment credentials) and add it");
}

// Files every `az webapp log download` bundle holds besides the logs: Kudu's
// request traces, each deployment's manifest, the deployment scripts. Skipping
// them is routine, so they are not noted (a reader saw 12 such notes a bundle).
bool every_bundle_has(const std::string& name) {
  static const RE2 routine(R"((?:^|/)(?:LogFiles/kudu/trace/|deployments/tools/|deployments/[^/]+/manifest$))");
  return RE2::PartialMatch(name, routine);
}

// deployments/active and deployments/<id>/status.xml: which deployment is
// live and how each ended. True when `file` was one of them.
bool add_deployment_file(Evidence& evidence, const BundleFile& file) {
  static const RE2 status_xml(R"((?:^|/)deployments/([^/]+)/status\.xml$)");
  static const RE2 active(R"((?:^|/)deployments/active$)");
  std::string id;
  if (RE2::FullMatch(file.name, active)) {
    std::string text = read_whole(file, 4096);
    text.erase(std::remove_if(text.begin(), text.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); }),
               text.end());
    evidence.active_deployment = text;
    return true;
  }
  if (!RE2::PartialMatch(file.name, status_xml, &id)) return false;
  std::string xml = read_whole(file, 1 << 16);
  auto element = [&](const char* name) {
    std::string value;
    RE2::PartialMatch(xml, RE2(std::string("<") + name + ">([^<]*)</" + name + ">"), &value);
    return value;
  };
  std::string end = element("endTime");
  evidence.deployments.push_back({id, element("status"), end.empty() ? element("lastSuccessEndTime") : end});
  return true;
}

void add_structured(Evidence& evidence, SourceKind kind, const std::string& name, const std::string& text) {
  Source s = memory_source(kind, name, text);
  if (kind == SourceKind::Listing) {
    auto listing = std::make_shared<Listing>(parse_listing(text, name));
    if (!listing->cut.empty()) evidence.notes.push_back(name + ": listing cut: " + listing->cut);
    if (listing->pasted_lines > 0)
      evidence.notes.push_back(name + ": " + std::to_string(listing->pasted_lines) +
                               " shell prompt, command or elision lines skipped (not listing entries)");
    s.listing = std::move(listing);
  }
  if (kind == SourceKind::Settings) s.settings = std::make_shared<Settings>(parse_settings(text, name));
  evidence.sources.push_back(std::move(s));
}

void add_bundle(Evidence& evidence, std::vector<BundleFile> files, const std::string& bundle,
                const CollectOptions& options) {
  strip_single_top_folder(files);
  std::sort(files.begin(), files.end(), [](const BundleFile& a, const BundleFile& b) { return a.name < b.name; });
  std::map<std::string, std::string> site_files;
  size_t before = evidence.sources.size();
  size_t unreadable_before = evidence.unreadable.size();
  std::vector<Head> heads = read_heads(files, options);
  for (size_t i = 0; i < files.size(); ++i) {
    const BundleFile& file = files[i];
    if (file.name.rfind(kSiteFiles, 0) == 0) {
      try {
        site_files[file.name.substr(kSiteFiles.size())] = read_whole(file, 1 << 20);
      } catch (const InputError& e) {
        evidence.unreadable.push_back(e.what());
      }
      continue;
    }
    try {
      auto kind = heads[i].kind;
      if (heads[i].failure) std::rethrow_exception(heads[i].failure);
      const std::string& raw_head = heads[i].raw;
      TextForm form = text_form(raw_head);
      if (!form.not_text.empty()) {
        evidence.unreadable.push_back(file.name + ": " + form.not_text);
        continue;
      }
      BundleFile text = file;  // read as UTF-8 whatever the file's encoding
      text.open = [open = file.open, encoding = form.encoding] { return decoded_stream(open(), encoding); };
      if (!kind && file.size > 0) {
        std::string head = decode_text(raw_head, form.encoding);
        if (is_log_tail_capture(head)) {
          add_log_tail(evidence, file.name, *text.open(), kCaptureLimit);
          continue;
        }
        if (is_deployment_json(head)) {
          add_deployment_json(evidence, file.name, read_whole(text, kStructuredLimit));
          continue;
        }
        kind = kind_by_content(head);
      }
      if (!kind) {
        if (add_deployment_file(evidence, text)) continue;
        if (every_bundle_has(file.name)) evidence.skipped.push_back(file.name);
        else evidence.notes.push_back("skipped: " + file.name + " (not a log, listing or settings file)");
        continue;
      }
      if (*kind == SourceKind::Listing || *kind == SourceKind::Settings) {
        add_structured(evidence, *kind, file.name, read_whole(text, kStructuredLimit));
        continue;
      }
      note_app_stack(evidence, file.name, decode_text(raw_head, form.encoding));
      Source s;
      s.kind = *kind;
      s.name = file.name;
      s.size = file.size;
      s.open = text.open;
      evidence.sources.push_back(std::move(s));
    } catch (const InputError& e) {
      evidence.unreadable.push_back(e.what());
    }
  }
  if (!site_files.empty()) {
    auto it = std::find_if(evidence.sources.begin() + before, evidence.sources.end(),
                           [](const Source& s) { return s.kind == SourceKind::Listing; });
    if (it == evidence.sources.end()) {
      // No listing: the gathered files themselves say what exists.
      Source s;
      s.kind = SourceKind::Listing;
      s.name = std::string(kSiteFiles);
      auto listing = std::make_shared<Listing>();
      for (const auto& [path, text] : site_files) listing->entries.push_back({path, false, text.size(), 0, ""});
      s.listing = listing;
      evidence.sources.push_back(std::move(s));
      it = evidence.sources.end() - 1;
    }
    auto listing = std::make_shared<Listing>(*it->listing);
    listing->files.insert(site_files.begin(), site_files.end());
    it->listing = listing;
  }
  if (evidence.sources.size() == before && evidence.unreadable.size() == unreadable_before)
    throw InputError(bundle + ": no log, listing or settings file found in the bundle");
}

}  // namespace appdiag
