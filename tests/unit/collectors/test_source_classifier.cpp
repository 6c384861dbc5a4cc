// Kinds by path first, then by content (facts sheet strings).
#include <catch2/catch.hpp>

#include "collectors/source_classifier.h"

using namespace appdiag;

TEST_CASE("kinds by path as az webapp log download names them") {
  CHECK(kind_by_path("LogFiles/2024_03_15_lw0sdlwk00001A_docker.log") == SourceKind::Platform);
  CHECK(kind_by_path("LogFiles/2024_03_15_lw0sdlwk00001A_default_docker.log") == SourceKind::App);
  CHECK(kind_by_path("LogFiles/2024_03_15_lw0sdlwk00001A_easyauth_docker.log") == SourceKind::App);
  CHECK(kind_by_path("deployments/9558e3322d60480345949d28de807672b5af9db0/log.log") == SourceKind::Deploy);
  CHECK(kind_by_path("LogFiles/kudu/deployment/x.txt") == SourceKind::Deploy);
  CHECK(kind_by_path("wwwroot-listing.txt") == SourceKind::Listing);
  CHECK(kind_by_path("appsettings.json") == SourceKind::Settings);
  CHECK(kind_by_path("siteconfig.json") == SourceKind::Settings);
  CHECK_FALSE(kind_by_path("LogFiles/kudu/trace/x.xml"));
  CHECK_FALSE(kind_by_path("notes.txt"));
}

TEST_CASE("kinds by content") {
  CHECK(kind_by_content("Running oryx build...\nCommand: oryx build /tmp/x -o /home/site/wwwroot\n") == SourceKind::Deploy);
  CHECK(kind_by_content("remote: [16:44:20+0000] Collecting Flask\n") == SourceKind::Deploy);
  CHECK(kind_by_content("2023-03-15T10:25:36.361Z INFO  - Starting container for site\n") == SourceKind::Platform);
  // The startup script prints "Oryx Version" too: an app log must not be taken for a build log.
  CHECK(kind_by_content("2024-01-01T00:00:00.000Z A P P   S E R V I C E   O N   L I N U X\n"
                        "2024-01-01T00:00:01.000Z Oryx Version: 0.2.20230508.1, Commit: x\n"
                        "2024-01-01T00:00:02.000Z [2024-01-01 00:00:02 +0000] [36] [INFO] Starting gunicorn 20.1.0\n") == SourceKind::App);
  CHECK(kind_by_content("total 4\n-rw-r--r-- 1 root root 12 Mar 15 10:21 app.py\n") == SourceKind::Listing);
  CHECK(kind_by_content(R"J([{"name": "A", "slotSetting": false, "value": "b"}])J") == SourceKind::Settings);
  CHECK_FALSE(kind_by_content(R"J({"root_cause": null, "fires": []})J"));
  CHECK_FALSE(kind_by_content("just some words\n"));
}
