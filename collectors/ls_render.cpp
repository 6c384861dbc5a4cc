#include "collectors/ls_render.h"

#include <sys/stat.h>

#include <algorithm>
#include <ctime>

namespace appdiag {

bool RemoteEntry::is_dir() const { return S_ISDIR(mode); }
bool RemoteEntry::is_link() const { return S_ISLNK(mode); }

std::string mode_string(uint32_t mode) {
  char type = S_ISDIR(mode) ? 'd' : S_ISLNK(mode) ? 'l' : S_ISCHR(mode) ? 'c' : S_ISBLK(mode) ? 'b'
            : S_ISFIFO(mode) ? 'p' : S_ISSOCK(mode) ? 's' : '-';
  std::string s(1, type);
  const char* rwx = "rwxrwxrwx";
  for (int i = 0; i < 9; ++i) s += (mode & (0400u >> i)) ? rwx[i] : '-';
  auto special = [&s](size_t pos, bool on, char exec_on, char exec_off) {
    if (on) s[pos] = s[pos] == 'x' ? exec_on : exec_off;
  };
  special(3, mode & S_ISUID, 's', 'S');
  special(6, mode & S_ISGID, 's', 'S');
  special(9, mode & S_ISVTX, 't', 'T');
  return s;
}

namespace {

std::string full_iso_time(uint64_t seconds, uint32_t nsec) {
  time_t t = static_cast<time_t>(seconds);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[64];
  size_t n = strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%09u +0000", nsec % 1000000000u);
  return buf;
}

std::string pad_left(const std::string& s, size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

std::string pad_right(const std::string& s, size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

// Column widths of one section, as ls aligns them.
struct Widths {
  size_t nlink = 1, owner = 1, group = 1, size = 1;
};

Widths widths_of(const std::vector<RemoteEntry>& entries) {
  Widths w;
  for (const RemoteEntry& e : entries) {
    w.nlink = std::max(w.nlink, std::to_string(e.nlink).size());
    w.owner = std::max(w.owner, e.owner.size());
    w.group = std::max(w.group, e.group.size());
    w.size = std::max(w.size, std::to_string(e.size).size());
  }
  return w;
}

// 1 KiB blocks as `ls` totals them, assuming 4 KiB allocation units.
uint64_t total_blocks(const std::vector<RemoteEntry>& entries) {
  uint64_t total = 0;
  for (const RemoteEntry& e : entries) total += (e.size + 4095) / 4096 * 4;
  return total;
}

std::string printable_name(const std::string& name, bool* altered) {
  std::string out = name;
  std::replace(out.begin(), out.end(), '\n', '?');
  *altered = out != name;
  return out;
}

std::string entry_line(const RemoteEntry& e, const std::string& name, const Widths& w) {
  std::string line = mode_string(e.mode) + " " + pad_left(std::to_string(e.nlink), w.nlink) + " " +
                     pad_right(e.owner, w.owner) + " " + pad_right(e.group, w.group) + " " +
                     pad_left(std::to_string(e.size), w.size) + " " + full_iso_time(e.mtime, e.mtime_nsec) + " " +
                     name;
  if (e.is_link()) line += " -> " + e.link_target;
  return line;
}

}  // namespace

RenderedListing render_ls(const std::string& root, const std::vector<ListingSection>& sections) {
  RenderedListing out;
  out.listing.root = root;
  uint32_t line_no = 0;
  auto emit = [&](const std::string& line) {
    out.text += line;
    out.text += '\n';
    return ++line_no;
  };
  for (size_t i = 0; i < sections.size(); ++i) {
    const ListingSection& section = sections[i];
    if (i > 0) emit("");
    emit((section.rel_dir.empty() ? root : root + "/" + section.rel_dir) + ":");
    emit("total " + std::to_string(total_blocks(section.entries)));
    Widths w = widths_of(section.entries);
    for (const RemoteEntry& e : section.entries) {
      bool altered = false;
      std::string name = printable_name(e.name, &altered);
      uint32_t line = emit(entry_line(e, name, w));
      if (e.name == "." || e.name == "..") continue;
      std::string path = section.rel_dir.empty() ? name : section.rel_dir + "/" + name;
      if (altered) out.notes.push_back(root + "/" + path + ": newline in the name shown as '?'");
      out.listing.entries.push_back({path, e.is_dir(), e.size, line, e.link_target});
    }
  }
  return out;
}

}  // namespace appdiag
