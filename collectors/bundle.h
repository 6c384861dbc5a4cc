#pragma once
// A bundle — a downloaded `az webapp log download` zip or its folder, or one
// saved by `--save-bundle` — turned into sources.
#include <string>
#include <vector>

#include "analyzer/core/evidence.h"
#include "collectors/bundle_file.h"
#include "collectors/collect.h"

namespace appdiag {

// The regular files under `dir`, named relative to it, sorted. Symbolic links
// are followed only to regular files inside `dir`; every other link, FIFO,
// device or socket is skipped with a note in `notes`.
std::vector<BundleFile> dir_bundle_files(const std::string& dir, std::vector<std::string>& notes);

// Strips a single top-level folder, classifies each file (by path, then by
// content), parses listing and settings files, attaches `wwwroot-files/<path>`
// contents to the listing, and notes every file it skips. Source names are the
// paths inside the bundle, so a zip and its unpacked folder give the same names.
void add_bundle(Evidence& evidence, std::vector<BundleFile> files, const std::string& bundle,
                const CollectOptions& options);

// Reads a whole (small) file of a bundle; throws InputError over `limit` bytes.
std::string read_whole(const BundleFile& file, uint64_t limit);

// One source per file an `az webapp log tail` capture interleaves; line
// numbers stay those of the capture `name`. A stream (standard input, a zip
// entry, a decoded UTF-16 file) is split as it is read and written to an
// unlinked temporary file (collectors/spool_file.h), which each part then
// re-reads: memory is the parts' line maps, not their text. Over `limit`
// bytes, or when the temporary file fails: InputError naming the limit or why.
void add_log_tail(Evidence& evidence, const std::string& name, ByteStream& in, uint64_t limit);

// The same from a regular file, streamed: one pass finds each part's lines,
// which the part then re-reads from the file; nothing is held but line maps.
void add_log_tail_file(Evidence& evidence, const std::string& path);

// A deploy source from Kudu's deployment JSON (collectors/deployment_json.h),
// line numbers those of the JSON; its deployments join evidence.deployments,
// and a note names the URL of the build output the JSON only points to.
void add_deployment_json(Evidence& evidence, const std::string& name, const std::string& text);

// Adds a listing or settings source parsed from its text, noting what the
// listing parser cut to stay within its limits.
void add_structured(Evidence& evidence, SourceKind kind, const std::string& name, const std::string& text);

}  // namespace appdiag
