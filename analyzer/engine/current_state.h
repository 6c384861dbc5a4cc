#pragma once
// The app as it is now. A bundle holds days of logs from several instances
// and several deployments; what matters is the latest start attempt of each
// instance and the deployment the site runs. From the timeline this works
// out each attempt's outcome, each instance's current state, the deployments'
// state, and one headline ("Running since ... on 2 instances"; "Failing on ...").
//
// Finding status (see README "Diagnosing now"):
//   current       seen in the latest start attempt of an instance, or in the
//                 deployment the site runs, or where there are no attempts
//   resolved      seen only in attempts that failed and were followed by a
//                 successful attempt of the same instance, or only in
//                 deployments a later successful one replaced
//   intermittent  neither: e.g. a worker timeout during an earlier healthy run
// Only current findings are root causes and fail --fail-on.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analyzer/core/evidence.h"
#include "analyzer/engine/condition_eval.h"
#include "analyzer/engine/timeline.h"

namespace appdiag {

enum class Outcome { Ready, Started, Failed, Starting, Unknown };
std::string_view to_string(Outcome outcome);  // "ready", "started", "failed", "starting", "unknown"

enum class FindingStatus { Current, Intermittent, Resolved };
std::string_view to_string(FindingStatus status);  // "current", "intermittent", "resolved"

struct AttemptState {
  uint32_t number = 0;
  std::string instance;
  std::optional<int64_t> start_ms;  // when the attempt began, if dated
  std::optional<int64_t> last_ms;   // its last dated event
  Outcome outcome = Outcome::Unknown;
};

struct InstanceState {
  std::string name;        // "" for logs that do not name their machine
  uint32_t latest_attempt = 0;
  Outcome outcome = Outcome::Unknown;
  std::optional<int64_t> since_ms;  // start of the latest attempt
};

struct DeploymentState {
  std::string id;
  std::string status;  // from status.xml, or "success"/"failed" from its log, or ""
  bool active = false; // deployments/active names it
  bool newest = false; // the one the site runs as far as the bundle tells
};

struct CurrentState {
  std::vector<AttemptState> attempts;  // by number (attempts[i].number == i + 1)
  std::vector<InstanceState> instances;
  std::vector<DeploymentState> deployments;
  bool spans_days = false;
  std::string headline;  // what holds now, "" when the logs do not say
};

CurrentState current_state(const Evidence& evidence, const Timeline& timeline);

// The start attempts (global numbers) an evidence line belongs to is the
// latest attempt of its instance that began at or before it in its source;
// this maps a source-local attempt number (EvidenceLine::attempt as the scan
// counts it) to the timeline's number.
class AttemptMap {
 public:
  explicit AttemptMap(const Timeline& timeline);
  uint32_t global(const EvidenceLine& line) const;

 private:
  std::map<std::string, std::vector<uint32_t>> starts_;  // file + part -> global number of its k-th start
};

struct StatusInput {
  std::set<uint32_t> attempts;          // global attempts the finding's lines are in (0 excluded)
  std::set<std::string> deployments;    // deployment ids of its deploy lines
  bool other_lines = false;             // listing, settings, or app lines outside any attempt
};

FindingStatus finding_status(const StatusInput& in, const CurrentState& state);

// The deployment id of a source named deployments/<id>/..., or "".
std::string deployment_of(const std::string& source_name);

}  // namespace appdiag
