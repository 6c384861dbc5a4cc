#include "analyzer/engine/diagnosis.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <tuple>

#include "analyzer/core/redactor.h"
#include "analyzer/engine/remediation.h"
#include "analyzer/engine/timestamp.h"

namespace appdiag {

const Finding* Diagnosis::root_cause() const {
  for (const Finding& f : findings)
    if (f.root_cause && !f.after_stop && f.status == FindingStatus::Current && f.rule->severity != Severity::Info)
      return &f;
  return nullptr;
}

std::optional<Severity> Diagnosis::worst_current() const {
  std::optional<Severity> worst;
  for (const Finding& f : findings)
    if (f.status == FindingStatus::Current) worst = std::max(worst.value_or(f.rule->severity), f.rule->severity);
  return worst;
}

Severity Diagnosis::worst() const { return worst_current().value_or(Severity::Info); }

namespace {

void sort_evidence(std::vector<EvidenceLine>& evidence) {
  auto key = [](const EvidenceLine& e) { return std::tie(e.file, e.part, e.line); };
  std::stable_sort(evidence.begin(), evidence.end(),
                   [&](const EvidenceLine& a, const EvidenceLine& b) { return key(a) < key(b); });
  evidence.erase(std::unique(evidence.begin(), evidence.end(),
                             [&](const EvidenceLine& a, const EvidenceLine& b) {
                               return key(a) == key(b);
                             }),
                 evidence.end());
}

void log_patterns(const Condition& c, std::vector<int>& out) {
  if (auto* log = c.as<LogMatch>(); log && log->pattern >= 0) out.push_back(log->pattern);
  if (c.as<NoneOf>()) return;  // lines that must be absent show nothing
  for (const Condition& child : c.children()) log_patterns(child, out);
}

// The line of `candidates` that best explains the finding: in a file the
// finding's evidence is in, the latest one not far past that evidence (a
// traceback's final exception comes a little after "Exception in worker
// process", before "Shutting down"); else the latest anywhere.
const EvidenceLine* pick_decisive(const std::vector<EvidenceLine>& candidates, const Finding& f) {
  constexpr uint64_t kSlack = 200;  // lines a traceback may run past the finding's last line
  // The finding's last line per file and part: one look-up per candidate, so
  // thousands of candidates against thousands of lines stay linear.
  std::map<std::pair<std::string_view, std::string_view>, uint64_t> last_line;
  for (const EvidenceLine& e : f.evidence) {
    uint64_t& last = last_line[{e.file, e.part}];
    last = std::max(last, e.line);
  }
  const EvidenceLine* best = nullptr;
  for (const EvidenceLine& c : candidates) {
    auto it = last_line.find({c.file, c.part});
    if (it != last_line.end() && c.line <= it->second + kSlack && (!best || c.line > best->line)) best = &c;
  }
  if (best) return best;
  for (const EvidenceLine& c : candidates)
    if (!best || std::tie(c.file, c.part, c.line) > std::tie(best->file, best->part, best->line)) best = &c;
  return best;
}

// Puts the rule's decisive lines first (one per decisive condition, in the
// rule's order) and adds their captures where the rule's own took none.
void lead_with_decisive(Finding& f, const Facts& facts) {
  std::vector<EvidenceLine> lead;
  for (const Condition& leaf : f.rule->decisive) {
    Trace t = evaluate(leaf, facts);
    if (t.value != Tri::True) continue;
    materialize(t, facts.evidence());
    const EvidenceLine* line = pick_decisive(t.evidence, f);
    if (!line) continue;
    auto same = [&](const EvidenceLine& e) { return e.file == line->file && e.part == line->part && e.line == line->line; };
    if (std::none_of(lead.begin(), lead.end(), same)) lead.push_back(*line);
    for (auto& [name, value] : t.captures) f.captures.emplace(name, value);
  }
  if (lead.empty()) return;
  for (const EvidenceLine& l : lead)
    std::erase_if(f.evidence, [&](const EvidenceLine& e) { return e.file == l.file && e.part == l.part && e.line == l.line; });
  f.evidence.insert(f.evidence.begin(), lead.begin(), lead.end());
  f.lead_lines = lead.size();
}

void redact_finding(Finding& f) {
  for (EvidenceLine& e : f.evidence) {
    std::string clean = redact(e.text);
    if (clean == e.text) continue;
    std::string matched = redact(e.text.substr(e.begin, e.end - e.begin));
    size_t at = matched.empty() ? std::string::npos : clean.find(matched);
    e.begin = at == std::string::npos ? 0 : static_cast<uint32_t>(at);
    e.end = at == std::string::npos ? 0 : static_cast<uint32_t>(at + matched.size());
    e.text = std::move(clean);
  }
  for (auto& [name, value] : f.captures) value = redact(value);
  for (std::string& step : f.remediation) step = redact(step);
}

void link_causes(std::vector<Finding>& findings) {
  for (Finding& symptom : findings)
    for (Finding& cause : findings) {
      const auto& explains = cause.rule->explains;
      // A finding that came after the platform's stop explains nothing about
      // it; one that no longer holds explains nothing that holds now.
      if (&cause == &symptom || cause.after_stop || (cause.status != FindingStatus::Current && symptom.status == FindingStatus::Current) ||
          std::find(explains.begin(), explains.end(), symptom.rule->id) == explains.end())
        continue;
      symptom.explained_by.push_back(cause.rule->id);
      cause.symptoms.push_back(symptom.rule->id);
    }
  for (Finding& f : findings) f.root_cause = f.explained_by.empty();
}

void order(std::vector<Finding>& findings) {
  auto rank = [](const Finding& f) {
    return std::make_tuple(f.status, !f.root_cause, f.after_stop, !f.in_latest_attempt, -static_cast<int>(f.rule->severity),
                           -static_cast<int>(f.rule->confidence));
  };
  std::stable_sort(findings.begin(), findings.end(),
                   [&](const Finding& a, const Finding& b) { return rank(a) < rank(b); });
}

// Where the finding stands now (see current_state.h); evidence attempts take
// the timeline's numbers.
void place_in_time(Finding& f, const CurrentState& state, const AttemptMap& attempts, const ScanResult& scan) {
  StatusInput in;
  for (EvidenceLine& e : f.evidence) {
    if (e.kind == SourceKind::Platform || e.kind == SourceKind::App) {
      e.attempt = attempts.global(e);
      if (e.attempt) in.attempts.insert(e.attempt);
      else in.other_lines = true;
    } else if (e.kind == SourceKind::Deploy) {
      std::string id = deployment_of(e.file);
      if (id.empty()) in.other_lines = true;
      else in.deployments.insert(id);
    } else {
      in.other_lines = true;
    }
    if (auto t = parse_line_time(e.text); t && t->has_date) {
      f.first_seen_ms = std::min(f.first_seen_ms.value_or(t->ms), t->ms);
      f.last_seen_ms = std::max(f.last_seen_ms.value_or(t->ms), t->ms);
    }
  }
  f.status = finding_status(in, state);
  f.in_latest_attempt = f.status == FindingStatus::Current;
  f.attempts_with = static_cast<uint32_t>(in.attempts.size());
  // Evidence keeps only the first and last matches; the scanner counted the
  // attempts of every match, per source and pattern: a floor for the count.
  if (in.attempts.empty()) return;
  std::vector<int> patterns;
  log_patterns(f.rule->when, patterns);
  for (const SourceScan& source : scan.sources)
    for (int p : patterns)
      if (static_cast<size_t>(p) < source.pattern_attempts.size())
        f.attempts_with = std::max(f.attempts_with, source.pattern_attempts[p]);
}

// Findings seen only after the platform stopped the latest attempt did not cause it.
void demote_after_stop(Diagnosis& d) {
  d.stopped_at_ms = latest_stop_ms(d.timeline);
  if (!d.stopped_at_ms) return;
  for (Finding& f : d.findings) f.after_stop = all_after(f.evidence, *d.stopped_at_ms);
}

// "; earlier failure resolved" when the app runs now and something failed before.
std::string with_history(const std::string& headline, const std::vector<Finding>& findings) {
  bool resolved = std::any_of(findings.begin(), findings.end(), [](const Finding& f) {
    return f.status == FindingStatus::Resolved && f.rule->severity == Severity::Error;
  });
  bool current = std::any_of(findings.begin(), findings.end(), [](const Finding& f) {
    return f.status == FindingStatus::Current && f.rule->severity == Severity::Error;
  });
  if (!resolved || current || headline.rfind("Running", 0) != 0) return headline;
  return headline + "; earlier failure resolved";
}

void redact_insights(Diagnosis& d) {
  for (TimelineEvent& e : d.timeline.events) e.where.text = redact(e.where.text);
  for (ErrorTemplate& t : d.unrecognised) {
    t.pattern = redact(t.pattern);
    for (EvidenceLine* e : {&t.first, &t.last, &t.example}) e->text = redact(e->text);
  }
  StartupPrediction& s = d.startup;
  StartupObserved& o = d.started;
  s.command = redact(s.command);
  o.command = redact(o.command);
  for (auto* list : {&s.path, &s.warnings, &o.differences})
    for (std::string& line : *list) line = redact(line);
  for (EvidenceLine& e : o.lines) e.text = redact(e.text);
  for (auto& [id, e] : o.events) e.text = redact(e.text);
}

// The startup prediction's inputs: the first listing, and every setting in source order.
const Listing* first_listing(const Evidence& evidence) {
  for (const Source& s : evidence.sources)
    if (s.kind == SourceKind::Listing && s.listing) return s.listing.get();
  return nullptr;
}

std::vector<Setting> all_settings(const Evidence& evidence) {
  std::vector<Setting> settings;
  for (const Source& s : evidence.sources)
    if (s.kind == SourceKind::Settings && s.settings)
      settings.insert(settings.end(), s.settings->items.begin(), s.settings->items.end());
  return settings;
}

void add_unrecognised(Diagnosis& d, const RuleSet& rules, ErrorCollector& errors) {
  std::vector<bool> fired(rules.rules.size(), false);
  for (const Finding& f : d.findings) fired[f.rule - rules.rules.data()] = true;
  ErrorCollector::Result r = errors.templates(fired);
  d.unrecognised = std::move(r.templates);
  d.unrecognised_left_out = r.left_out;
  if (r.untracked_lines)
    d.notes.push_back(std::to_string(r.untracked_lines) + " error lines were not grouped: more than " +
                      std::to_string(kMaxClusters) + " distinct error templates");
}

// A source that stopped mid-read (a zip entry's bad CRC, an I/O error): the
// lines before it were analysed, so the note says how many. Stream errors
// usually name the file already (zip.zip!entry); it is named once.
std::string read_error(const std::string& name, const SourceScan& st) {
  std::string text = st.error.find(name) == std::string::npos ? name + ": " + st.error : st.error;
  return text + ", after " + std::to_string(st.lines) + " lines (those were analysed)";
}

}  // namespace

Diagnosis diagnose_scan(const RuleSet& rules, const Evidence& evidence, const ScanResult& scan,
                        bool redact_text, ErrorCollector* errors) {
  Diagnosis d;
  d.redacted = redact_text;
  d.unreadable = evidence.unreadable;
  d.notes = evidence.notes;
  d.key_notes = evidence.key_notes;
  d.skipped = evidence.skipped;
  uint64_t outside = 0;
  for (size_t i = 0; i < evidence.sources.size(); ++i) {
    const Source& s = evidence.sources[i];
    const SourceScan& st = scan.sources[i];
    d.sources.push_back({s.name, s.part, s.kind, st.bytes, st.lines, st.truncated_lines,
                         st.first_truncated_line, st.attempts, st.error});
    if (!st.error.empty()) d.unreadable.push_back(read_error(s.name, st));
    if (st.evidence_cut_lines)
      d.notes.push_back(s.name + ": evidence budget spent: " + std::to_string(st.evidence_cut_lines) +
                        " matching lines kept as their matched part only");
    d.attempts = std::max(d.attempts, st.attempts);
    outside += st.outside_window;
  }
  if (outside)
    d.notes.push_back(std::to_string(outside) + " log lines outside --since/--until were not analysed");
  Facts facts(rules, evidence, scan);
  for (const Rule& rule : rules.rules) {
    Trace t = evaluate(rule.when, facts);
    if (t.value != Tri::True) continue;
    Finding f;
    f.rule = &rule;
    materialize(t, evidence);
    f.evidence = std::move(t.evidence);
    sort_evidence(f.evidence);
    f.matched_lines = std::max<uint64_t>(t.matched_lines, f.evidence.size());
    f.captures = std::move(t.captures);
    lead_with_decisive(f, facts);
    f.remediation = remediation_for(rule, rules, f.captures);
    if (redact_text) redact_finding(f);
    d.findings.push_back(std::move(f));
  }
  d.timeline = build_timeline(rules, evidence, scan);
  d.state = current_state(evidence, d.timeline);
  AttemptMap attempts(d.timeline);
  for (Finding& f : d.findings) place_in_time(f, d.state, attempts, scan);
  d.state.headline = with_history(d.state.headline, d.findings);
  demote_after_stop(d);
  link_causes(d.findings);
  for (Finding& f : d.findings) f.root_cause = f.root_cause && !f.after_stop;
  order(d.findings);
  d.started = observe_startup(evidence, scan, rules, d.timeline);
  d.startup = predict_startup(first_listing(evidence), all_settings(evidence), startup_hints(d.started));
  d.started.differences = startup_differences(d.startup, d.started);
  if (errors) add_unrecognised(d, rules, *errors);
  if (redact_text) redact_insights(d);
  return d;
}

Diagnosis diagnose(const RuleSet& rules, const Evidence& evidence, const DiagnoseOptions& options) {
  Scanner scanner(rules, options.scan);
  ErrorCollector errors(rules, evidence);
  ScanResult scan = scanner.scan(evidence, [&](const Match& m) { errors.add(m); });
  errors.finish();
  return diagnose_scan(rules, evidence, scan, options.redact, &errors);
}

}  // namespace appdiag
