#include "collectors/ssh_logs.h"

#include <algorithm>
#include <map>
#include <utility>

#include <re2/re2.h>

namespace appdiag {
namespace {

bool newer(const RemoteEntry& a, const RemoteEntry& b) {
  return std::tie(a.mtime, a.mtime_nsec, a.name) > std::tie(b.mtime, b.mtime_nsec, b.name);
}

}  // namespace

std::vector<LogPick> pick_docker_logs(const std::vector<RemoteEntry>& entries) {
  // The machine name is lazy so "_default_docker" is taken as the suffix.
  static const RE2 pattern(R"(^\d{4}_\d{2}_\d{2}_(.+?)_(default_docker|docker)\.log$)");
  std::map<std::pair<std::string, std::string>, const RemoteEntry*> newest;
  for (const RemoteEntry& e : entries) {
    std::string machine, suffix;
    if (e.is_dir() || e.is_link() || !RE2::FullMatch(e.name, pattern, &machine, &suffix)) continue;
    // Other per-feature logs (e.g. _easyauth_docker.log) are not the app's or the platform's.
    if (machine.size() > 9 && machine.compare(machine.size() - 9, 9, "_easyauth") == 0) continue;
    const RemoteEntry*& slot = newest[{machine, suffix}];
    if (!slot || newer(e, *slot)) slot = &e;
  }
  std::vector<LogPick> picks;
  for (const auto& [key, e] : newest) {
    picks.push_back({e->name, key.second == "docker" ? SourceKind::Platform : SourceKind::App});
  }
  std::sort(picks.begin(), picks.end(), [](const LogPick& a, const LogPick& b) { return a.name < b.name; });
  return picks;
}

std::vector<std::string> pick_deployments(const std::vector<RemoteEntry>& folders, size_t limit) {
  std::vector<const RemoteEntry*> dirs;
  for (const RemoteEntry& e : folders) {
    if (e.is_dir() && e.name != "." && e.name != "..") dirs.push_back(&e);
  }
  std::sort(dirs.begin(), dirs.end(), [](const RemoteEntry* a, const RemoteEntry* b) { return newer(*a, *b); });
  std::vector<std::string> names;
  for (size_t i = 0; i < dirs.size() && i < limit; ++i) names.push_back(dirs[i]->name);
  return names;
}

std::string_view from_line_boundary(std::string_view bytes, uint64_t offset) {
  if (offset == 0) return bytes;
  size_t newline = bytes.find('\n');
  return newline == std::string_view::npos ? std::string_view() : bytes.substr(newline + 1);
}

}  // namespace appdiag
