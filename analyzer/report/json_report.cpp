// The JSON report (schema in README "JSON output"), written as it goes:
// nothing of it is held as a tree.
#include "analyzer/report/json_writer.h"
#include "analyzer/report/report_model.h"

namespace appdiag {

namespace {

void write_evidence(JsonWriter& w, const EvidenceLine& e) {
  w.begin_object().field("kind", to_string(e.kind)).field("file", e.file);
  if (!e.part.empty()) w.field("part", e.part);
  w.field("line", e.line).field("text", e.text);
  if (e.end > e.begin) w.key("match").begin_array().value(e.begin).value(e.end).end_array();
  if (e.truncated) w.field("truncated", true);
  if (e.attempt) w.field("attempt", e.attempt);
  w.end_object();
}

void write_evidence(JsonWriter& w, std::string_view name, const std::vector<EvidenceLine>& lines) {
  w.key(name).begin_array();
  for (const EvidenceLine& e : lines) write_evidence(w, e);
  w.end_array();
}

std::optional<std::string> iso_time(const std::optional<int64_t>& ms) {
  if (!ms) return std::nullopt;
  std::string t = clock_text(*ms, true);
  t[10] = 'T';
  return t + "Z";
}

void write_state(JsonWriter& w, const CurrentState& s) {
  w.begin_object().field("headline", s.headline).field("spans_days", s.spans_days);
  w.key("instances").begin_array();
  for (const InstanceState& i : s.instances)
    w.begin_object()
        .field("name", i.name)
        .field("latest_attempt", i.latest_attempt)
        .field("outcome", to_string(i.outcome))
        .field("since", iso_time(i.since_ms))
        .end_object();
  w.end_array().key("attempts").begin_array();
  for (const AttemptState& a : s.attempts)
    w.begin_object()
        .field("number", a.number)
        .field("instance", a.instance)
        .field("outcome", to_string(a.outcome))
        .field("start", iso_time(a.start_ms))
        .field("last", iso_time(a.last_ms))
        .end_object();
  w.end_array().key("deployments").begin_array();
  for (const DeploymentState& d : s.deployments)
    w.begin_object()
        .field("id", d.id)
        .field("status", d.status)
        .field("active", d.active)
        .field("newest", d.newest)
        .end_object();
  w.end_array().end_object();
}

void write_finding(JsonWriter& w, const Finding& f) {
  const Rule& r = *f.rule;
  w.begin_object()
      .field("id", r.id)
      .field("title", r.title)
      .field("summary", r.summary)
      .field("severity", to_string(r.severity))
      .field("confidence", to_string(r.confidence))
      .field("category", r.category)
      .field("root_cause", f.root_cause)
      .field("status", to_string(f.status))
      .field("first_seen", iso_time(f.first_seen_ms))
      .field("last_seen", iso_time(f.last_seen_ms))
      .field("explained_by", f.explained_by)
      .field("symptoms", f.symptoms);
  if (!r.note.empty()) w.field("note", r.note);
  w.field("attempts_with", f.attempts_with)
      .field("in_latest_attempt", f.in_latest_attempt)
      .field("after_stop", f.after_stop)
      .field("matched_lines", f.matched_lines);
  write_evidence(w, "evidence", f.evidence);
  w.key("captures").begin_object();
  for (const auto& [name, value] : f.captures) w.field(name, value);
  w.end_object().field("remediation", f.remediation).key("references").begin_array();
  for (const Reference& ref : r.references)
    w.begin_object().field("title", ref.title).field("url", ref.url).end_object();
  w.end_array().end_object();
}

void write_source(JsonWriter& w, const SourceReport& s) {
  w.begin_object().field("name", s.name);
  if (!s.part.empty()) w.field("part", s.part);
  w.field("kind", to_string(s.kind))
      .field("lines", s.lines)
      .field("bytes", s.bytes)
      .field("truncated_lines", s.truncated_lines)
      .field("attempts", s.attempts);
  if (!s.error.empty()) w.field("error", s.error);
  w.end_object();
}

void write_startup(JsonWriter& w, const StartupPrediction& s, const StartupObserved& o) {
  w.begin_object()
      .field("known", s.known)
      .field("mode", s.mode)
      .field("module", s.module)
      .field("app_dir", s.app_dir)
      .field("command", s.command)
      .field("runtime_version", s.runtime_version)
      .field("path", s.path)
      .field("warnings", s.warnings);
  w.key("observed").begin_object().field("mode", o.mode).field("module", o.module).field("command", o.command);
  write_evidence(w, "lines", o.lines);
  w.end_object().field("differences", o.differences).end_object();
}

void write_timeline(JsonWriter& w, const Timeline& t, bool with_date) {
  w.begin_object().field("attempts", t.attempts).key("events").begin_array();
  for (const TimelineEvent& e : t.events) {
    w.begin_object()
        .field("id", e.id)
        .field("label", e.label)
        .field("phase", e.phase)
        .field("attempt", e.attempt)
        .field("has_time", e.has_time);
    if (e.has_time) w.field("utc_ms", e.utc_ms).field("time", clock_text(e.utc_ms, with_date));
    if (!e.date_from.empty()) w.field("date_from", e.date_from);
    if (!e.instance.empty()) w.field("instance", e.instance);
    w.key("where");
    write_evidence(w, e.where);
    w.end_object();
  }
  w.end_array().end_object();
}

void write_unrecognised(JsonWriter& w, const Diagnosis& d) {
  w.begin_object().key("templates").begin_array();
  for (const ErrorTemplate& t : d.unrecognised) {
    w.begin_object().field("template", t.pattern).field("count", t.count);
    w.key("first");
    write_evidence(w, t.first);
    w.key("last");
    write_evidence(w, t.last);
    w.key("example");
    write_evidence(w, t.example);
    w.end_object();
  }
  w.end_array().field("left_out", d.unrecognised_left_out).end_object();
}

void write_header(JsonWriter& w, const ReportHeader& h) {
  w.begin_object()
      .field("app", h.app.empty() ? std::nullopt : std::optional<std::string>(h.app))
      .field("inputs", h.inputs)
      .field("from_ms", h.from_ms)
      .field("to_ms", h.to_ms)
      .field("generated", h.generated_s ? std::optional<std::string>(utc_text(*h.generated_s)) : std::nullopt);
  w.key("window").begin_object().field("since", iso_time(h.since_ms)).field("until", iso_time(h.until_ms)).end_object();
  w.field("instances", h.instances).end_object();
}

}  // namespace

void write_json(const ReportModel& m, std::ostream& out) {
  const Diagnosis& d = m.diagnosis;
  JsonWriter w(out);
  w.begin_object().key("tool").begin_object().field("name", "appdiag").field("version", m.header.version).end_object();
  w.field("root_cause", m.root ? std::optional<std::string>(m.root->finding->rule->id) : std::nullopt)
      .field("worst_severity", d.worst_current() ? std::optional<std::string>(to_string(*d.worst_current()))
                                                 : std::nullopt)
      .field("attempts", d.attempts)
      .key("state");
  write_state(w, d.state);
  w.field("redacted", d.redacted).key("report");
  write_header(w, m.header);
  w.key("findings").begin_array();
  for (const Finding& f : d.findings) write_finding(w, f);
  w.end_array().key("unrecognised");
  write_unrecognised(w, d);
  w.key("startup");
  write_startup(w, d.startup, d.started);
  w.key("timeline");
  write_timeline(w, d.timeline, d.spans_days());
  if (d.stopped_at_ms) w.field("stopped_at_ms", *d.stopped_at_ms);
  w.key("sources").begin_array();
  for (const SourceReport& s : d.sources) write_source(w, s);
  w.end_array().field("unreadable", d.unreadable).field("notes", d.notes).field("skipped", d.skipped).end_object();
  w.flush();
  out << "\n";
}

}  // namespace appdiag
