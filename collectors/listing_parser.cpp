#include "collectors/listing_parser.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <set>
#include <unordered_map>
#include <vector>

#include <re2/re2.h>

#include "analyzer/core/error.h"

namespace appdiag {

namespace {

constexpr std::string_view kSiteRoot = "/home/site/wwwroot";

// Limits that keep a hostile listing linear: a real site's deepest path has
// a few dozen folders and its listing a few hundred thousand entries.
constexpr size_t kMaxDepth = 64;
constexpr size_t kMaxEntries = 1'000'000;
constexpr size_t kMaxPathBytes = 16u << 20;  // all paths held, implied folders included

struct Token {
  std::string_view text;
  size_t end;  // offset just past the token in the line
};

std::vector<Token> tokens(std::string_view line, size_t max) {
  std::vector<Token> out;
  size_t i = 0;
  while (out.size() < max) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size()) break;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    out.push_back({line.substr(start, i - start), i});
  }
  return out;
}

bool is_mode(std::string_view t) {
  static const RE2 re(R"([-dlcbps][-rwxsStTlL]{9}[.+@]?)");
  return RE2::FullMatch(t, re);
}
bool is_number(std::string_view t) {
  if (t.empty()) return false;
  if (t.back() == ',') t.remove_suffix(1);
  return !t.empty() && t.find_first_not_of("0123456789") == std::string_view::npos;
}
bool is_month(std::string_view t) {
  static const std::set<std::string_view> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return months.count(t) > 0;
}

// Number of date/time tokens starting at tokens[i], 0 if none fits.
size_t date_tokens(const std::vector<Token>& t, size_t i) {
  auto at = [&](size_t k) { return k < t.size() ? t[k].text : std::string_view(); };
  if (is_month(at(i)) && RE2::FullMatch(at(i + 1), R"(\d{1,2})") &&
      RE2::FullMatch(at(i + 2), R"(\d{1,2}:\d\d|\d{4})"))
    return 3;  // default: "Mar 15 10:21" / "Mar 15  2023"
  if (RE2::FullMatch(at(i), R"(\d{4}-\d\d-\d\d)")) {
    if (!RE2::FullMatch(at(i + 1), R"(\d\d:\d\d(:\d\d(\.\d+)?)?)")) return 1;  // iso, old files
    return RE2::FullMatch(at(i + 2), R"([+-]\d{4})") ? 3 : 2;  // full-iso : long-iso
  }
  if (RE2::FullMatch(at(i), R"(\d\d-\d\d)") && RE2::FullMatch(at(i + 1), R"(\d\d:\d\d)")) return 2;  // iso, recent
  return 0;
}

struct Entry {
  char type = '-';
  uint64_t size = 0;
  std::string_view name;  // the rest of the line: may hold spaces and "-> target"
};

// `ls -l` (offset 0) or `find -ls` (offset 2: inode and blocks first).
std::optional<Entry> parse_long(std::string_view line, size_t offset) {
  auto t = tokens(line, offset + 12);
  if (t.size() < offset + 6 || !is_mode(t[offset].text)) return std::nullopt;
  for (size_t k = 0; k < offset; ++k)
    if (!is_number(t[k].text)) return std::nullopt;
  if (!is_number(t[offset + 1].text)) return std::nullopt;
  // owner group size; device files have "major, minor" instead of a size.
  size_t i = offset + 4;
  if (i < t.size() && t[i].text.back() == ',') ++i;
  if (i >= t.size() || !is_number(t[i].text)) return std::nullopt;
  uint64_t size = 0;
  std::string_view size_text = t[i].text;
  if (size_text.back() == ',') size_text.remove_suffix(1);
  // More digits than a 64-bit size holds: not a listing line, whatever it looks like.
  if (std::from_chars(size_text.data(), size_text.data() + size_text.size(), size).ec != std::errc()) return std::nullopt;
  size_t dates = date_tokens(t, i + 1);
  if (dates == 0 || i + dates >= t.size()) return std::nullopt;
  size_t name_start = t[i + dates].end;
  while (name_start < line.size() && line[name_start] == ' ') ++name_start;
  if (name_start >= line.size()) return std::nullopt;
  Entry e;
  e.type = t[offset].text[0];
  e.size = t[i].text.back() == ',' ? 0 : size;
  e.name = line.substr(name_start);
  return e;
}

std::string relative_to_root(std::string path, const std::string& root) {
  if (!root.empty() && path.rfind(root, 0) == 0 && (path.size() == root.size() || path[root.size()] == '/'))
    path = path.substr(root.size());
  while (path.rfind("./", 0) == 0) path = path.substr(2);
  if (path == ".") path.clear();
  while (!path.empty() && path.front() == '/') path.erase(0, 1);
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path;
}

