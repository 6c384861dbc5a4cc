#include "analyzer/report/report_header.h"

#include <ctime>

#include <re2/re2.h>

#include "analyzer/core/version.h"

namespace appdiag {

namespace {

// The platform log names the site: "Container NAME_0_x for site SITE ...".
std::string site_in_logs(const Diagnosis& d) {
  static const RE2 site(R"(\bfor site ([A-Za-z0-9][A-Za-z0-9-]{0,59})\b)");
  std::string name;
  for (const TimelineEvent& e : d.timeline.events)
    if (e.where.text.find("for site ") != std::string::npos && RE2::PartialMatch(e.where.text, site, &name))
      return name;
  return "";
}

}  // namespace

ReportHeader report_header(const Diagnosis& d, const ReportOptions& o) {
  ReportHeader h;
  h.app = o.app.empty() ? site_in_logs(d) : o.app;
  h.inputs = o.inputs;
  for (const TimelineEvent& e : d.timeline.events) {
    if (!e.has_time) continue;
    if (!h.from_ms || e.utc_ms < *h.from_ms) h.from_ms = e.utc_ms;
    if (!h.to_ms || e.utc_ms > *h.to_ms) h.to_ms = e.utc_ms;
  }
  h.generated_s = o.generated;
  h.since_ms = o.since_ms;
  h.until_ms = o.until_ms;
  h.instances = o.instances;
  h.version = kVersion;
  return h;
}

std::string utc_text(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buffer;
}

std::string window_text(const ReportHeader& h) {
  std::string out;
  if (h.since_ms) out = "since " + utc_text(*h.since_ms / 1000);
  if (h.until_ms) out += (out.empty() ? "" : " ") + std::string("until ") + utc_text(*h.until_ms / 1000);
  return out;
}

std::vector<std::pair<std::string, std::string>> header_fields(const ReportHeader& h) {
  std::vector<std::pair<std::string, std::string>> fields;
  if (!h.app.empty()) fields.emplace_back("App", h.app);
  std::string inputs;
  for (const auto& i : h.inputs) inputs += (inputs.empty() ? "" : ", ") + (i == "-" ? std::string("standard input") : i);
  if (!inputs.empty()) fields.emplace_back("Inputs", inputs);
  if (std::string window = window_text(h); !window.empty()) fields.emplace_back("Window", window);
  std::string instances;
  for (const auto& i : h.instances) instances += (instances.empty() ? "" : ", ") + i;
  if (!instances.empty()) fields.emplace_back("Instances", instances);
  if (h.from_ms) fields.emplace_back("Logs cover", utc_text(*h.from_ms / 1000) + " to " + utc_text(*h.to_ms / 1000));
  if (h.generated_s) fields.emplace_back("Generated", utc_text(*h.generated_s));
  fields.emplace_back("Tool", "appdiag " + h.version);
  return fields;
}

}  // namespace appdiag
