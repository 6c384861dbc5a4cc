#include "analyzer/cli/scan_command.h"

#include <algorithm>
#include <set>

#include "analyzer/core/redactor.h"
#include "analyzer/core/text_escape.h"
#include "analyzer/report/report_model.h"

namespace appdiag {

bool decidable_on_arrival(const Condition& c) {
  if (c.as<LogMatch>()) return true;
  if (!c.as<AllOf>() && !c.as<AnyOf>()) return false;
  const auto& children = c.children();
  return !children.empty() && std::all_of(children.begin(), children.end(), decidable_on_arrival);
}

std::string neutralise_ci_commands(std::string text) {
  for (size_t at; (at = text.find("##vso[")) != std::string::npos;) text.replace(at, 2, "\\x23#");
  size_t first = text.find_first_not_of(" \t");
  if (first != std::string::npos && text.compare(first, 2, "::") == 0) text.replace(first, 1, "\\x3a");
  return text;
}

namespace {

// Only for trees decidable_on_arrival accepts: log leaves under all/any.
bool holds(const Condition& c, const std::vector<bool>& seen) {
  if (auto* log = c.as<LogMatch>()) return seen[log->pattern];
  auto held = [&](const Condition& child) { return holds(child, seen); };
  const auto& children = c.children();
  return c.as<AllOf>() ? std::all_of(children.begin(), children.end(), held)
                       : std::any_of(children.begin(), children.end(), held);
}

std::string shown(const std::string& text) { return escape_for_terminal(text); }

// One decided finding, as a CI log shows it: severity, id, title, the line.
// Each printed line is neutralised whole: a command is read at a line's start.
void print_finding(const Rule& r, const EvidenceLine* e, std::ostream& out) {
  out << neutralise_ci_commands(std::string(to_string(r.severity)) + " " + r.id + ": " + shown(r.title)) << "\n";
  if (e) out << neutralise_ci_commands("  " + shown(where(*e)) + "  " + shown(shown_line(*e).text)) << "\n";
  out.flush();
}

// Decides rules on arrival from the scanner's matches (called serialised).
class ArrivalDecider {
 public:
  ArrivalDecider(const Analysis& a, bool follow, std::ostream& out)
      : a_(a), follow_(follow), out_(out), seen_(a.rules().patterns.size()) {
    for (const Rule& r : a.rules().rules) decidable_.push_back(decidable_on_arrival(r.when));
  }

  // False once the gate has failed and the scan should stop.
  bool on_match(const Match& m, const Evidence& evidence) {
    if (m.event || seen_[m.index] || a_.rules().patterns[m.index].decisive) return true;
    seen_[m.index] = true;
    size_t index = a_.rules().patterns[m.index].rule;
    const Rule& r = a_.rules().rules[index];
    if (!decidable_[index] || printed_.count(r.id) || !holds(r.when, seen_)) return true;
    EvidenceLine e = to_evidence(m, evidence);
    if (a_.options().redact) e.text = redact(e.text);
    Finding f;
    f.rule = &r;
    f.evidence.push_back(e);
    if (!a_.options().filter.wants(f)) return true;
    printed_.insert(r.id);
    print_finding(r, &e, out_);
    if (!fails(f, a_.options().report)) return true;
    failed_ = true;
    return follow_;
  }

  bool printed(const Rule& r) const { return printed_.count(r.id) > 0; }
  bool failed() const { return failed_; }
  size_t count() const { return printed_.size(); }

 private:
  const Analysis& a_;
  bool follow_;
  std::ostream& out_;
  std::vector<bool> seen_;        // by pattern: matched at least once
  std::vector<bool> decidable_;   // by rule
  std::set<std::string> printed_;
  bool failed_ = false;
};

}  // namespace

ScanResultSummary run_scan(Analysis& a, bool follow,
                           const std::vector<std::pair<const Reporter*, std::string>>& outputs, std::ostream& out) {
  ArrivalDecider decider(a, follow, out);
  Diagnosis d = a.diagnose([&](const Match& m, const Evidence& e) { return decider.on_match(m, e); });
  if (a.stopped()) {
    // Input was cut short: only rules decided on arrival are sure.
    FindingFilter sure;
    for (const Rule& r : a.rules().rules)
      if (!decider.printed(r)) sure.skip.insert(r.id);
    apply_filter(sure, d);
    d.notes.push_back("scan stopped at the first failing finding (--follow reads to the end)");
  }
  ScanResultSummary summary;
  summary.failed = decider.failed();
  summary.reported = decider.count();
  for (const Finding& f : d.findings) {
    if (!decider.printed(*f.rule)) {
      print_finding(*f.rule, f.evidence.empty() ? nullptr : &f.evidence.back(), out);
      ++summary.reported;
    }
  }
  summary.failed = summary.failed || a.fails(d);
  for (const SourceReport& s : d.sources) summary.lines += s.lines;
  a.report(d, outputs);
  return summary;
}

}  // namespace appdiag