std::string join(const std::string& dir, std::string_view name) {
  return dir.empty() ? std::string(name) : dir + "/" + std::string(name);
}

enum class Shape { Ls, Find, Paths, Tree };

bool is_section_header(std::string_view line) {
  return line.size() > 1 && line.back() == ':' && !parse_long(line, 0);
}

bool is_total(std::string_view line) {
  static const RE2 total(R"(total \d+(\.\d+)?[KMG]?)");
  return RE2::FullMatch(line, total);
}

// A plain path: no control characters, no runs of spaces, nothing JSON-like.
bool is_plain_path(std::string_view line) {
  if (line.empty() || line.size() > 4096 || line.find("  ") != std::string_view::npos) return false;
  for (unsigned char c : line)
    if (c < 0x20 || c == 0x7F) return false;
  return line.front() != '{' && line.front() != '[' && line.front() != '"' && line.front() != ' ';
}

// What a paste from a shell session adds around a listing: the prompt with the
// command typed (`root@abc:/home/site/wwwroot# ls -la`, `user@host:~$ find .`),
// a bare command echo (`$ ls -la`, `# tree`), a poster's elision (`...`).
bool is_pasted_chrome(std::string_view line) {
  static const RE2 re(
      R"(^(?:\(\S+\) )?\S+@[\w.-]+:[^\s#$]*[#$](?:\s.*)?$|^[$#>]\s*(?:ls|find|tree|cd|pwd|cat|du|dir)\b.*$|)"
      R"(^\s*(?:\.{3,}|…|\[\.\.\.\])\s*$)");
  return RE2::FullMatch(line, re);
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return lines;
}

// One entry line of `tree` output: its depth (1 for the root's own entries)
// and the name after the branch. The indent is 4 columns per level, drawn
// with "│   " / "|   " / spaces (tree writes no-break spaces after "│" and
// "──" in UTF-8 locales); the branch is "├── ", "└── ", "|-- " or "`-- ".
struct TreeLine {
  size_t depth;
  std::string_view name;
};

std::optional<TreeLine> tree_line(std::string_view line) {
  constexpr std::string_view kNoBreakSpace = "\u00a0";
  size_t i = 0, columns = 0;
  auto at = [&](std::string_view s) { return line.substr(i, s.size()) == s; };
  while (i < line.size()) {
    for (std::string_view branch : {"├──", "└──", "|--", "`--"}) {
      if (!at(branch)) continue;
      i += branch.size();
      if (at(" ")) i += 1;
      else if (at(kNoBreakSpace)) i += kNoBreakSpace.size();
      else return std::nullopt;
      if (columns % 4 != 0 || i >= line.size()) return std::nullopt;
      return TreeLine{columns / 4 + 1, line.substr(i)};
    }
    if (at("│")) i += std::string_view("│").size();
    else if (at(kNoBreakSpace)) i += kNoBreakSpace.size();
    else if (line[i] == ' ' || line[i] == '|') i += 1;
    else return std::nullopt;
    ++columns;
  }
  return std::nullopt;
}

// tree's last line: "3 directories, 12 files" (or "1 directory" alone with -d).
bool is_tree_summary(std::string_view line) {
  static const RE2 re(R"(\d+ director(?:y|ies)(?:, \d+ files?)?)");
  return RE2::FullMatch(line, re);
}

// Calls fn(line, number) for each line an entry may come from: blank lines are
// skipped, pasted prompt and command lines counted (for the note) and skipped.
template <class Fn>
void for_each_entry_line(const std::vector<std::string_view>& lines, Listing& listing, Fn fn) {
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (line.empty()) continue;
    if (is_pasted_chrome(line)) {
      ++listing.pasted_lines;
      continue;
    }
    fn(line, static_cast<uint32_t>(i + 1));
  }
}

// `tree` output: the root line ("." or the path given), then entry lines only.
bool looks_like_tree(const std::vector<std::string_view>& lines) {
  size_t entries = 0, other = 0;
  bool root = false;
  for (std::string_view line : lines) {
    if (line.empty() || is_pasted_chrome(line) || is_tree_summary(line)) continue;
    if (tree_line(line)) ++entries;
    else if (!root && entries == 0) root = true;
    else ++other;  // a line cut at the end of a sniffed head, or no tree at all
  }
  return root && entries >= 1 && other * 20 <= entries;
}

Shape detect(const std::vector<std::string_view>& lines) {
  if (looks_like_tree(lines)) return Shape::Tree;
  for (std::string_view line : lines) {
    if (is_pasted_chrome(line)) continue;
    if (parse_long(line, 0)) return Shape::Ls;
    if (parse_long(line, 2)) return Shape::Find;
  }
  return Shape::Paths;
}

