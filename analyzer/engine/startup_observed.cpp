#include "analyzer/engine/startup_observed.h"

#include "analyzer/core/ascii.h"
#include "analyzer/core/engine_reads.h"

#include <algorithm>

namespace appdiag {

namespace {

using Captures = std::map<std::string, std::string>;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), ascii_lower);
  return s;
}

std::string capture(const std::map<std::string, Captures>& captures, std::string_view event, std::string_view name) {
  auto it = captures.find(std::string(event));
  if (it == captures.end()) return "";
  auto c = it->second.find(std::string(name));
  return c == it->second.end() ? "" : c->second;
}

std::string location(const StartupObserved& o, std::string_view event) {
  auto it = o.events.find(std::string(event));
  return it == o.events.end() ? std::string() : " (" + it->second.file + ":" + std::to_string(it->second.line) + ")";
}

}  // namespace

StartupObserved observe_startup(const Evidence& evidence, const ScanResult& scan, const RuleSet& rules,
                                const Timeline& timeline) {
  using namespace reads;
  const std::string_view wanted[] = {kAppCommandLine, kFrameworkDetected, kGunicornCommand, kAppPath, kPythonVersion};
  // Captures of the event lines, keyed by where they are.
  std::map<std::pair<std::string, uint64_t>, Captures> at;
  for (const Match& m : scan.matches) {
    if (!m.event) continue;
    const std::string& id = rules.events[m.index].id;
    if (std::find(std::begin(wanted), std::end(wanted), id) == std::end(wanted)) continue;
    auto& c = at[{evidence.sources[m.source].name + "\n" + evidence.sources[m.source].part, m.line}];
    for (const Capture& cap : m.captures) c[cap.name] = cap.value;
  }
  StartupObserved o;
  std::map<std::string, Captures> latest;  // per event id
  for (const TimelineEvent& e : timeline.events) {
    auto it = at.find({e.where.file + "\n" + e.where.part, e.where.line});
    if (it == at.end()) continue;
    o.events[e.id] = e.where;
    latest[e.id] = it->second;
  }
  for (std::string_view id : {kAppCommandLine, kFrameworkDetected, kGunicornCommand, kAppPath}) {
    auto it = o.events.find(std::string(id));
    if (it != o.events.end()) o.lines.push_back(it->second);
  }
  o.command = capture(latest, kAppCommandLine, kCaptureCommand);
  o.module = capture(latest, kGunicornCommand, kCaptureModule);
  o.app_path = capture(latest, kAppPath, kCaptureAppPath);
  o.python_version = capture(latest, kPythonVersion, kCapturePython);
  if (o.python_version.empty()) o.python_version = capture(latest, kPythonVersion, kCapturePythonV);
  auto fw = o.events.find(std::string(kFrameworkDetected));
  if (fw != o.events.end())
    o.mode = fw->second.text.find("No framework detected") != std::string::npos
                 ? "default"
                 : lower(capture(latest, kFrameworkDetected, kCaptureFramework));
  // A custom command logged after the last detection is what ran.
  if (!o.command.empty() &&
      (fw == o.events.end() || fw->second.line < o.events.at(std::string(kAppCommandLine)).line))
    o.mode = "custom";
  return o;
}

StartupHints startup_hints(const StartupObserved& observed) {
  return {observed.python_version, observed.app_path};
}

std::vector<std::string> startup_differences(const StartupPrediction& p, const StartupObserved& o) {
  using namespace reads;
  std::vector<std::string> differences;
  if (!p.known || p.mode.empty() || o.mode.empty()) return differences;
  if (p.mode == "custom" && o.mode == "custom") {
    if (o.command != p.command)
      differences.push_back("The site config's startup command is `" + p.command + "`, but the container ran `" +
                            o.command + "`" + location(o, kAppCommandLine) + ": the setting changed since that start.");
    return differences;
  }
  if (p.mode != o.mode)
    differences.push_back("Predicted " + p.mode + (p.module.empty() ? "" : " (" + p.module + ")") + ", but the log shows " +
                          o.mode + (o.module.empty() ? "" : " (" + o.module + ")") +
                          location(o, o.mode == "custom" ? kAppCommandLine : kFrameworkDetected) +
                          ": the deployed files or settings differ from the ones given here, or changed since.");
  else if (!p.module.empty() && !o.module.empty() && p.module != o.module)
    differences.push_back("Predicted module " + p.module + ", but the log shows " + o.module + location(o, kGunicornCommand) + ".");
  return differences;
}

}  // namespace appdiag
