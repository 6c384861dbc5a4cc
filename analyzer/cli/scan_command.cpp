#include "analyzer/cli/scan_command.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <set>

#include "analyzer/core/error.h"
#include "analyzer/engine/error_templates.h"
#include "analyzer/core/redactor.h"
#include "analyzer/report/report_util.h"
#include "analyzer/core/text_escape.h"
#include "collectors/file_stream.h"

namespace appdiag {

bool decidable_on_arrival(const Condition& c) {
  switch (c.type) {
    case Condition::Type::Log: return true;
    case Condition::Type::All:
    case Condition::Type::Any:
      if (c.children.empty()) return false;
      for (const Condition& child : c.children)
        if (!decidable_on_arrival(child)) return false;
      return true;
    default: return false;
  }
}

namespace {

bool holds(const Condition& c, const std::vector<bool>& seen) {
  switch (c.type) {
    case Condition::Type::Log: return seen[c.pattern];
    case Condition::Type::All:
      for (const Condition& child : c.children)
        if (!holds(child, seen)) return false;
      return true;
    default:
      for (const Condition& child : c.children)
        if (holds(child, seen)) return true;
      return false;
  }
}

// A source's bytes, ending early once the gate has decided to stop.
class StoppableStream : public ByteStream {
 public:
  StoppableStream(std::unique_ptr<ByteStream> in, const std::atomic<bool>& stop) : in_(std::move(in)), stop_(stop) {}
  size_t read(char* buffer, size_t size) override { return stop_ ? 0 : in_->read(buffer, size); }

 private:
  std::unique_ptr<ByteStream> in_;
  const std::atomic<bool>& stop_;
};

// Standard input read as one log of the given kind, streamed (never sniffed:
// sniffing would wait for 64 KiB before the first line could be matched).
Source stdin_source(SourceKind kind) {
  Source s;
  s.kind = kind;
  s.name = "-";
  auto opened = std::make_shared<bool>(false);
  s.open = [opened]() -> std::unique_ptr<ByteStream> {
    if (*opened) throw InputError("-: standard input can be read only once");
    *opened = true;
    return std::make_unique<StdinStream>();
  };
  return s;
}

Evidence gather(const ScanCommand& c) {
  std::vector<std::string> files;
  bool use_stdin = c.inputs.empty();
  for (const auto& input : c.inputs) {
    if (input == "-") use_stdin = true;
    else files.push_back(input);
  }
  Evidence evidence = files.empty() ? Evidence{} : collect(files, c.collect);
  if (use_stdin) evidence.sources.push_back(stdin_source(c.stdin_kind));
  return evidence;
}

// One decided finding, as a CI log shows it: severity, id, title, the line.
void print_finding(const Rule& r, const EvidenceLine* e, std::ostream& out) {
  out << to_string(r.severity) << " " << r.id << ": " << r.title << "\n";
  if (e) out << "  " << escape_for_terminal(where(*e)) << "  " << escape_for_terminal(shown_line(*e).text) << "\n";
  out.flush();
}

// Decides rules on arrival from the scanner's matches (called serialised).
class ArrivalDecider {
 public:
  ArrivalDecider(const ScanCommand& c, const RuleSet& rules, const Evidence& evidence, std::ostream& out,
                 std::atomic<bool>& stop)
      : c_(c), rules_(rules), evidence_(evidence), out_(out), stop_(stop), seen_(rules.patterns.size()) {
    for (const Rule& r : rules.rules) decidable_.push_back(decidable_on_arrival(r.when));
  }

  void on_match(const Match& m) {
    if (m.event || seen_[m.index] || rules_.patterns[m.index].decisive) return;
    seen_[m.index] = true;
    size_t index = rules_.patterns[m.index].rule;
    const Rule& r = rules_.rules[index];
    if (!decidable_[index] || printed_.count(r.id) || !holds(r.when, seen_)) return;
    EvidenceLine e = to_evidence(m, evidence_);
    if (c_.redact) e.text = redact(e.text);
    Finding f;
    f.rule = &r;
    f.evidence.push_back(e);
    if (!c_.filter.wants(f)) return;
    printed_.insert(r.id);
    print_finding(r, &e, out_);
    if (fails(f, c_.report)) {
      failed_ = true;
      if (!c_.follow) stop_ = true;
    }
  }

  bool printed(const Rule& r) const { return printed_.count(r.id) > 0; }
  bool failed() const { return failed_; }

 private:
  const ScanCommand& c_;
  const RuleSet& rules_;
  const Evidence& evidence_;
  std::ostream& out_;
  std::atomic<bool>& stop_;
  std::vector<bool> seen_;        // by pattern: matched at least once
  std::vector<bool> decidable_;   // by rule
  std::set<std::string> printed_;
  bool failed_ = false;
};

}  // namespace

bool run_scan(const ScanCommand& c, const RuleSet& rules, std::ostream& out, const OutputWriter& write) {
  Evidence evidence = gather(c);
  std::atomic<bool> stop{false};
  for (Source& s : evidence.sources) {
    if (!s.open) continue;
    s.open = [open = s.open, &stop] { return std::make_unique<StoppableStream>(open(), stop); };
  }
  ScanOptions options;
  options.jobs = c.jobs;
  Scanner scanner(rules, options);
  ErrorCollector errors(rules, evidence);
  ArrivalDecider decider(c, rules, evidence, out, stop);
  ScanResult scan = scanner.scan(evidence, [&](const Match& m) {
    errors.add(m);
    decider.on_match(m);
  });
  errors.finish();
  Diagnosis d = diagnose_scan(rules, evidence, scan, c.redact, &errors);
  apply_filter(c.filter, d);
  if (stop) {
    // Input was cut short: only rules decided on arrival are sure.
    FindingFilter sure;
    for (const Rule& r : rules.rules)
      if (!decider.printed(r)) sure.skip.insert(r.id);
    apply_filter(sure, d);
    d.notes.push_back("scan stopped at the first failing finding (--follow reads to the end)");
  }
  bool failed = decider.failed();
  for (const Finding& f : d.findings) {
    if (!decider.printed(*f.rule))
      print_finding(*f.rule, f.evidence.empty() ? nullptr : &f.evidence.back(), out);
    failed = failed || fails(f, c.report);
  }
  for (const auto& output : c.outputs) {
    const Reporter* reporter = output.first;
    write(output.second, [&](std::ostream& o) { reporter->write(d, rules, c.report, o); });
  }
  return failed;
}

}  // namespace appdiag
