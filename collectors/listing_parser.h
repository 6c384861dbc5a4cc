#pragma once
// Parses a listing of /home/site/wwwroot. Pure: text in, Listing out.
//
// Shapes understood:
//  - `ls -la` / `ls -laR` with any GNU --time-style (default "Mar 15 10:21" or
//    "Mar 15  2023", long-iso, full-iso, iso); `total N` lines and `.`/`..`
//    are skipped; `-R` section headers ("./antenv:", "/home/site/wwwroot/x:")
//    give the folder of the entries below them;
//  - `find -ls` (inode, blocks, mode, links, owner, group, size, date, path);
//  - one path per line, as `git ls-files` or `find .` print (folders implied
//    by the paths, or marked by a trailing '/').
//  - `tree` output, Unicode or ASCII drawing (`tree --charset=ascii`): the root
//    line ("." or a path), entries whose depth the indentation gives, the
//    "N directories, M files" summary; `tree -L N` leaves folders unentered.
// Absolute paths are made relative to the listed root (Listing::root).
#include <string>
#include <string_view>

#include "analyzer/core/evidence.h"

namespace appdiag {

// Throws InputError "name:line: ..." naming the first line that fits no shape.
Listing parse_listing(std::string_view text, const std::string& name);

// True when the text reads as an ls -la/-laR, find -ls or tree listing (used to
// recognise a listing by content; plain path lists are only taken by name).
bool looks_like_listing(std::string_view text);

}  // namespace appdiag
