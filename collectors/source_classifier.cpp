#include "collectors/source_classifier.h"

#include <array>

#include <re2/re2.h>

#include "collectors/listing_parser.h"
#include "collectors/settings_parser.h"

namespace appdiag {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view file_name(std::string_view path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Lines that only one kind of log prints (facts sheet §2, §3, §8).
struct Marker {
  SourceKind kind;
  const RE2* re;
};

const std::array<Marker, 3>& markers() {
  static const RE2 deploy(
      R"(Running oryx build\.\.\.|Command: oryx build|Detecting platforms\.\.\.|Running pip install\.\.\.|)"
      R"(Deployment successful\.|Preparing deployment for commit id|Handling Basic Web Site deployment|)"
      R"(^(?:remote: )?\[\d\d:\d\d:\d\d\+0000\] |Build Summary :|Skipping build\. Project type|)"
      // az webapp deploy / up / deployment source config-zip (azure-cli appservice) and the
      // azure/webapps-deploy action (azure-actions-appservice-rest), from their sources.
      R"(Polling the status of (?:a)?sync deployment|Status: (?:Build|Starting the site|Site)[^.]*\. Time: \d+\(s\)|)"
      R"(Getting scm site credentials for zip deployment|Starting zip deployment\. |Deployment endpoint responded with status code|)"
      R"(Package deployment using (?:OneDeploy|ZIP Deploy) initiated|Successfully deployed web package to App Service|)"
      R"(Deploy logs can be viewed at |Deployment failed because the |Failed to deploy web package)");
  static const RE2 platform(
      R"(^\S+ (?:INFO  |ERROR|WARN ) - |Starting container for site|didn't respond to HTTP pings|)"
      R"(Site startup probe failed|Container start method finished|docker run -d )");
  static const RE2 app(
      R"(A P P   S E R V I C E   O N   L I N U X|Launching oryx with:|\[INFO\] Starting gunicorn|)"
      R"(\[INFO\] Booting worker|Traceback \(most recent call last\)|Site's appCommandLine|)"
      R"(Detected an app based on|App Command Line not configured|\] \[\d+\] \[(?:INFO|ERROR|CRITICAL|WARNING)\] )");
  static const std::array<Marker, 3> all = {{{SourceKind::Deploy, &deploy},
                                             {SourceKind::Platform, &platform},
                                             {SourceKind::App, &app}}};
  return all;
}

}  // namespace

std::optional<SourceKind> kind_by_path(std::string_view path) {
  std::string_view name = file_name(path);
  if (name == "wwwroot-listing.txt" || name.find("listing") != std::string_view::npos) return SourceKind::Listing;
  if (ends_with(name, ".json") && (name.find("appsettings") != std::string_view::npos ||
                                   name.find("siteconfig") != std::string_view::npos ||
                                   name.find("settings") != std::string_view::npos))
    return SourceKind::Settings;
  if (name == "environ" || name == "env.txt") return SourceKind::Settings;
  if (ends_with(name, "_default_docker.log") || ends_with(name, "_easyauth_docker.log")) return SourceKind::App;
  if (ends_with(name, "_docker.log")) return SourceKind::Platform;
  bool in_deployments = path.find("deployments/") != std::string_view::npos;
  if (in_deployments && name == "log.log") return SourceKind::Deploy;
  if (path.find("kudu/deployment") != std::string_view::npos) return SourceKind::Deploy;
  if (name == "oryx-build.log" || name == "build-debug.log") return SourceKind::Deploy;
  return std::nullopt;
}

std::optional<SourceKind> kind_by_content(std::string_view head) {
  if (looks_like_listing(head)) return SourceKind::Listing;
  if (looks_like_settings_json(head)) return SourceKind::Settings;
  std::array<int, 3> score{};
  size_t start = 0;
  for (int lines = 0; start < head.size() && lines < 2000; ++lines) {
    size_t nl = head.find('\n', start);
    std::string_view line = head.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    for (size_t k = 0; k < markers().size(); ++k)
      if (RE2::PartialMatch(line, *markers()[k].re)) ++score[k];
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  size_t best = 0;
  for (size_t k = 1; k < score.size(); ++k)
    if (score[k] > score[best]) best = k;
  if (score[best] == 0) return std::nullopt;
  return markers()[best].kind;
}

}  // namespace appdiag
