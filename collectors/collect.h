#pragma once
// Turns command-line SOURCE arguments into Evidence: a bundle (.zip read in
// place, or its unpacked directory), single files, "-" for standard input, an
// `az webapp log tail` capture (split back into its files), a wwwroot listing,
// settings JSON, or ssh://[user@]host[:port].
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/core/evidence.h"

namespace appdiag {

struct ZipLimits {
  uint64_t max_entries = 100000;
  uint64_t max_total_uncompressed = 4ull << 30;  // 4 GiB
  uint64_t max_ratio = 200;                      // uncompressed / compressed, per entry
};

struct SshOptions {
  std::string identity_file;      // -i; empty: agent, then default keys
  std::string known_hosts;        // default ~/.ssh/known_hosts
  bool accept_new_host_key = false;
  std::string site_root = "/home/site/wwwroot";
  std::string logs_root = "/home/LogFiles";
  std::string deployments_root = "/home/site/deployments";
  uint64_t max_log_bytes = 8ull << 20;    // tail per log file
  uint64_t byte_budget = 256ull << 20;    // everything gathered
  int connect_timeout_s = 10;
  int op_timeout_s = 30;
  int max_depth = 6;
  uint64_t max_entries = 20000;
  std::string environ_file = "/proc/1/environ";  // app settings as the container sees them (NUL-separated)
  size_t max_deployments = 3;                    // newest deployments/<id>/log.log gathered
  std::string save_bundle;  // write what was gathered here as a bundle
  bool redact = true;       // redact secrets in a saved bundle
};

struct CollectOptions {
  // --as KIND=PATH: PATH (an input, or a file inside a bundle) is read as KIND.
  std::vector<std::pair<SourceKind, std::string>> kind_overrides;
  ZipLimits zip;
  SshOptions ssh;
  int jobs = 0;  // threads reading a bundle's file heads; 0 = number of cores
};

// An input that cannot be read at all (empty, not text, a broken zip) is
// listed in `unreadable` and `unread_inputs` when others were read; throws
// InputError (one line, naming the path) when none was, or when a path does
// not exist.
Evidence collect(const std::vector<std::string>& inputs, const CollectOptions& options);

}  // namespace appdiag
