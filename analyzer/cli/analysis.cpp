#include "analyzer/cli/analysis.h"

#include <atomic>
#include <cstdlib>
#include <ctime>
#include <set>

#include "analyzer/cli/output_file.h"
#include "analyzer/cli/precompiled_prefilters.h"
#include "analyzer/core/error.h"
#include "analyzer/core/redactor.h"
#include "analyzer/core/suggest.h"
#include "analyzer/engine/error_templates.h"
#include "analyzer/report/report_model.h"

namespace appdiag {

namespace {

// A source's bytes, ending once the sink has stopped the scan.
class StoppableStream : public ByteStream {
 public:
  StoppableStream(std::unique_ptr<ByteStream> in, const std::atomic<bool>& stop) : in_(std::move(in)), stop_(stop) {}
  size_t read(char* buffer, size_t size) override { return stop_ ? 0 : in_->read(buffer, size); }

 private:
  std::unique_ptr<ByteStream> in_;
  const std::atomic<bool>& stop_;
};

// WEBSITE_SITE_NAME from the settings, "" when no settings name it.
std::string site_name(const Evidence& evidence) {
  for (const Source& s : evidence.sources)
    if (s.settings)
      if (const Setting* name = s.settings->find("WEBSITE_SITE_NAME"); name && !name->value.empty()) return name->value;
  return "";
}

void redact_trace(Trace& t) {
  t.detail = redact(t.detail);
  for (EvidenceLine& e : t.evidence) e.text = redact(e.text);
  for (auto& [name, value] : t.captures) value = redact(value);
  for (Trace& child : t.children) redact_trace(child);
}

// Drops the sources of machines --instance did not name; a name no source
// carries is an error naming those that exist.
void keep_instances(Evidence& evidence, const std::vector<std::string>& wanted) {
  if (wanted.empty()) return;
  std::set<std::string> present;
  for (const Source& s : evidence.sources)
    if (std::string name = instance_of(s); !name.empty()) present.insert(name);
  for (const std::string& name : wanted)
    if (!present.count(name)) {
      std::string known;
      for (const std::string& p : present) known += (known.empty() ? "" : ", ") + p;
      throw InputError("--instance " + name + ": no such instance in the input" + did_you_mean(name, {present.begin(), present.end()}) +
                       (known.empty() ? " (its logs name no instance)" : " (instances: " + known + ")"));
    }
  TimeWindow window;
  window.instances = wanted;
  std::erase_if(evidence.sources, [&](const Source& s) { return !window.keeps_instance(instance_of(s)); });
}

}  // namespace

int64_t generation_time() {
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH")) {
    char* end = nullptr;
    long long value = std::strtoll(epoch, &end, 10);
    if (end != epoch && *end == '\0' && value >= 0) return value;
  }
  return static_cast<int64_t>(std::time(nullptr));
}

Analysis::Analysis(const RuleSet& rules, AnalysisOptions options, const Scanner* shared)
    : rules_(rules), options_(std::move(options)), scanner_(shared) {
  options_.collect.ssh.redact = options_.redact;  // --save-bundle writes what the reports show
  options_.collect.jobs = options_.jobs;
  if (!scanner_) {
    ScanOptions scan;
    scan.jobs = options_.jobs;
    scan.window = options_.window;
    scan.precompiled_prefilters = precompiled_prefilters();
    own_ = std::make_unique<Scanner>(rules_, scan);
    scanner_ = own_.get();
  }
}

Analysis::~Analysis() = default;

const Evidence& Analysis::collect() {
  if (evidence_) return *evidence_;
  evidence_ = appdiag::collect(options_.inputs, options_.collect);
  keep_instances(*evidence_, options_.window.instances);
  return *evidence_;
}

ScanResult Analysis::scan(const MatchSink& sink, ErrorCollector* errors) {
  const Evidence& evidence = collect();
  if (!sink) return scanner_->scan(evidence, [&](const Match& m) { if (errors) errors->add(m); });
  // The scanner finishes the buffer it is in after a stop; what it finds
  // there is not delivered, so nothing is reported past the decisive line.
  Evidence stoppable = evidence;
  std::atomic<bool> stop{false};
  for (Source& s : stoppable.sources)
    if (s.open) s.open = [open = s.open, &stop] { return std::make_unique<StoppableStream>(open(), stop); };
  ScanResult result = scanner_->scan(stoppable, [&](const Match& m) {
    if (stop) return;
    if (errors) errors->add(m);
    if (!sink(m, evidence)) stop = true;
  });
  stopped_ = stop;
  return result;
}

Diagnosis Analysis::diagnose(const MatchSink& sink) {
  ErrorCollector errors(rules_, collect());
  ScanResult result = scan(sink, &errors);
  errors.finish();
  Diagnosis d = diagnose_scan(rules_, *evidence_, result, options_.redact, &errors);
  options_.report.app = site_name(*evidence_);
  options_.report.inputs = options_.inputs;
  options_.report.generated = generation_time();
  options_.report.since_ms = options_.window.since_ms;
  options_.report.until_ms = options_.window.until_ms;
  options_.report.instances = options_.window.instances;
  FindingFilter by_id = options_.filter, by_baseline;
  std::swap(by_id.baseline, by_baseline.baseline);
  apply_filter(by_id, d);
  suppressed_ = apply_filter(by_baseline, d);
  return d;
}

Trace Analysis::explain(const Rule& rule) {
  ScanResult result = scan(nullptr, nullptr);
  Facts facts(rules_, *evidence_, result);
  Trace trace = evaluate(rule.when, facts);
  materialize(trace, *evidence_, true);
  if (options_.redact) redact_trace(trace);
  return trace;
}

bool Analysis::fails(const Diagnosis& d) const {
  for (const Finding& f : d.findings)
    if (appdiag::fails(f, options_.report)) return true;
  return false;
}

void Analysis::report(const Diagnosis& d, const std::vector<std::pair<const Reporter*, std::string>>& outputs) const {
  auto model = build_report_model(d, rules_, options_.report);  // once, for every format
  for (const auto& output : outputs) {
    const Reporter* reporter = output.first;  // not a structured binding: clang 14 cannot capture those
    write_output(output.second, [&](std::ostream& out) { reporter->write(*model, out); });
  }
}

}  // namespace appdiag
