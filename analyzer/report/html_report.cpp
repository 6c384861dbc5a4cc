// One self-contained HTML page in the style of the portal's "Diagnose and
// solve problems" blade. No script at all and a Content-Security-Policy that
// forbids loading anything, so a hostile log line can neither run nor call
// out: every piece of text from logs goes through escape_markup.
#include <algorithm>
#include <cstdint>
#include <sstream>

#include "analyzer/report/html_escape.h"
#include "analyzer/report/report_model.h"

namespace appdiag {

namespace {


const char* kStyle = R"(
body{margin:0;font:14px/1.45 "Segoe UI",system-ui,-apple-system,sans-serif;background:#faf9f8;color:#201f1e}
header{background:#0078d4;color:#fff;padding:14px 28px}header h1{margin:0;font-size:20px;font-weight:600}
header p{margin:2px 0 0;opacity:.9}main{max-width:1180px;margin:0 auto;padding:20px 28px}
.card{background:#fff;border:1px solid #edebe9;border-radius:4px;box-shadow:0 1px 2px rgba(0,0,0,.08);padding:16px 20px;margin:0 0 16px}
.card h2{margin:0 0 6px;font-size:18px}.card h3{margin:14px 0 6px;font-size:15px}
.sev{display:inline-block;border-radius:10px;padding:1px 10px;font-size:12px;font-weight:600;color:#fff;vertical-align:middle;margin-right:8px}
.sev-error{background:#a4262c}.sev-warning{background:#8a6d00}.sev-info{background:#005a9e}
.root{border-left:6px solid #a4262c}.ok{border-left:6px solid #107c10}.id{font-family:Consolas,monospace;color:#605e5c;font-size:12px}
table{border-collapse:collapse;width:100%}td,th{text-align:left;vertical-align:top;padding:4px 8px;border-bottom:1px solid #f3f2f1}
.ev td.loc{white-space:nowrap;color:#605e5c;font-family:Consolas,monospace;font-size:12px}
.ev td.line{font-family:Consolas,monospace;font-size:12px;white-space:pre-wrap;word-break:break-all}
mark{background:#fff100;color:#201f1e;padding:0 1px}ol li{margin:3px 0}
.symptom{margin:10px 0 0 18px;padding:8px 12px;border-left:3px solid #c8c6c4;background:#faf9f8}
.muted{color:#605e5c}pre{background:#f3f2f1;padding:10px;white-space:pre-wrap;word-break:break-all;font-size:12px}
svg text{font:11px "Segoe UI",sans-serif;fill:#323130}
)";

std::string sev(Severity s) {
  std::string name(to_string(s));
  return "<span class=\"sev sev-" + name + "\">" + name + "</span>";
}

std::string marked_line(const ShownLine& s) {
  if (s.end <= s.begin) return escape_markup(s.text);
  return escape_markup(s.text.substr(0, s.begin)) + "<mark>" + escape_markup(s.text.substr(s.begin, s.end - s.begin)) +
         "</mark>" + escape_markup(s.text.substr(s.end));
}

void write_evidence(const EvidenceWindow& w, std::ostream& out) {
  if (w.lines.empty()) return;
  out << "<table class=\"ev\">\n";
  for (const ShownEvidence& e : w.lines)
    out << "<tr><td class=\"loc\">" << escape_markup(e.where) << "</td><td class=\"line\">" << marked_line(e.shown)
        << (e.line->truncated ? " <span class=\"muted\">[line truncated]</span>" : "") << "</td></tr>\n";
  out << "</table>\n";
  if (w.not_shown) out << "<p class=\"muted\">" << w.not_shown << " more matching line(s) not shown.</p>\n";
}

void write_finding_body(const FindingView& v, const Diagnosis& d, std::ostream& out) {
  const Finding& f = *v.finding;
  const Rule& r = *f.rule;
  if (!r.summary.empty()) out << "<p>" << escape_markup(r.summary) << "</p>\n";
  if (r.confidence != Confidence::High)
    out << "<p class=\"muted\">Confidence: " << to_string(r.confidence) << (r.note.empty() ? "" : " — " + escape_markup(r.note)) << "</p>\n";
  if (d.attempts >= 2 && f.attempts_with)
    out << "<p class=\"muted\">Seen in " << f.attempts_with << " of " << d.attempts << " start attempts"
        << (f.in_latest_attempt ? ", including the latest" : "; not in the latest") << ".</p>\n";
  if (f.after_stop) out << "<p class=\"muted\">Seen only after the platform stopped the site: not the cause of that stop.</p>\n";
  if (!f.remediation.empty()) {
    out << "<h3>What to do</h3>\n<ol>\n";
    for (const auto& step : f.remediation) out << "<li>" << escape_markup(step) << "</li>\n";
    out << "</ol>\n";
  }
  if (!f.evidence.empty()) out << "<h3>Evidence</h3>\n";
  write_evidence(v.window, out);
  for (const Reference& ref : r.references)
    out << "<p>See: <a href=\"" << escape_markup(ref.url) << "\" rel=\"noreferrer noopener\">" << escape_markup(ref.title)
        << "</a></p>\n";
}

void write_card(const FindingView& v, const Diagnosis& d, std::ostream& out) {
  const Rule& r = *v.finding->rule;
  bool is_root = v.is_root;
  out << "<section class=\"card" << (is_root ? " root" : "") << "\" id=\"" << escape_markup(r.id) << "\">\n<h2>"
      << sev(r.severity) << (is_root ? "Root cause: " : "") << escape_markup(r.title) << "</h2>\n<div class=\"id\">"
      << escape_markup(r.id) << "</div>\n";
  write_finding_body(v, d, out);
  if (!v.symptoms.empty()) out << "<h3>Symptoms explained by this</h3>\n";
  for (const FindingView* s : v.symptoms) {
    const Rule& sr = *s->finding->rule;
    out << "<div class=\"symptom\"><strong>" << sev(sr.severity) << escape_markup(sr.title)
        << "</strong> <span class=\"id\">" << escape_markup(sr.id) << "</span>\n";
    write_evidence(s->window, out);
    out << "</div>\n";
  }
  out << "</section>\n";
}

void write_startup(const StartupPrediction& s, const StartupObserved& o, const EvidenceWindow& observed,
                   std::ostream& out) {
  if (!s.known && s.path.empty()) return;
  out << "<section class=\"card\"><h2>Startup prediction</h2>\n";
  if (!s.command.empty()) out << "<p>App Service will run:</p><pre>" << escape_markup(s.command) << "</pre>\n";
  if (!s.path.empty()) {
    out << "<h3>Why</h3><ol>\n";
    for (const auto& p : s.path) out << "<li>" << escape_markup(p) << "</li>\n";
    out << "</ol>\n";
  }
  for (const auto& w : s.warnings) out << "<p>" << sev(Severity::Warning) << escape_markup(w) << "</p>\n";
  if (!o.command.empty()) out << "<p>Observed in the log:</p><pre>" << escape_markup(o.command) << "</pre>\n";
  for (const auto& diff : o.differences) out << "<p>" << sev(Severity::Error) << escape_markup(diff) << "</p>\n";
  write_evidence(observed, out);
  out << "</section>\n";
}

const char* phase_colour(const std::string& phase) {
  if (phase == "build") return "#0078d4";
  if (phase == "deploy") return "#8764b8";
  if (phase == "start") return "#107c10";
  if (phase == "fail") return "#a4262c";
  if (phase == "stop") return "#d83b01";
  return "#605e5c";
}

// Dots on a time axis, one lane per phase; <title> gives the hover text
// without script.
void write_timeline_svg(const Timeline& t, std::ostream& out) {
  static const std::vector<std::string> lanes = {"build", "deploy", "start", "run", "fail", "stop"};
  int64_t lo = INT64_MAX, hi = INT64_MIN;
  for (const auto& e : t.events)
    if (e.has_time) lo = std::min(lo, e.utc_ms), hi = std::max(hi, e.utc_ms);
  if (lo > hi) return;
  const int left = 70, width = 1000, lane_h = 26, top = 10;
  int height = top + lane_h * static_cast<int>(lanes.size()) + 30;
  out << "<svg role=\"img\" aria-label=\"timeline\" width=\"100%\" viewBox=\"0 0 " << left + width + 20 << " " << height
      << "\" xmlns=\"http://www.w3.org/2000/svg\">\n";
  for (size_t i = 0; i < lanes.size(); ++i) {
    int y = top + lane_h * static_cast<int>(i) + lane_h / 2;
    out << "<text x=\"4\" y=\"" << y + 4 << "\">" << lanes[i] << "</text><line x1=\"" << left << "\" x2=\"" << left + width
        << "\" y1=\"" << y << "\" y2=\"" << y << "\" stroke=\"#edebe9\"/>\n";
  }
  for (const auto& e : t.events) {
    if (!e.has_time) continue;
    auto lane = std::find(lanes.begin(), lanes.end(), e.phase);
    int y = top + lane_h * static_cast<int>(std::min<size_t>(lane - lanes.begin(), lanes.size() - 1)) + lane_h / 2;
    double x = left + (hi == lo ? width / 2.0 : double(e.utc_ms - lo) * width / double(hi - lo));
    out << "<circle cx=\"" << static_cast<int>(x) << "\" cy=\"" << y << "\" r=\"5\" fill=\"" << phase_colour(e.phase)
        << "\"><title>" << clock_text(e.utc_ms) << " " << escape_markup(e.label) << " (attempt " << e.attempt
        << ")</title></circle>\n";
  }
  int axis = top + lane_h * static_cast<int>(lanes.size()) + 16;
  out << "<text x=\"" << left << "\" y=\"" << axis << "\">" << clock_text(lo) << " UTC</text><text x=\"" << left + width
      << "\" y=\"" << axis << "\" text-anchor=\"end\">" << clock_text(hi) << " UTC</text>\n</svg>\n";
}

void write_timeline(const Timeline& t, std::ostream& out) {
  if (t.events.empty()) return;
  out << "<section class=\"card\"><h2>Timeline</h2><p class=\"muted\">" << t.attempts << " start attempt"
      << (t.attempts == 1 ? "" : "s") << "; times in UTC.</p>\n";
  write_timeline_svg(t, out);
  out << "<details><summary>All " << t.events.size() << " events</summary><table>\n"
      << "<tr><th>Time</th><th>Attempt</th><th>Phase</th><th>Event</th><th>Where</th></tr>\n";
  for (const auto& e : t.events)
    out << "<tr><td>" << (e.has_time ? clock_text(e.utc_ms) : "—") << "</td><td>" << e.attempt << "</td><td>"
        << escape_markup(e.phase) << "</td><td>" << escape_markup(e.label) << "</td><td class=\"id\">"
        << escape_markup(where(e.where)) << "</td></tr>\n";
  out << "</table></details></section>\n";
}

void write_unrecognised(const Diagnosis& d, std::ostream& out) {
  if (d.unrecognised.empty()) return;
  out << "<section class=\"card\"><h2>Unrecognised errors</h2><p class=\"muted\">Error lines no rule explains, most "
         "frequent first.</p>\n<table class=\"ev\"><tr><th>Count</th><th>Template</th><th>Example</th></tr>\n";
  for (const ErrorTemplate& t : d.unrecognised)
    out << "<tr><td>" << t.count << "</td><td class=\"line\">" << escape_markup(t.pattern) << "</td><td class=\"line\">"
        << escape_markup(where(t.example)) << "<br>" << escape_markup(shown_line(t.example).text) << "</td></tr>\n";
  out << "</table>\n";
  if (d.unrecognised_left_out) out << "<p class=\"muted\">" << d.unrecognised_left_out << " more templates not listed.</p>\n";
  out << "</section>\n";
}

void write_sources(const Diagnosis& d, std::ostream& out) {
  out << "<section class=\"card\"><h2>Sources read</h2>\n<table><tr><th>Kind</th><th>File</th><th>Lines</th><th>Bytes</th>"
         "<th>Notes</th></tr>\n";
  for (const SourceReport& s : d.sources) {
    out << "<tr><td>" << to_string(s.kind) << "</td><td class=\"id\">" << escape_markup(s.name)
        << (s.part.empty() ? "" : " (" + escape_markup(s.part) + ")") << "</td><td>" << s.lines << "</td><td>" << s.bytes
        << "</td><td>" << escape_markup(s.error);
    if (s.truncated_lines)
      out << " " << s.truncated_lines << " long line(s) matched on their head only (first: line " << s.first_truncated_line << ")";
    out << "</td></tr>\n";
  }
  out << "</table>\n";
  for (const auto& u : d.unreadable) out << "<p>" << sev(Severity::Warning) << "Could not read: " << escape_markup(u) << "</p>\n";
  for (const auto& n : d.notes) out << "<p class=\"muted\">Note: " << escape_markup(n) << "</p>\n";
  if (!d.redacted) out << "<p>" << sev(Severity::Warning) << "Secrets were NOT redacted (--no-redact).</p>\n";
  out << "</section>\n";
}

}  // namespace

void write_html(const ReportModel& m, std::ostream& out) {
  const Diagnosis& d = m.diagnosis;
  std::string title = m.root ? "appdiag: " + m.root->finding->rule->title : std::string("appdiag: no known failure found");
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" << escape_markup(title)
      << "</title>\n<style>" << kStyle << "</style></head>\n<body>\n<header><h1>Diagnose and solve problems</h1>"
      << "<p>appdiag — Python on Azure App Service (Linux)</p>\n<dl class=\"meta\">";
  for (const auto& [label, value] : m.header_fields)
    out << "<dt>" << escape_markup(label) << "</dt><dd>" << escape_markup(value) << "</dd>";
  out << "</dl></header>\n<main>\n";
  if (m.causes.empty())
    out << "<section class=\"card ok\"><h2>No known failure found</h2><p>No rule of the pack matched the evidence.</p></section>\n";
  for (const FindingView* v : m.causes) write_card(*v, d, out);
  write_startup(d.startup, d.started, m.startup_observed, out);
  write_timeline(d.timeline, out);
  write_unrecognised(d, out);
  write_sources(d, out);
  out << "</main>\n</body></html>\n";
}

}  // namespace appdiag