// Entries in source order, each path stored once (a folder implied by many
// paths is one entry), within the limits above; finish() says what was cut.
class Builder {
 public:
  explicit Builder(Listing& listing) : listing_(listing) {}

  void add(std::string path, bool is_dir, uint64_t size, uint32_t line, std::string target = {}) {
    if (path.empty()) return;
    if (static_cast<size_t>(std::count(path.begin(), path.end(), '/')) >= kMaxDepth) {
      ++too_deep_;
      return;
    }
    if (find(path) != kNone) return;
    if (!add_parents(path, line)) return;
    push({std::move(path), is_dir, size, line, std::move(target)});
  }

  void finish() {
    std::string cut;
    if (too_deep_) cut = std::to_string(too_deep_) + " paths deeper than " + std::to_string(kMaxDepth) + " folders";
    if (over_limit_)
      cut += (cut.empty() ? "" : " and ") + std::to_string(over_limit_) + " entries past the limit of " +
             std::to_string(kMaxEntries) + " entries or " + std::to_string(kMaxPathBytes >> 20) + " MiB of paths";
    if (!cut.empty()) listing_.cut = cut + " left out";
  }

 private:
  static constexpr size_t kNone = static_cast<size_t>(-1);

  size_t find(const std::string& path) const {
    auto [from, to] = index_.equal_range(std::hash<std::string>{}(path));
    for (auto it = from; it != to; ++it)
      if (listing_.entries[it->second].path == path) return it->second;
    return kNone;
  }

  bool fits(size_t bytes) {
    if (listing_.entries.size() < kMaxEntries && path_bytes_ + bytes <= kMaxPathBytes) return true;
    ++over_limit_;
    return false;
  }

  void push(ListingEntry entry) {
    path_bytes_ += entry.path.size();
    index_.emplace(std::hash<std::string>{}(entry.path), listing_.entries.size());
    listing_.entries.push_back(std::move(entry));
  }

  // Folders implied by a path get an entry too, pointing at the first line
  // that implies them. Walks up only to the first folder already known, so
  // many files in one deep folder cost their own length, not its depth.
  bool add_parents(const std::string& path, uint32_t line) {
    std::vector<std::string> missing;
    size_t bytes = path.size();
    for (size_t slash = path.rfind('/'); slash != std::string::npos && slash > 0; slash = path.rfind('/', slash - 1)) {
      std::string parent = path.substr(0, slash);
      if (size_t known = find(parent); known != kNone) {
        // `find` prints a folder's own line ("config") before its files: a path
        // under it makes it a folder, whatever its line looked like.
        listing_.entries[known].is_dir = true;
        break;
      }
      bytes += parent.size();
      missing.push_back(std::move(parent));
    }
    if (!fits(bytes)) return false;
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) push({std::move(*it), true, 0, line, ""});
    return true;
  }

  Listing& listing_;
  std::unordered_multimap<size_t, size_t> index_;  // hash of a path -> its entry
  size_t path_bytes_ = 0;
  size_t too_deep_ = 0;
  size_t over_limit_ = 0;
};

void split_link(std::string_view name, char type, std::string& path, std::string& target) {
  size_t arrow = type == 'l' ? name.find(" -> ") : std::string_view::npos;
  path = std::string(name.substr(0, arrow));
  if (arrow != std::string_view::npos) target = std::string(name.substr(arrow + 4));
}

// The name tree prints, without its `-p`/`-s` "[...]  " column and `-F` '/'.
std::string_view tree_name(std::string_view name, bool& is_dir) {
  if (name.front() == '[')
    if (size_t close = name.find("]  "); close != std::string_view::npos) name.remove_prefix(close + 3);
  is_dir = name.size() > 1 && name.back() == '/';
  if (is_dir) name.remove_suffix(1);
  return name;
}

// tree prints a folder it did not enter (-L N, or an empty one) like a file,
// but counts it in its summary line. When that count exceeds the folders seen
// with entries, the leaves without an extension are taken as those folders: a
// file like Procfile taken as a folder only misnames it in a note, while a
// folder taken as a file would predict the default site from a listing that
// never showed what is inside.
void mark_unentered_folders(Listing& listing, size_t folders_counted) {
  size_t known = 0;
  for (const ListingEntry& e : listing.entries) known += e.is_dir;
  if (folders_counted <= known) return;
  for (ListingEntry& e : listing.entries) {
    std::string_view leaf = std::string_view(e.path).substr(e.path.rfind('/') + 1);
    if (!e.is_dir && e.link_target.empty() && leaf.find('.', 1) == std::string_view::npos) e.is_dir = true;
  }
}

