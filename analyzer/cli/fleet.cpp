#include "analyzer/cli/fleet.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <mutex>
#include <optional>
#include <system_error>

#include <nlohmann/json.hpp>

#include "analyzer/cli/analysis.h"
#include "analyzer/cli/precompiled_prefilters.h"
#include "analyzer/engine/diagnosis.h"
#include "analyzer/core/error.h"
#include "analyzer/core/worker_threads.h"
#include "analyzer/core/text_escape.h"
#include "analyzer/engine/scanner.h"
#include "collectors/source_classifier.h"

namespace appdiag {
namespace fs = std::filesystem;
namespace {

bool ends_with(const std::string& s, std::string_view end) {
  return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
}

bool is_bundle_part(const std::string& folder_name) {
  return folder_name == "LogFiles" || folder_name == "deployments" || folder_name == "wwwroot-files";
}

// A folder that holds a bundle's folders (LogFiles/, deployments/, ...).
bool has_bundle_parts(const fs::path& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.is_directory(ec) && is_bundle_part(entry.path().filename().string())) return true;
  return false;
}

// A folder is a bundle when it holds what a bundle holds at its top; a folder
// of zips or of bundle folders stands for its children, even with a stray log
// or notes file next to them (which then is a record of its own, never a
// reason to merge every app into one bundle).
bool is_bundle_dir(const fs::path& dir) {
  std::error_code ec;
  bool empty = true, logs = false, bundles = false;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    empty = false;
    std::string name = entry.path().filename().string();
    if (entry.is_directory(ec)) {
      if (is_bundle_part(name)) return true;
      bundles = bundles || has_bundle_parts(entry.path());
    } else if (ends_with(name, ".zip")) {
      bundles = true;
    } else if (ends_with(name, ".log") || kind_by_path(name)) {
      logs = true;
    }
  }
  return empty || (logs && !bundles);  // an empty folder is one (unreadable) bundle, not zero bundles
}

bool has_zip_magic(const std::string& path) {
  char magic[2] = {};
  std::ifstream f(path, std::ios::binary);
  return f.read(magic, 2) && magic[0] == 'P' && magic[1] == 'K';
}

// Why `path` is not a bundle, or empty when it may be one.
std::string not_a_bundle(const std::string& path) {
  std::error_code ec;
  auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) return "no such file or folder";
  if (fs::is_directory(status)) return fs::is_empty(path, ec) ? "empty folder" : "";
  if (fs::is_regular_file(status) && has_zip_magic(path)) return "";
  if (fs::is_regular_file(status) && path.ends_with(".zip")) return "not a zip archive (no PK signature)";
  return "not a bundle (neither a zip archive nor a folder)";
}

bool has_evidence(const Evidence& evidence) { return !evidence.sources.empty(); }

void fill_from(BundleRecord& record, const Diagnosis& d) {
  if (const Finding* root = d.root_cause()) {
    record.root_cause = root->rule->id;
    record.root_severity = std::string(to_string(root->rule->severity));
  }
  for (const Finding& f : d.findings) {
    if (f.status != FindingStatus::Current) continue;  // the fleet is about what fails now
    record.fired.push_back(f.rule->id);
    if (f.root_cause) record.root_causes.push_back(f.rule->id);
    ++record.counts[f.rule->severity];
  }
  record.unreadable_parts = d.unreadable.size();
}

void tally(FleetSummary& summary, const BundleRecord& record) {
  ++summary.bundles;
  if (!record.error.empty()) {
    summary.unreadable.push_back(record.bundle + ": " + record.error);
    return;
  }
  ++summary.readable;
  if (!record.fired.empty()) ++summary.with_findings;
  for (const auto& id : record.fired) ++summary.rules[id].apps;
  for (const auto& id : record.root_causes) ++summary.rules[id].root_cause;
  for (const auto& [severity, n] : record.counts)
    if (n) summary.worst = std::max(summary.worst, severity);
}

// Keeps records in input order while workers finish out of order, and shows
// progress at most a few times a second.
class OrderedWriter {
 public:
  OrderedWriter(size_t total, std::ostream& records, std::ostream* progress)
      : results_(total), records_(records), progress_(progress), start_(std::chrono::steady_clock::now()) {}

  void done(size_t index, BundleRecord record) {
    std::lock_guard lock(mutex_);
    results_[index] = std::move(record);
    while (next_ < results_.size() && results_[next_]) {
      records_ << to_json_line(*results_[next_]) << "\n";
      tally(summary_, *results_[next_]);
      results_[next_].reset();
      ++next_;
    }
    show_progress(false);
  }

  FleetSummary finish() {
    records_.flush();
    summary_.seconds = elapsed();
    show_progress(true);
    return summary_;
  }

 private:
  double elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

  void show_progress(bool last) {
    if (!progress_) return;
    double now = elapsed();
    if (!last && now - shown_at_ < 0.25) return;
    shown_at_ = now;
    *progress_ << "\rappdiag fleet: " << next_ << "/" << results_.size() << " bundles, " << std::fixed
               << std::setprecision(1) << (now > 0 ? next_ / now : 0.0) << "/s" << (last ? "\n" : "") << std::flush;
  }

