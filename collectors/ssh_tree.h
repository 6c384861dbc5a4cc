#pragma once
// Walks the remote site root over SFTP into `ls -laR` sections, bounded in
// depth and entries, and picks the small files rules read.
#include <string>
#include <vector>

#include "collectors/collect.h"
#include "collectors/ls_render.h"

namespace appdiag {

class SshSession;

// Files larger than this are never gathered for their content.
inline constexpr uint64_t kMaxSmallFile = 256 * 1024;

struct SiteTree {
  std::vector<ListingSection> sections;      // in `ls -laR` order
  std::vector<std::string> small_files;      // relative paths whose content rules need
  std::vector<std::string> unreadable;       // "path: why"
  std::vector<std::string> notes;            // limits hit, folders not descended into
};

// Lists options.site_root recursively: at most options.max_depth folders deep
// and options.max_entries entries. A virtual environment (a folder holding
// pyvenv.cfg, or antenv/.venv/venv/env holding lib/ or Lib/) is listed only as
// far as identifies it: its own entries and those of its lib/, Lib/ and
// Scripts/. node_modules is listed but not entered. Throws InputError when the
// site root itself cannot be listed.
SiteTree walk_site(SshSession& session, const SshOptions& options);

// Whether the content of `rel_path` (relative to the site root) is gathered:
// requirements.txt, runtime.txt, pyproject.toml, oryx-manifest.toml,
// startup.sh/.txt, app.py/application.py/main.py/..., <dir>/wsgi.py,
// <dir>/settings.py, <dir>/asgi.py.
bool is_wanted_small_file(const std::string& rel_path);

// Whether a folder with this name and these entries is a virtual environment.
bool is_virtualenv(const std::string& name, const std::vector<RemoteEntry>& entries);

}  // namespace appdiag
