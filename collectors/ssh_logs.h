#pragma once
// Which remote logs to gather, and how to cut a tail of one. Pure: the
// collector lists the folders and reads the bytes.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/core/evidence.h"
#include "collectors/ls_render.h"

namespace appdiag {

struct LogPick {
  std::string name;  // file name inside the logs folder
  SourceKind kind;   // Platform for *_docker.log, App for *_default_docker.log
};

// Per machine, the newest YYYY_MM_DD_<machine>_docker.log and the newest
// YYYY_MM_DD_<machine>_default_docker.log of a /home/LogFiles listing (newest:
// latest mtime, then greatest name). Sorted by name.
std::vector<LogPick> pick_docker_logs(const std::vector<RemoteEntry>& entries);

// The `limit` newest deployment folders (by the mtime the caller put in each
// entry: that of its log.log), newest first; entries that are not folders or
// whose names are "." / ".." are ignored.
std::vector<std::string> pick_deployments(const std::vector<RemoteEntry>& folders, size_t limit);

// Bytes read from `offset` > 0 of a file begin mid-line: drops everything up
// to and including the first newline, so the tail starts at a line boundary.
// With offset 0 the bytes are returned whole.
std::string_view from_line_boundary(std::string_view bytes, uint64_t offset);

}  // namespace appdiag