  std::mutex mutex_;
  std::vector<std::optional<BundleRecord>> results_;
  size_t next_ = 0;
  std::ostream& records_;
  std::ostream* progress_;
  std::chrono::steady_clock::time_point start_;
  double shown_at_ = -1;
  FleetSummary summary_;
};

}  // namespace

std::vector<std::string> expand_fleet_paths(const std::vector<std::string>& paths) {
  std::vector<std::string> bundles;
  for (const auto& path : paths) {
    std::error_code ec;
    if (!fs::is_directory(path, ec) || is_bundle_dir(path)) {
      bundles.push_back(path);
      continue;
    }
    std::vector<std::string> children;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      std::string name = entry.path().filename().string();
      if (!name.empty() && name[0] != '.') children.push_back(entry.path().string());
    }
    if (ec) throw InputError(path + ": cannot list (" + ec.message() + ")");
    std::sort(children.begin(), children.end());
    bundles.insert(bundles.end(), children.begin(), children.end());
  }
  return bundles;
}

FleetAnalyzer::FleetAnalyzer(const RuleSet& rules, const FleetOptions& options)
    : rules_(rules), options_(options) {
  ScanOptions scan;
  scan.jobs = 1;  // parallel across bundles, not across one bundle's files
  scan.precompiled_prefilters = precompiled_prefilters();
  scanner_ = std::make_unique<Scanner>(rules_, scan);  // its sets compile when a bundle first needs them
}

FleetAnalyzer::~FleetAnalyzer() = default;

BundleRecord FleetAnalyzer::analyse(const std::string& path) const {
  BundleRecord record;
  record.bundle = path;
  record.error = not_a_bundle(path);
  if (!record.error.empty()) return record;
  AnalysisOptions options;
  options.inputs = {path};
  options.collect = options_.collect;
  options.redact = options_.redact;
  options.jobs = 1;
  Analysis analysis(rules_, std::move(options), scanner_.get());
  try {
    if (!has_evidence(analysis.collect())) {
      record.error = "nothing to analyse (no log, listing or settings found)";
      return record;
    }
    fill_from(record, analysis.diagnose());
  } catch (const InputError& e) {  // one bad bundle must not stop the fleet
    record.error = e.what();
  }
  return record;
}

std::string to_json_line(const BundleRecord& r) {
  nlohmann::json j;
  j["bundle"] = r.bundle;
  j["ok"] = r.error.empty();
  if (!r.error.empty()) {
    j["error"] = r.error;
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  j["root_cause"] = r.root_cause.empty() ? nlohmann::json() : nlohmann::json(r.root_cause);
  j["root_severity"] = r.root_severity.empty() ? nlohmann::json() : nlohmann::json(r.root_severity);
  j["root_causes"] = r.root_causes;
  j["findings"] = r.fired;
  nlohmann::json counts = nlohmann::json::object();
  for (Severity s : {Severity::Error, Severity::Warning, Severity::Info}) {
    auto it = r.counts.find(s);
    counts[std::string(to_string(s))] = it == r.counts.end() ? 0 : it->second;
  }
  j["counts"] = counts;
  j["unreadable_parts"] = r.unreadable_parts;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

FleetSummary run_fleet(const RuleSet& rules, const std::vector<std::string>& bundles,
                       const FleetOptions& options, std::ostream& records, std::ostream& progress) {
  FleetAnalyzer analyzer(rules, options);
  OrderedWriter writer(bundles.size(), records, options.progress ? &progress : nullptr);
  size_t threads = thread_count(options.jobs, bundles.size());
  std::atomic<size_t> next{0};
  // An exception leaving a thread would abort the process (exit 134): the
  // first one stops the others and is rethrown here, after every join.
  std::exception_ptr failure;
  std::mutex failure_lock;
  auto work = [&] {
    try {
      for (size_t i; (i = next++) < bundles.size();) writer.done(i, analyzer.analyse(bundles[i]));
    } catch (...) {
      std::lock_guard<std::mutex> lock(failure_lock);
      if (!failure) failure = std::current_exception();
      next = bundles.size();
    }
  };
  run_on_threads(threads, work);
  if (failure) std::rethrow_exception(failure);
  return writer.finish();
}

void write_fleet_summary(const FleetSummary& s, std::ostream& out) {
  out << "fleet: " << s.bundles << " bundles, " << s.readable << " read, " << s.unreadable.size()
      << " unreadable, " << s.with_findings << " with findings; " << std::fixed << std::setprecision(2)
      << s.seconds << " s (" << std::setprecision(1) << (s.seconds > 0 ? s.bundles / s.seconds : 0.0)
      << " bundles/s)\n";
  std::vector<std::pair<std::string, RuleTally>> rows(s.rules.begin(), s.rules.end());
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second.apps > b.second.apps; });
  if (!rows.empty()) {
    out << std::left << std::setw(40) << "rule" << std::right << std::setw(8) << "apps" << std::setw(12)
        << "root cause" << "\n";
    for (const auto& [id, t] : rows)
      out << std::left << std::setw(40) << escape_for_terminal(id) << std::right << std::setw(8) << t.apps << std::setw(12)
          << t.root_cause << "\n";
  }
  if (!s.unreadable.empty()) {
    out << "unreadable bundles:\n";
    for (const auto& u : s.unreadable) out << "  " << escape_for_terminal(u) << "\n";
  }
}

}  // namespace appdiag
