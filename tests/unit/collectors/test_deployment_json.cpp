// Kudu's deployment JSON in each documented shape is read as a deploy log:
// entries with their time and type, error entries as error lines, line
// numbers those of the JSON, and the URL of output the JSON only points to.
#include <catch2/catch.hpp>

#include <string>

#include "analyzer/core/error.h"
#include "collectors/collect.h"
#include "collectors/deployment_json.h"
#include "test_support.h"

using namespace appdiag;
using namespace appdiag::test;

namespace {

// `az webapp log deployment show` / GET /api/deployments/<id>/log, pretty-printed as az prints it.
const std::string kLogEntries = R"([
  {
    "details_url": null,
    "id": "2b8c2a7e-1d1e-4f3b-9a57-1d4c1f0e9a10",
    "log_time": "2024-03-15T10:25:30.1234567Z",
    "message": "Updating submodules.",
    "type": 0
  },
  {
    "details_url": "https://myapp.scm.azurewebsites.net/api/deployments/abc123/log/6c1f2e50-0a77-4d3c-b2f1-8e9d1c2b3a40",
    "id": "6c1f2e50-0a77-4d3c-b2f1-8e9d1c2b3a40",
    "log_time": "2024-03-15T10:25:31.0000000Z",
    "message": "Running deployment command...",
    "type": 0
  },
  {
    "details_url": "https://myapp.scm.azurewebsites.net/api/deployments/abc123/log/9f0e1d2c-3b4a-4c5d-8e6f-7a8b9c0d1e2f",
    "id": "9f0e1d2c-3b4a-4c5d-8e6f-7a8b9c0d1e2f",
    "log_time": "2024-03-15T10:27:02.5000000Z",
    "message": "Deployment Failed.\nCommand: oryx build",
    "type": 2
  }
])";

// `az webapp log deployment list` / GET /api/deployments.
const std::string kDeployments = R"([
  {
    "active": false,
    "author": "N/A",
    "complete": true,
    "deployer": "OneDeploy",
    "end_time": "2024-03-15T10:27:03.0000000Z",
    "id": "abc123",
    "log_url": "https://myapp.scm.azurewebsites.net/api/deployments/abc123/log",
    "message": "OneDeploy",
    "status": 3,
    "status_text": "",
    "url": "https://myapp.scm.azurewebsites.net/api/deployments/abc123"
  },
  {
    "active": true,
    "deployer": "ZipDeploy",
    "end_time": "2024-03-14T09:00:00.0000000Z",
    "id": "def456",
    "log_url": "https://myapp.scm.azurewebsites.net/api/deployments/def456/log",
    "message": "Created via a push deployment",
    "status": 4
  }
])";

}  // namespace

TEST_CASE("deployment JSON: log entries become timed, typed lines on the lines of their messages") {
  REQUIRE(is_deployment_json(kLogEntries));
  REQUIRE(is_deployment_json(kDeployments));
  CHECK_FALSE(is_deployment_json(R"([{"name": "WEBSITES_PORT", "value": "8000"}])"));
  CHECK_FALSE(is_deployment_json("Running oryx build...\n\"log_time\": 1\n"));
  DeploymentLog log = parse_deployment_json(kLogEntries, "deploy.json");
  CHECK(log.text ==
        "Updating submodules.  [INFO] 2024-03-15T10:25:30.1234567Z\n"
        "Running deployment command...  [INFO] 2024-03-15T10:25:31.0000000Z\n"
        "Deployment Failed.  [ERROR] 2024-03-15T10:27:02.5000000Z\n"
        "Command: oryx build  [ERROR] 2024-03-15T10:27:02.5000000Z\n");
  CHECK(log.line_map == LineMap{6, 13, 20, 20});
  CHECK(log.to_fetch == std::vector<std::string>{
                            "https://myapp.scm.azurewebsites.net/api/deployments/abc123/log/6c1f2e50-0a77-4d3c-b2f1-8e9d1c2b3a40",
                            "https://myapp.scm.azurewebsites.net/api/deployments/abc123/log/9f0e1d2c-3b4a-4c5d-8e6f-7a8b9c0d1e2f"});
  // A log without an error entry points nowhere.
  CHECK(parse_deployment_json(R"([{"log_time": "t", "message": "m", "type": 0, "details_url": "https://x/log/1"}])", "ok.json")
            .to_fetch.empty());
}

TEST_CASE("deployment JSON: the deployment list gives deployments, the active one, and a failed one's log URL") {
  DeploymentLog log = parse_deployment_json(kDeployments, "deployments.json");
  REQUIRE(log.deployments.size() == 2);
  CHECK(log.deployments[0].id == "abc123");
  CHECK(log.deployments[0].status == "Failed");
  CHECK(log.deployments[1].status == "Success");
  CHECK(log.active == "def456");
  CHECK(log.text.rfind("Deployment abc123 Failed, deployer: OneDeploy, message: OneDeploy  [ERROR] 2024-03-15T10:27:03.0000000Z\n", 0) == 0);
  CHECK(log.line_map == LineMap{10, 21});
  CHECK(log.to_fetch == std::vector<std::string>{"https://myapp.scm.azurewebsites.net/api/deployments/abc123/log"});
  // One deployment object (GET /api/deployments/<id>) reads the same.
  CHECK(parse_deployment_json(R"({"id": "x", "status": 4, "deployer": "ZipDeploy", "message": "m"})", "one.json").deployments.size() == 1);
}

TEST_CASE("deployment JSON: broken JSON is one error naming the line") {
  CHECK_THROWS_WITH(parse_deployment_json("[\n  {\"log_time\": \"x\", \"message\": \"m\",\n  oops\n]", "bad.json"),
                    "bad.json:3: not valid deployment JSON");
}

TEST_CASE("collect: a deployment JSON file is a deploy source, its notes name the URL to fetch") {
  TempDir dir;
  std::string path = (dir.path / "az-log-deployment-show.json").string();
  write_file(path, kLogEntries);
  Evidence e = collect({path}, {});
  REQUIRE(e.sources.size() == 1);
  CHECK(e.sources[0].kind == SourceKind::Deploy);
  CHECK(e.sources[0].line_map == LineMap{6, 13, 20, 20});
  REQUIRE(e.notes.size() == 1);
  CHECK(e.notes[0].find("fetch https://myapp.scm.azurewebsites.net/api/deployments/abc123/log/6c1f2e50") != std::string::npos);
  CHECK(e.notes[0].find(" and https://myapp.scm.azurewebsites.net/api/deployments/abc123/log/9f0e1d2c") != std::string::npos);
  std::string list = (dir.path / "deployments.json").string();
  write_file(list, kDeployments);
  Evidence d = collect({list}, {});
  CHECK(d.deployments.size() == 2);
  CHECK(d.active_deployment == "def456");
}
