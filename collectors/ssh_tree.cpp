#include "collectors/ssh_tree.h"

#include <algorithm>
#include <array>

#include "analyzer/core/error.h"
#include "collectors/ssh_session.h"

namespace appdiag {
namespace {

constexpr std::array<std::string_view, 22> kRootFiles = {
    "requirements.txt", "runtime.txt",  ".python-version", "pyproject.toml", "setup.py",   "setup.cfg",
    "Pipfile",          "oryx-manifest.toml", "startup.sh", "startup.txt",   "Procfile",   "gunicorn.conf.py",
    ".deployment",      "app.py",       "application.py",  "main.py",        "run.py",     "index.py",
    "server.py",        "wsgi.py",      "asgi.py",         "manage.py"};
constexpr std::array<std::string_view, 3> kOneDeepFiles = {"wsgi.py", "asgi.py", "settings.py"};
constexpr std::array<std::string_view, 4> kVenvNames = {"antenv", ".venv", "venv", "env"};
constexpr std::array<std::string_view, 3> kVenvParts = {"lib", "Lib", "Scripts"};

template <size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool has_entry(const std::vector<RemoteEntry>& entries, std::string_view name, bool dir) {
  return std::any_of(entries.begin(), entries.end(),
                     [&](const RemoteEntry& e) { return e.name == name && (!dir || e.is_dir()); });
}

// How far into a folder the walk goes.
enum class Role { Normal, Venv, VenvPart };

class Walker {
 public:
  Walker(SshSession& session, const SshOptions& options) : session_(session), options_(options) {}

  SiteTree run() {
    walk("", 0, Role::Normal);
    return std::move(tree_);
  }

 private:
  std::string absolute(const std::string& rel) const {
    return rel.empty() ? options_.site_root : options_.site_root + "/" + rel;
  }

  void walk(const std::string& rel, int depth, Role role) {
    std::vector<RemoteEntry> entries;
    try {
      entries = session_.list(absolute(rel));
    } catch (const RemoteFileError& e) {
      if (rel.empty()) throw InputError(session_.label() + ": cannot list the site root " + e.what());
      tree_.unreadable.push_back(e.what());
      return;
    }
    std::string name = rel.substr(rel.rfind('/') + 1);
    if (role == Role::Normal && !rel.empty() && is_virtualenv(name, entries)) {
      role = Role::Venv;
      tree_.notes.push_back(absolute(rel) + ": virtual environment, listed only as far as identifies it");
    }
    keep_within_entry_limit(entries);
    tree_.sections.push_back({rel, entries});
    for (const RemoteEntry& e : entries) {
      if (e.name == "." || e.name == "..") continue;
      std::string child = rel.empty() ? e.name : rel + "/" + e.name;
      if (!e.is_dir()) {
        pick_file(child, e, role);
        continue;
      }
      if (e.is_link() || !enter(child, e, depth, role)) continue;
      walk(child, depth + 1, role == Role::Venv ? Role::VenvPart : Role::Normal);
    }
  }

  void keep_within_entry_limit(std::vector<RemoteEntry>& entries) {
    size_t room = options_.max_entries > listed_ ? options_.max_entries - listed_ : 0;
    size_t real = 0;
    for (size_t i = 0; i < entries.size(); ++i) {
      if (entries[i].name == "." || entries[i].name == "..") continue;
      if (real++ == room) {
        tree_.notes.push_back(options_.site_root + ": listing stopped at " + std::to_string(options_.max_entries) +
                              " entries");
        entries.resize(i);
        break;
      }
    }
    listed_ += std::min(real, room);
  }

  bool enter(const std::string& child, const RemoteEntry& e, int depth, Role role) {
    if (role == Role::VenvPart) return false;
    if (role == Role::Venv) return contains(kVenvParts, e.name);
    if (e.name.find('\n') != std::string::npos) {
      tree_.notes.push_back(absolute(child) + ": folder with a newline in its name not entered");
      return false;
    }
    if (e.name == "node_modules") {
      tree_.notes.push_back(absolute(child) + ": node_modules not entered");
      return false;
    }
    if (depth + 1 > options_.max_depth) {
      tree_.notes.push_back(absolute(child) + ": deeper than " + std::to_string(options_.max_depth) +
                            " folders, not entered");
      return false;
    }
    return true;
  }

  void pick_file(const std::string& child, const RemoteEntry& e, Role role) {
    bool wanted = role == Role::Venv ? e.name == "pyvenv.cfg" : role == Role::Normal && is_wanted_small_file(child);
    if (!wanted || e.is_link()) return;
    if (e.size > kMaxSmallFile) {
      tree_.notes.push_back(absolute(child) + ": " + std::to_string(e.size) + " bytes, too big to gather");
      return;
    }
    tree_.small_files.push_back(child);
  }

  SshSession& session_;
  const SshOptions& options_;
  SiteTree tree_;
  uint64_t listed_ = 0;
};

}  // namespace

bool is_wanted_small_file(const std::string& rel_path) {
  size_t slash = rel_path.find('/');
  if (slash == std::string::npos) return contains(kRootFiles, rel_path);
  std::string rest = rel_path.substr(slash + 1);
  return rest.find('/') == std::string::npos && contains(kOneDeepFiles, rest);
}

bool is_virtualenv(const std::string& name, const std::vector<RemoteEntry>& entries) {
  if (has_entry(entries, "pyvenv.cfg", false)) return true;
  return contains(kVenvNames, name) && (has_entry(entries, "lib", true) || has_entry(entries, "Lib", true));
}

SiteTree walk_site(SshSession& session, const SshOptions& options) { return Walker(session, options).run(); }

}  // namespace appdiag
