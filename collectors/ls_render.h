#pragma once
// Renders a remote directory tree as GNU `ls -laR --time-style=full-iso` text
// and builds the matching Listing, so line numbers in the Listing refer to the
// text (a saved wwwroot-listing.txt re-reads to the same entries and lines).
// Pure: no I/O.
#include <cstdint>
#include <string>
#include <vector>

#include "analyzer/core/evidence.h"

namespace appdiag {

// One directory entry as SFTP reports it (lstat semantics).
struct RemoteEntry {
  std::string name;
  uint32_t mode = 0;  // st_mode: type bits and permissions
  uint64_t size = 0;
  uint64_t mtime = 0;  // seconds since the epoch, UTC
  uint32_t mtime_nsec = 0;
  uint32_t nlink = 1;
  std::string owner;  // name, or uid as text
  std::string group;
  std::string link_target;  // symlinks

  bool is_dir() const;
  bool is_link() const;
};

// One `ls -laR` section: a folder and its entries ("." and ".." included when
// known), in the order to print them.
struct ListingSection {
  std::string rel_dir;  // "" for the root, else "a/b"
  std::vector<RemoteEntry> entries;
};

struct RenderedListing {
  std::string text;
  Listing listing;                 // root, entries with line numbers into `text`
  std::vector<std::string> notes;  // names that had to be altered
};

// Sections print in the given order; entries other than "." and ".." become
// Listing entries (relative path, is_dir, size, line, link_target). A newline
// in a name would break the line format, so it prints as '?' (as `ls -q`
// does) and a note says so; every other byte is kept as it is.
RenderedListing render_ls(const std::string& root, const std::vector<ListingSection>& sections);

// "drwxr-xr-x"-style mode string.
std::string mode_string(uint32_t mode);

}  // namespace appdiag
