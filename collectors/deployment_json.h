#pragma once
// Kudu's deployment JSON, as `az webapp log deployment show` / `list` and the
// Kudu REST API (/api/deployments, /api/deployments/<id>, /api/deployments/
// <id>/log and a log entry's details_url) return it, read as a deploy log.
//
// A log entry is {log_time, id, message, type, details_url}; type 0 is a
// message, 1 a warning, 2 an error (Kudu's LogEntryType). A deployment is
// {id, status, status_text, deployer, message, start_time, end_time, active,
// log_url, ...}; status 3 is Failed, 4 Success (Kudu's DeployStatus).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/core/evidence.h"

namespace appdiag {

// True when the head is a JSON array or object of log entries or deployments.
bool is_deployment_json(std::string_view head);

struct DeploymentLog {
  // One line per entry (a multi-line message gives several): "<message>  [LEVEL] <time>",
  // LEVEL being INFO, WARNING or ERROR as the entry's type says ("[ERROR]" makes an error line).
  std::string text;
  LineMap line_map;  // line n of text is line line_map.at(n) of the JSON
  std::vector<Deployment> deployments;  // from deployment objects
  std::string active;                   // the deployment marked "active"
  // Where the output the input does not hold can be fetched: when an entry
  // is an error, every entry's details_url (the build output sits behind
  // one); a failed deployment's log_url.
  std::vector<std::string> to_fetch;
};

// Throws InputError "name:LINE: why" when the JSON does not parse.
DeploymentLog parse_deployment_json(std::string_view text, const std::string& name);

}  // namespace appdiag
