// An `az webapp log tail` capture splits back into its files with exact lines.
#include <catch2/catch.hpp>

#include "collectors/collect.h"
#include "collectors/log_tail_splitter.h"
#include "collectors/source_classifier.h"

using namespace appdiag;

namespace {
const char* kCapture =
    "2024-03-15T10:30:00  Welcome, you are now connected to log-streaming service.\n"            // 1
    "Starting Log Tail -n 10 of existing logs ----\n"                                          // 2
    "/home/LogFiles/2024_03_15_lw1_docker.log  (https://contoso.scm.azurewebsites.net/api/vfs/LogFiles/2024_03_15_lw1_docker.log)\n"  // 3
    "2024-03-15T10:25:36.361Z INFO  - Starting container for site\n"                          // 4
    "2024-03-15T10:29:36.361Z ERROR - Container contoso_0_1 didn't respond to HTTP pings on port: 8000, failing site start. See container logs for debugging.\n"  // 5
    "/home/LogFiles/2024_03_15_lw1_default_docker.log  (https://contoso.scm.azurewebsites.net/api/vfs/LogFiles/2024_03_15_lw1_default_docker.log)\n"  // 6
    "2024-03-15T10:25:40.100Z ModuleNotFoundError: No module named 'flask'\n"                // 7
    "/home/LogFiles/2024_03_15_lw1_docker.log  (https://contoso.scm.azurewebsites.net/api/vfs/LogFiles/2024_03_15_lw1_docker.log)\n"  // 8
    "2024-03-15T10:29:37.000Z INFO  - Stopping site contoso because it failed during startup.\n"  // 9
    "Ending Log Tail of existing logs ---\n"                                                   // 10
    "Starting Live Log Stream ---\n"                                                           // 11
    "2024-03-15T10:31:00  No new trace in the past 1 min(s).\n"                               // 12
    "2024-03-15T10:31:05.000Z [2024-03-15 10:31:05 +0000] [7] [INFO] Starting gunicorn 20.1.0\n";  // 13
}  // namespace

TEST_CASE("a capture splits into its files, chrome dropped, line numbers those of the capture") {
  REQUIRE(is_log_tail_capture(kCapture));
  auto parts = split_log_tail(kCapture);
  REQUIRE(parts.size() == 3);
  CHECK(parts[0].log == "/home/LogFiles/2024_03_15_lw1_docker.log");
  CHECK(parts[0].line_map == std::vector<uint32_t>{4, 5, 9});
  CHECK(parts[1].log == "/home/LogFiles/2024_03_15_lw1_default_docker.log");
  CHECK(parts[1].line_map == std::vector<uint32_t>{7});
  CHECK(parts[1].text == "2024-03-15T10:25:40.100Z ModuleNotFoundError: No module named 'flask'\n");
  CHECK(parts[2].log == "live");
  CHECK(parts[2].line_map == std::vector<uint32_t>{13});
  CHECK(kind_by_path(parts[0].log) == SourceKind::Platform);
  CHECK(kind_by_path(parts[1].log) == SourceKind::App);
  CHECK(kind_by_content(parts[2].text) == SourceKind::App);
}

TEST_CASE("plain logs are not taken for captures") {
  CHECK_FALSE(is_log_tail_capture("2024-03-15T10:25:36.361Z INFO  - Starting container for site\n"));
  CHECK_FALSE(is_log_tail_capture("/home/site/wwwroot/app.py\n"));
}
