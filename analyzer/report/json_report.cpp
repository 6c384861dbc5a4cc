// The JSON report (schema in README "JSON output").
#include <nlohmann/json.hpp>

#include "analyzer/report/report_model.h"

namespace appdiag {

using nlohmann::ordered_json;

namespace {

ordered_json evidence_json(const EvidenceLine& e) {
  ordered_json j = {{"kind", to_string(e.kind)}, {"file", e.file}};
  if (!e.part.empty()) j["part"] = e.part;
  j["line"] = e.line;
  j["text"] = e.text;
  if (e.end > e.begin) j["match"] = {e.begin, e.end};
  if (e.truncated) j["truncated"] = true;
  if (e.attempt) j["attempt"] = e.attempt;
  return j;
}

ordered_json iso_time(const std::optional<int64_t>& ms) {
  if (!ms) return nullptr;
  std::string t = clock_text(*ms, true);
  t[10] = 'T';
  return t + "Z";
}

ordered_json state_json(const CurrentState& s) {
  ordered_json j = {{"headline", s.headline}, {"spans_days", s.spans_days}};
  j["instances"] = ordered_json::array();
  for (const InstanceState& i : s.instances)
    j["instances"].push_back({{"name", i.name}, {"latest_attempt", i.latest_attempt},
                              {"outcome", to_string(i.outcome)}, {"since", iso_time(i.since_ms)}});
  j["attempts"] = ordered_json::array();
  for (const AttemptState& a : s.attempts)
    j["attempts"].push_back({{"number", a.number}, {"instance", a.instance}, {"outcome", to_string(a.outcome)},
                             {"start", iso_time(a.start_ms)}, {"last", iso_time(a.last_ms)}});
  j["deployments"] = ordered_json::array();
  for (const DeploymentState& d : s.deployments)
    j["deployments"].push_back({{"id", d.id}, {"status", d.status}, {"active", d.active}, {"newest", d.newest}});
  return j;
}

ordered_json finding_json(const Finding& f) {
  const Rule& r = *f.rule;
  ordered_json j = {{"id", r.id},
                    {"title", r.title},
                    {"summary", r.summary},
                    {"severity", to_string(r.severity)},
                    {"confidence", to_string(r.confidence)},
                    {"category", r.category},
                    {"root_cause", f.root_cause},
                    {"status", to_string(f.status)},
                    {"first_seen", iso_time(f.first_seen_ms)},
                    {"last_seen", iso_time(f.last_seen_ms)},
                    {"explained_by", f.explained_by},
                    {"symptoms", f.symptoms}};
  if (!r.note.empty()) j["note"] = r.note;
  j["attempts_with"] = f.attempts_with;
  j["in_latest_attempt"] = f.in_latest_attempt;
  j["after_stop"] = f.after_stop;
  j["matched_lines"] = f.matched_lines;
  j["evidence"] = ordered_json::array();
  for (const EvidenceLine& e : f.evidence) j["evidence"].push_back(evidence_json(e));
  j["captures"] = ordered_json::object();
  for (const auto& [name, value] : f.captures) j["captures"][name] = value;
  j["remediation"] = f.remediation;
  j["references"] = ordered_json::array();
  for (const Reference& ref : r.references) j["references"].push_back({{"title", ref.title}, {"url", ref.url}});
  return j;
}

ordered_json source_json(const SourceReport& s) {
  ordered_json j = {{"name", s.name}};
  if (!s.part.empty()) j["part"] = s.part;
  j["kind"] = to_string(s.kind);
  j["lines"] = s.lines;
  j["bytes"] = s.bytes;
  j["truncated_lines"] = s.truncated_lines;
  j["attempts"] = s.attempts;
  if (!s.error.empty()) j["error"] = s.error;
  return j;
}

ordered_json startup_json(const StartupPrediction& s, const StartupObserved& o) {
  ordered_json j = {{"known", s.known}, {"mode", s.mode}, {"module", s.module}, {"app_dir", s.app_dir},
                    {"command", s.command}, {"runtime_version", s.runtime_version}, {"path", s.path},
                    {"warnings", s.warnings}};
  ordered_json observed = {{"mode", o.mode}, {"module", o.module}, {"command", o.command}};
  observed["lines"] = ordered_json::array();
  for (const EvidenceLine& e : o.lines) observed["lines"].push_back(evidence_json(e));
  j["observed"] = observed;
  j["differences"] = o.differences;
  return j;
}

ordered_json timeline_json(const Timeline& t, bool with_date) {
  ordered_json events = ordered_json::array();
  for (const TimelineEvent& e : t.events) {
    ordered_json j = {{"id", e.id}, {"label", e.label}, {"phase", e.phase}, {"attempt", e.attempt},
                      {"has_time", e.has_time}};
    if (e.has_time) {
      j["utc_ms"] = e.utc_ms;
      j["time"] = clock_text(e.utc_ms, with_date);
    }
    if (!e.date_from.empty()) j["date_from"] = e.date_from;
    if (!e.instance.empty()) j["instance"] = e.instance;
    j["where"] = evidence_json(e.where);
    events.push_back(std::move(j));
  }
  // Not an initializer list: it would copy every event once more.
  ordered_json out = {{"attempts", t.attempts}};
  out["events"] = std::move(events);
  return out;
}

ordered_json unrecognised_json(const Diagnosis& d) {
  ordered_json templates = ordered_json::array();
  for (const ErrorTemplate& t : d.unrecognised)
    templates.push_back({{"template", t.pattern}, {"count", t.count}, {"first", evidence_json(t.first)},
                         {"last", evidence_json(t.last)}, {"example", evidence_json(t.example)}});
  ordered_json out = ordered_json::object();
  out["templates"] = std::move(templates);
  out["left_out"] = d.unrecognised_left_out;
  return out;
}

ordered_json header_json(const ReportHeader& h) {
  ordered_json j = {{"app", h.app.empty() ? ordered_json(nullptr) : ordered_json(h.app)}, {"inputs", h.inputs}};
  j["from_ms"] = h.from_ms ? ordered_json(*h.from_ms) : ordered_json(nullptr);
  j["to_ms"] = h.to_ms ? ordered_json(*h.to_ms) : ordered_json(nullptr);
  j["generated"] = h.generated_s ? ordered_json(utc_text(*h.generated_s)) : ordered_json(nullptr);
  j["window"] = {{"since", iso_time(h.since_ms)}, {"until", iso_time(h.until_ms)}};
  j["instances"] = h.instances;
  return j;
}

}  // namespace

void write_json(const ReportModel& m, std::ostream& out) {
  const Diagnosis& d = m.diagnosis;
  ordered_json j = {{"tool", {{"name", "appdiag"}, {"version", m.header.version}}},
                    {"root_cause", m.root ? ordered_json(m.root->finding->rule->id) : ordered_json(nullptr)},
                    {"worst_severity", d.worst_current() ? ordered_json(to_string(*d.worst_current()))
                                                          : ordered_json(nullptr)},
                    {"attempts", d.attempts},
                    {"state", state_json(d.state)},
                    {"redacted", d.redacted},
                    {"report", header_json(m.header)}};
  j["findings"] = ordered_json::array();
  for (const Finding& f : d.findings) j["findings"].push_back(finding_json(f));
  j["unrecognised"] = unrecognised_json(d);
  j["startup"] = startup_json(d.startup, d.started);
  j["timeline"] = timeline_json(d.timeline, d.spans_days());
  if (d.stopped_at_ms) j["stopped_at_ms"] = *d.stopped_at_ms;
  j["sources"] = ordered_json::array();
  for (const SourceReport& s : d.sources) j["sources"].push_back(source_json(s));
  j["unreadable"] = d.unreadable;
  j["notes"] = d.notes;
  j["skipped"] = d.skipped;
  // Logs are not always valid UTF-8: replace bad bytes rather than fail.
  out << j.dump(2, ' ', false, ordered_json::error_handler_t::replace) << "\n";
}

}  // namespace appdiag
