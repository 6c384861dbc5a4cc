// Writing a report to -o FILE or standard output without ever replacing what
// must not be replaced.
//
// - A regular file (or a new name) is written to a temporary file created
//   with O_CREAT|O_EXCL|O_NOFOLLOW in the target's own folder and renamed over
//   the target, so an interrupted run leaves no partial report.
// - A symbolic link is written through: its target gets the report, the link
//   stays a link. A dangling link is refused.
// - Anything that is not a regular file (a character device such as
//   /dev/null or /dev/full, a FIFO) is opened and written in place: renaming
//   over it would replace a device node with a regular file when run as root.
// - Every write and the close are checked; a failure is an InputError naming
//   the file and the OS's reason (exit 2), e.g. "No space left on device".
#pragma once

#include <functional>
#include <ostream>
#include <string>

namespace appdiag {

// Writes what `write` produces to `path`; "" or "-" is standard output.
void write_output(const std::string& path, const std::function<void(std::ostream&)>& write);

// Called from a SIGINT/SIGTERM handler: removes the temporary file being
// written, if any. Async-signal-safe (reads one atomic pointer, calls unlink).
void remove_partial_output() noexcept;

}  // namespace appdiag
