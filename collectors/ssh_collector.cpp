#include "collectors/ssh_collector.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>

#include "analyzer/core/error.h"
#include "collectors/bundle_writer.h"
#include "collectors/environ_settings.h"
#include "collectors/ls_render.h"
#include "collectors/ssh_logs.h"
#include "collectors/ssh_session.h"
#include "collectors/ssh_tree.h"
#include "collectors/ssh_url.h"

namespace appdiag {
namespace {

constexpr uint64_t kMaxEnvironBytes = 1 << 20;

std::vector<std::string> split_path(const std::string& rel) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t slash = rel.find('/', start);
    parts.push_back(rel.substr(start, slash - start));
    if (slash == std::string::npos) return parts;
    start = slash + 1;
  }
}

// Gathers one container's evidence and, alongside, the files of its bundle.
class Gatherer {
 public:
  Gatherer(SshSession& session, const SshOptions& options)
      : session_(session), options_(options), budget_left_(options.byte_budget), show_progress_(isatty(STDERR_FILENO)) {}

  void deployments() {
    std::vector<RemoteEntry> folders;
    if (!list(options_.deployments_root, &folders)) return;
    std::vector<RemoteEntry> with_log;
    for (RemoteEntry& folder : folders) {
      if (!folder.is_dir() || folder.name == "." || folder.name == "..") continue;
      try {
        RemoteEntry log = session_.stat(log_path(folder.name));
        folder.mtime = log.mtime, folder.mtime_nsec = log.mtime_nsec, folder.size = log.size;
        with_log.push_back(folder);
      } catch (const RemoteFileError&) {
        // Not every folder there is a deployment (Kudu keeps "tools" beside them).
      }
    }
    for (const std::string& id : pick_deployments(with_log, options_.max_deployments)) {
      auto it = std::find_if(with_log.begin(), with_log.end(), [&](const RemoteEntry& e) { return e.name == id; });
      add_log(SourceKind::Deploy, log_path(id), it->size, {"deployments", id, "log.log"});
    }
  }

  void docker_logs() {
    std::vector<RemoteEntry> entries;
    if (!list(options_.logs_root, &entries)) return;
    for (const LogPick& pick : pick_docker_logs(entries)) {
      auto it = std::find_if(entries.begin(), entries.end(), [&](const RemoteEntry& e) { return e.name == pick.name; });
      add_log(pick.kind, options_.logs_root + "/" + pick.name, it->size, {"LogFiles", pick.name});
    }
  }

  void site() {
    progress("listing " + options_.site_root);
    SiteTree tree = walk_site(session_, options_);
    RenderedListing rendered = render_ls(options_.site_root, tree.sections);
    auto listing = std::make_shared<Listing>(std::move(rendered.listing));
    for (const std::string& rel : tree.small_files) {
      std::string path = options_.site_root + "/" + rel;
      auto content = read(path, 0, kMaxSmallFile);
      if (!content) continue;
      listing->files[rel] = *content;
      std::vector<std::string> parts = split_path(rel);
      parts.insert(parts.begin(), "wwwroot-files");
      files_.push_back({parts, std::make_shared<const std::string>(std::move(*content))});
    }
    append(evidence_.unreadable, tree.unreadable);
    append(evidence_.notes, tree.notes);
    append(evidence_.notes, rendered.notes);
    auto text = std::make_shared<const std::string>(std::move(rendered.text));
    Source source;
    source.kind = SourceKind::Listing;
    source.name = options_.site_root + " (ls -laR)";
    source.size = text->size();
    source.open = [text] { return memory_stream(text); };
    source.listing = listing;
    evidence_.sources.push_back(std::move(source));
    files_.push_back({{"wwwroot-listing.txt"}, text});
  }

  void settings() {
    auto bytes = read(options_.environ_file, 0, kMaxEnvironBytes);
    if (!bytes) return;
    EnvironSettings parsed = parse_environ(*bytes);
    auto settings = std::make_shared<Settings>(std::move(parsed.settings));
    auto text = std::make_shared<const std::string>(std::move(parsed.text));
    Source source;
    source.kind = SourceKind::Settings;
    source.name = options_.environ_file + " (as appsettings.json)";
    source.size = text->size();
    source.open = [text] { return memory_stream(text); };
    source.settings = settings;
    evidence_.sources.push_back(std::move(source));
    files_.push_back({{"appsettings.json"}, std::make_shared<const std::string>(appsettings_json(*settings, options_.redact))});
  }

  Evidence finish() {
    if (!options_.save_bundle.empty()) {
      progress("saving the bundle to " + options_.save_bundle);
      append(evidence_.notes, write_bundle(options_.save_bundle, files_));
    }
    return std::move(evidence_);
  }

 private:
  static void append(std::vector<std::string>& to, const std::vector<std::string>& from) {
    to.insert(to.end(), from.begin(), from.end());
  }

  std::string log_path(const std::string& id) const { return options_.deployments_root + "/" + id + "/log.log"; }

  void progress(const std::string& what) const {
    if (show_progress_) std::fprintf(stderr, "appdiag: %s: %s\n", session_.label().c_str(), what.c_str());
  }

  bool list(const std::string& dir, std::vector<RemoteEntry>* entries) {
    try {
      *entries = session_.list(dir);
      return true;
    } catch (const RemoteFileError& e) {
      evidence_.unreadable.push_back(e.what());
      return false;
    }
  }

  // At most `max` bytes from `offset`, within the byte budget; nullopt (and
  // the reason in Evidence::unreadable) when the file cannot be read.
  std::optional<std::string> read(const std::string& path, uint64_t offset, uint64_t max) {
    if (budget_left_ == 0) {
      evidence_.unreadable.push_back(path + ": not read, the byte budget (--byte-budget " +
                                     std::to_string(options_.byte_budget) + ") is used up");
      return std::nullopt;
    }
    try {
      std::string bytes = session_.read(path, offset, std::min(max, budget_left_));
      budget_left_ -= bytes.size();
      return bytes;
    } catch (const RemoteFileError& e) {
      evidence_.unreadable.push_back(e.what());
      return std::nullopt;
    }
  }

  void add_log(SourceKind kind, const std::string& path, uint64_t size, std::vector<std::string> bundle_parts) {
    progress("reading " + path);
    uint64_t cap = std::min(options_.max_log_bytes, budget_left_);
    uint64_t offset = size > cap ? size - cap : 0;
    auto bytes = read(path, offset, cap);
    if (!bytes) return;
    auto tail = std::make_shared<const std::string>(from_line_boundary(*bytes, offset));
    if (offset > 0) {
      evidence_.notes.push_back(path + ": only the last " + std::to_string(tail->size()) + " of " + std::to_string(size) +
                                " bytes were read (--max-log-bytes / --byte-budget), from a line boundary");
    }
    Source source;
    source.kind = kind;
    source.name = path;
    source.size = tail->size();
    source.open = [tail] { return memory_stream(tail); };
    evidence_.sources.push_back(std::move(source));
    files_.push_back({std::move(bundle_parts), tail});
  }

  SshSession& session_;
  const SshOptions& options_;
  uint64_t budget_left_;
  bool show_progress_;
  Evidence evidence_;
  std::vector<SavedFile> files_;
};

}  // namespace

Evidence collect_ssh(const std::string& url, const SshOptions& options) {
  SshTarget target = parse_ssh_url(url);
  SshSession session(target, options);
  Gatherer gatherer(session, options);
  gatherer.deployments();
  gatherer.docker_logs();
  gatherer.site();
  gatherer.settings();
  return gatherer.finish();
}

}  // namespace appdiag