// `tree` output: each entry's folder is the names above it at lower depths.
void parse_tree(const std::vector<std::string_view>& lines, const std::string& name, Listing& listing,
                Builder& builder) {
  std::vector<std::string> folder;  // names of the enclosing entries, one per depth
  bool root_seen = false;
  size_t folders_counted = 0;
  for_each_entry_line(lines, listing, [&](std::string_view line, uint32_t number) {
    auto fail = [&](const std::string& why) {
      throw InputError(located(name, number, why + " (not a line of `tree` output)"));
    };
    if (is_tree_summary(line)) {
      RE2::PartialMatch(line, R"((\d+) director)", &folders_counted);
      return;
    }
    auto entry = tree_line(line);
    if (!entry) {
      if (root_seen) fail("unrecognised line");
      root_seen = true;  // "." or the path tree was given
      if (line.front() == '/') listing.root = line.rfind(kSiteRoot, 0) == 0 ? std::string(kSiteRoot) : std::string(line);
      return;
    }
    if (entry->depth > folder.size() + 1) fail("indented deeper than the line above");
    folder.resize(entry->depth - 1);
    bool is_dir = false;
    std::string path, target;
    split_link(tree_name(entry->name, is_dir), entry->name.find(" -> ") != std::string_view::npos ? 'l' : '-', path, target);
    if (path.empty()) fail("no name after the branch");
    folder.push_back(path);
    std::string full;
    for (const std::string& f : folder) full += (full.empty() ? "" : "/") + f;
    // `tree -f` prints each entry's whole path instead of its name.
    if (path.rfind("./", 0) == 0 || path.front() == '/') full = path;
    builder.add(relative_to_root(full, listing.root), is_dir, 0, number, target);
  });
  mark_unentered_folders(listing, folders_counted);
}

}  // namespace

bool looks_like_listing(std::string_view text) {
  auto lines = split_lines(text.substr(0, 64 * 1024));
  if (looks_like_tree(lines)) return true;
  size_t entries = 0, other = 0, found = 0;
  for (std::string_view line : lines) {
    if (line.empty() || is_total(line) || is_pasted_chrome(line)) continue;
    if (parse_long(line, 0) || parse_long(line, 2)) ++entries;
    else if (!is_section_header(line)) ++other;
    // `find .` prints "." then "./path" lines; `find /home/site/wwwroot` absolute paths.
    if (is_plain_path(line) && (line == "." || line.starts_with("./") || line.starts_with(kSiteRoot))) ++found;
  }
  if (found >= 2 && found == other && entries == 0) return true;
  return entries >= 1 && other * 10 <= entries;
}

Listing parse_listing(std::string_view text, const std::string& name) {
  Listing listing;
  Builder builder(listing);
  auto lines = split_lines(text);
  Shape shape = detect(lines);
  if (shape == Shape::Tree) {
    parse_tree(lines, name, listing, builder);
    builder.finish();
    return listing;
  }
  std::string dir;  // current `ls -R` section, relative to the root
  for_each_entry_line(lines, listing, [&](std::string_view line, uint32_t number) {
    auto fail = [&](const std::string& why) {
      throw InputError(located(name, number, why + " (not a listing shape appdiag reads: ls -la, ls -laR, find -ls, tree, or one path per line)"));
    };
    if (shape == Shape::Paths) {
      if (!is_plain_path(line)) fail("not a path");
      std::string path(line);
      bool is_dir = path.back() == '/';
      if (path.front() == '/' && listing.root.empty()) listing.root = std::string(kSiteRoot);
      builder.add(relative_to_root(path, listing.root), is_dir, 0, number);
      return;
    }
    if (is_total(line)) return;
    if (shape == Shape::Ls && is_section_header(line)) {
      std::string header(line.substr(0, line.size() - 1));
      if (header.front() == '/' && listing.root.empty())
        listing.root = header.rfind(kSiteRoot, 0) == 0 ? std::string(kSiteRoot) : header;
      dir = relative_to_root(header, listing.root);
      return;
    }
    auto entry = parse_long(line, shape == Shape::Find ? 2 : 0);
    if (!entry) fail("unrecognised line");
    std::string path, target;
    split_link(entry->name, entry->type, path, target);
    if (shape == Shape::Find) {
      if (listing.root.empty() && path.front() == '/')
        listing.root = path.rfind(kSiteRoot, 0) == 0 ? std::string(kSiteRoot) : path;
      path = relative_to_root(path, listing.root);
    } else {
      if (path == "." || path == "..") return;
      path = relative_to_root(join(dir, path), "");
    }
    builder.add(path, entry->type == 'd', entry->size, number, target);
  });
  builder.finish();
  return listing;
}

}  // namespace appdiag
