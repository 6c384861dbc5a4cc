#include "analyzer/report/report_diff.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analyzer/core/error.h"
#include "analyzer/core/text_escape.h"
#include "analyzer/core/version.h"

namespace appdiag {

using nlohmann::ordered_json;

namespace {

std::string iso(const std::optional<int64_t>& ms) {
  if (!ms) return "";
  std::string t = clock_text(*ms, true);
  t[10] = 'T';
  return t + "Z";
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(located(path, 0, "cannot read"));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<Severity> severity_named(const std::string& name) {
  for (Severity s : {Severity::Info, Severity::Warning, Severity::Error})
    if (to_string(s) == name) return s;
  return std::nullopt;
}

std::string string_at(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

bool current(const DiffFinding& f) { return f.status == "current"; }

const DiffFinding* find_current(const DiffSide& side, const std::string& id) {
  for (const DiffFinding& f : side.findings)
    if (f.id == id && current(f)) return &f;
  return nullptr;
}

ordered_json finding_json(const DiffFinding& f) {
  return {{"id", f.id}, {"title", f.title}, {"severity", to_string(f.severity)}, {"status", f.status},
          {"root_cause", f.root_cause}, {"last_seen", f.last_seen.empty() ? ordered_json(nullptr) : ordered_json(f.last_seen)}};
}

void write_section(const char* title, const std::vector<DiffFinding>& list, std::ostream& out) {
  out << "\n" << title << " (" << list.size() << ")\n";
  for (const DiffFinding& f : list) {
    out << "  [" << to_string(f.severity) << "] " << escape_for_terminal(f.id) << ": " << escape_for_terminal(f.title);
    if (f.root_cause) out << " (root cause)";
    if (!current(f)) out << " — now " << f.status;
    if (!f.last_seen.empty()) out << " — last seen " << f.last_seen;
    out << "\n";
  }
}

}  // namespace

DiffSide diff_side(const Diagnosis& d, const std::string& name) {
  DiffSide side{name, d.state.headline, {}};
  for (const Finding& f : d.findings)
    side.findings.push_back({f.rule->id, f.rule->title, f.rule->severity, std::string(to_string(f.status)),
                             &f == d.root_cause(), iso(f.last_seen_ms)});
  return side;
}

bool is_json_report(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;  // not a readable file: a folder, a zip's sibling... analyze says why
  char c = 0;
  while (in.get(c) && std::isspace(static_cast<unsigned char>(c))) {}
  if (c != '{') return false;
  nlohmann::json j = nlohmann::json::parse(read_text(path), nullptr, false);
  if (!j.is_object()) return false;
  auto tool = j.find("tool");
  return tool != j.end() && tool->is_object() && string_at(*tool, "name") == "appdiag";
}

DiffSide read_json_report(const std::string& path) {
  nlohmann::json j = nlohmann::json::parse(read_text(path), nullptr, false);
  if (!j.is_object() || !j.contains("findings") || !j["findings"].is_array())
    throw InputError(located(path, 0, "not an appdiag JSON report: no \"findings\""));
  DiffSide side{path, "", {}};
  if (auto state = j.find("state"); state != j.end() && state->is_object()) side.headline = string_at(*state, "headline");
  std::string root = j.contains("root_cause") && j["root_cause"].is_string() ? j["root_cause"].get<std::string>() : "";
  for (const nlohmann::json& f : j["findings"]) {
    if (!f.is_object()) throw InputError(located(path, 0, "not an appdiag JSON report: a finding is not an object"));
    DiffFinding d;
    d.id = string_at(f, "id");
    auto severity = severity_named(string_at(f, "severity"));
    if (d.id.empty() || !severity)
      throw InputError(located(path, 0, "not an appdiag JSON report: a finding without an id or a severity"));
    d.severity = *severity;
    d.title = string_at(f, "title");
    // Reports from before statuses existed held current findings only.
    d.status = f.contains("status") ? string_at(f, "status") : "current";
    d.root_cause = d.id == root;
    d.last_seen = string_at(f, "last_seen");
    side.findings.push_back(std::move(d));
  }
  return side;
}

ReportDiff diff_sides(DiffSide before, DiffSide after) {
  ReportDiff diff;
  for (const DiffFinding& f : after.findings) {
    if (!current(f)) continue;
    (find_current(before, f.id) ? diff.unchanged : diff.added).push_back(f);
  }
  for (const DiffFinding& f : before.findings) {
    if (!current(f) || find_current(after, f.id)) continue;
    DiffFinding gone = f;
    // As the after side shows it: resolved or intermittent there, or gone.
    auto later = std::find_if(after.findings.begin(), after.findings.end(), [&](const DiffFinding& a) { return a.id == f.id; });
    gone.status = later == after.findings.end() ? "absent" : later->status;
    if (later != after.findings.end() && !later->last_seen.empty()) gone.last_seen = later->last_seen;
    diff.resolved.push_back(std::move(gone));
  }
  diff.before = std::move(before);
  diff.after = std::move(after);
  return diff;
}

void write_diff_text(const ReportDiff& diff, std::ostream& out) {
  for (const DiffSide* side : {&diff.before, &diff.after}) {
    out << (side == &diff.before ? "BEFORE: " : "AFTER:  ") << escape_for_terminal(side->name) << "\n";
    if (!side->headline.empty()) out << "  NOW: " << escape_for_terminal(side->headline) << "\n";
  }
  write_section("NEW", diff.added, out);
  write_section("RESOLVED", diff.resolved, out);
  write_section("UNCHANGED", diff.unchanged, out);
}

void write_diff_json(const ReportDiff& diff, std::ostream& out) {
  auto side_json = [](const DiffSide& s) {
    return ordered_json{{"input", s.name}, {"headline", s.headline}};
  };
  auto list = [](const std::vector<DiffFinding>& findings) {
    ordered_json a = ordered_json::array();
    for (const DiffFinding& f : findings) a.push_back(finding_json(f));
    return a;
  };
  ordered_json j = {{"tool", {{"name", "appdiag"}, {"version", kVersion}}},
                    {"before", side_json(diff.before)},
                    {"after", side_json(diff.after)},
                    {"new", list(diff.added)},
                    {"resolved", list(diff.resolved)},
                    {"unchanged", list(diff.unchanged)}};
  out << j.dump(2, ' ', false, ordered_json::error_handler_t::replace) << "\n";
}

}  // namespace appdiag
