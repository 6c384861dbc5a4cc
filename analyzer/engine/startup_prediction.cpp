#include "analyzer/engine/startup_prediction.h"

#include <algorithm>
#include <map>
#include <set>

#include <re2/re2.h>

#include "analyzer/core/ascii.h"

namespace appdiag {

namespace {

// Flask-style root files in the order the startup script tries them (Oryx since 2019-08).
const std::vector<std::string> kRootFiles = {"application.py", "app.py", "run.py", "index.py", "server.py", "wsgi.py"};
// FastAPI candidates (Oryx HEAD, runtime Python >= 3.14).
const std::vector<std::string> kFastApiFiles = {"main.py", "app.py", "application.py", "server.py",
                                                "asgi.py", "api.py", "index.py", "run.py"};
const char* kWwwroot = "/home/site/wwwroot";

struct Inputs {
  const Listing* listing = nullptr;
  std::map<std::string, const Setting*> settings;  // lower-case name
  StartupHints hints;
};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), ascii_lower);
  return s;
}

std::string setting(const Inputs& in, const std::string& name) {
  auto it = in.settings.find(lower(name));
  return it == in.settings.end() ? "" : it->second->value;
}

bool has_entry(const Listing& l, const std::string& path, bool dir = false) {
  for (const ListingEntry& e : l.entries)
    if (e.path == path && (!dir || e.is_dir)) return true;
  return false;
}

const std::string* content(const Listing& l, const std::string& path) {
  auto it = l.files.find(path);
  return it == l.files.end() ? nullptr : &it->second;
}

// "3.11" from "PYTHON|3.11"; empty when it names no Python version.
std::string version_from_fx(const std::string& fx) {
  std::string v;
  static const RE2 re(R"((?i)^\s*python\s*\|\s*(\d+\.\d+))");
  RE2::PartialMatch(fx, re, &v);
  return v;
}

std::pair<int, int> version_pair(const std::string& v) {
  int major = 0, minor = 0;
  static const RE2 re(R"((\d+)\.(\d+))");
  RE2::PartialMatch(v, re, &major, &minor);
  return {major, minor};
}

bool old_image(const std::string& v) { return v == "2.7" || v == "3.6" || v == "3.7"; }

std::string venv_name(const Inputs& in, const std::string& version) {
  if (in.listing)
    if (const std::string* manifest = content(*in.listing, "oryx-manifest.toml")) {
      std::string name;
      static const RE2 re(R"re((?im)^\s*virtualEnvName\s*=\s*"([^"]+)")re");
      if (RE2::PartialMatch(*manifest, re, &name)) return name;
    }
  if (version == "3.6") return "antenv3.6";
  if (version == "2.7") return "antenv2.7";
  return "antenv";
}

bool is_compressed(const Listing& l) {
  return has_entry(l, "oryx-manifest.toml") && (has_entry(l, "output.tar.gz") || has_entry(l, "output.tar.zst"));
}

bool true_like(const std::string& v) { return lower(v) == "true" || v == "1"; }

struct Predictor {
  const Inputs& in;
  StartupPrediction& p;
  bool compressed = false;

  void note(const std::string& s) { p.path.push_back(s); }
  void warn(const std::string& s) { p.warnings.push_back(s); }

  GunicornOptions options(const std::string& module, const std::string& dir) {
    GunicornOptions o;
    o.module = module;
    o.chdir = dir;
    std::string config = setting(in, "PYTHON_USE_GUNICORN_CONFIG_FROM_PATH");
    if (!config.empty()) o.config = config;
    if (true_like(setting(in, "PYTHON_ENABLE_GUNICORN_MULTIWORKERS"))) {
      std::string n = setting(in, "PYTHON_GUNICORN_CUSTOM_WORKER_NUM");
      o.workers = n.empty() ? "<2*CPU+1>" : n;
      o.threads = setting(in, "PYTHON_GUNICORN_CUSTOM_THREAD_NUM");
      note("PYTHON_ENABLE_GUNICORN_MULTIWORKERS=true: --workers=" + o.workers +
           (n.empty() ? " (2 x CPU cores + 1)" : " (PYTHON_GUNICORN_CUSTOM_WORKER_NUM)") +
           (o.threads.empty() ? "" : ", --threads=" + o.threads) + ".");
    }
    if (old_image(p.runtime_version)) {
      std::string port = setting(in, "PORT");
      o.bind = "0.0.0.0:" + (port.empty() ? std::string("8000") : port);
      note("Python " + p.runtime_version + " images pass -bindPort, so the command carries --bind=" + o.bind + ".");
    }
    return o;
  }

  void set_module(const std::string& mode, const std::string& module, const std::string& dir,
                  const std::string& worker = "") {
    p.mode = mode;
    p.module = module;
    p.app_dir = dir;
    p.command = gunicorn_command(options(worker.empty() ? module : worker + " " + module, dir));
  }

  bool asgi_app(const std::string& file) const {
    static const RE2 req(R"((?im)^\s*(fastapi|quart|starlette)\b)");
    static const RE2 code(R"((?m)^\s*(from|import)\s+(fastapi|quart|starlette)\b)");
    const std::string* r = content(*in.listing, "requirements.txt");
    const std::string* f = file.empty() ? nullptr : content(*in.listing, file);
    return (r && RE2::PartialMatch(*r, req)) || (f && RE2::PartialMatch(*f, code));
  }

  void custom(const std::string& command) {
    p.mode = "custom";
    p.command = command;
    compressed = in.listing && is_compressed(*in.listing);
    p.app_dir = compressed ? app_dir_compressed() : kWwwroot;
    note("Site config appCommandLine is set: App Service runs it as given (with the app directory on PATH); "
         "no framework detection and no default-site fallback happen.");
    check_command_files(command);
  }

  void check_command_files(const std::string& command) {
    if (!in.listing) return;
    static const RE2 token(R"(([^\s'";&|]+\.(?:sh|py)))");
    re2::StringPiece rest(command);
    std::string file;
    while (RE2::FindAndConsume(&rest, token, &file)) {
      std::string rel = file;
      if (rel.rfind(std::string(kWwwroot) + "/", 0) == 0) rel = rel.substr(std::string(kWwwroot).size() + 1);
      else if (rel.rfind("./", 0) == 0) rel = rel.substr(2);
      else if (rel.rfind('/', 0) == 0) continue;  // elsewhere in the container
      if (has_entry(*in.listing, rel)) continue;
      warn("The startup command names " + file + ", which is not in the listing of /home/site/wwwroot" +
           (compressed ? ": with compressed output the repository's files are inside output.tar.gz and run from "
                         "the extracted copy, so refer to them relative to the app directory, not /home/site/wwwroot."
                       : "; the container will fail to find it."));
    }
  }

  std::string app_dir_compressed() const {
    if (const std::string* manifest = content(*in.listing, "oryx-manifest.toml")) {
      std::string dir;
      static const RE2 re(R"re((?im)^\s*SourceDirectoryInBuildContainer\s*=\s*"([^"]+)")re");
      if (RE2::PartialMatch(*manifest, re, &dir)) return dir;
    }
    return in.hints.app_path.empty() ? "/tmp/<id>" : in.hints.app_path;
  }

  bool django(const std::string& dir, const std::string& venv) {
    std::vector<std::string> dirs;
    for (const ListingEntry& e : in.listing->entries)
      if (e.is_dir && e.path.find('/') == std::string::npos) dirs.push_back(e.path);
    std::sort(dirs.begin(), dirs.end());
    for (const std::string& d : dirs) {
      if (d == venv) continue;
      if (!has_entry(*in.listing, d + "/wsgi.py")) continue;
      note("Django: " + d + "/ is the first immediate subfolder (alphabetically, skipping the virtual environment " +
           venv + "/) that holds wsgi.py.");
      set_module("django", d + ".wsgi", dir);
      return true;
    }
    note("No immediate subfolder holds wsgi.py, so this is not detected as Django.");
    for (const ListingEntry& e : in.listing->entries) {
      static const RE2 deep(R"(^([^/]+)/([^/]+)/wsgi\.py$)");
      std::string top, project;
      if (RE2::FullMatch(e.path, deep, &top, &project) && top != venv) {
        warn(e.path + " is two levels down; detection looks one level only, so the default site is served. "
             "Set the startup command to: gunicorn --bind=0.0.0.0 --timeout 600 --chdir " + top + " " + project + ".wsgi");
        break;
      }
    }
    return false;
  }

  bool fastapi(const std::string& dir) {
    auto [major, minor] = version_pair(p.runtime_version);
    if (p.runtime_version.empty() || major < 3 || (major == 3 && minor < 14)) {
      note("FastAPI detection is skipped: it exists only for runtime Python 3.14 and later (runtime " +
           (p.runtime_version.empty() ? std::string("unknown") : p.runtime_version) + ").");
      return false;
    }
    if (true_like(setting(in, "DISABLE_FASTAPI_DETECTION"))) {
      note("FastAPI detection is skipped: DISABLE_FASTAPI_DETECTION is true.");
      return false;
    }
    static const RE2 uses(R"((?m)^\s*(from\s+fastapi\b|import\s+fastapi\b))");
    static const RE2 flask(R"(\bfrom\s+flask\b)");
    for (const std::string& f : kFastApiFiles) {
      if (!has_entry(*in.listing, f)) continue;
      const std::string* text = content(*in.listing, f);
      if (!text) {
        note(f + " exists but its content was not gathered, so FastAPI detection cannot be checked for it.");
        continue;
      }
      if (!RE2::PartialMatch(*text, uses) || RE2::PartialMatch(*text, flask)) continue;
      note("FastAPI (Python " + p.runtime_version + "): " + f + " imports fastapi.");
      set_module("fastapi", f.substr(0, f.size() - 3) + ":app", dir, "-k uvicorn_worker.UvicornWorker");
      return true;
    }
    note("No FastAPI candidate (" + join(kFastApiFiles) + ") imports fastapi.");
    return false;
  }

  bool root_file(const std::string& dir) {
    for (const std::string& f : kRootFiles) {
      if (!has_entry(*in.listing, f)) continue;
      std::string stem = f.substr(0, f.size() - 3);
      note("\"Flask\" (any WSGI app): " + f + " is the first of " + join(kRootFiles) + " at the root; the callable must be named app.");
      set_module("flask", stem + ":app", dir);
      check_app_object(f, stem);
      if (asgi_app(f))
        warn("The app uses an ASGI framework (FastAPI/Quart/Starlette) but the generated command runs it under "
             "gunicorn's sync worker; set a startup command with -k uvicorn.workers.UvicornWorker.");
      return true;
    }
    return false;
  }

  void check_app_object(const std::string& file, const std::string& stem) {
    const std::string* text = content(*in.listing, file);
    if (!text) return;
    static const RE2 created(R"((?m)^([A-Za-z_]\w*)\s*=\s*(?:flask\.)?(?:Flask|FastAPI|Quart|Starlette)\s*\()");
    std::string name;
    if (RE2::PartialMatch(*text, created, &name) && name != "app")
      warn(file + " names its app object `" + name + "`, but the generated command loads " + stem +
           ":app, so gunicorn fails with \"Failed to find attribute 'app' in '" + stem + "'\"; rename it to app or "
           "set the startup command to gunicorn --bind=0.0.0.0 --timeout 600 " + stem + ":" + name + ".");
  }

  static std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
  }

  // The root's own folders when the listing shows no path below the root at
  // all (a shallow `ls -la`), the virtual environment and hidden folders aside.
  std::vector<std::string> folders_not_shown(const std::string& venv) const {
    std::vector<std::string> folders;
    for (const ListingEntry& e : in.listing->entries) {
      if (e.path.find('/') != std::string::npos) return {};
      if (e.is_dir && e.path != venv && e.path.front() != '.' && e.path != "__pycache__") folders.push_back(e.path);
    }
    return folders;
  }

  void detect() {
    compressed = is_compressed(*in.listing);
    std::string dir = kWwwroot;
    if (compressed) {
      dir = app_dir_compressed();
      note("The build output is compressed (oryx-manifest.toml and output.tar.gz at the root): the startup script "
           "extracts it to " + dir + " and detects and runs the app there.");
      bool visible = std::any_of(in.listing->entries.begin(), in.listing->entries.end(), [](const ListingEntry& e) {
        return e.path.size() > 3 && e.path.compare(e.path.size() - 3, 3, ".py") == 0;
      });
      if (!visible) {
        note("The app's files are inside the tarball, which the listing does not show, so the module cannot be "
             "predicted from the listing.");
        p.app_dir = dir;
        p.command = gunicorn_command(options("<module>", dir));
        return;
      }
    }
    std::string venv = venv_name(in, p.runtime_version);
    if (django(dir, venv) || fastapi(dir) || root_file(dir)) return;
    if (auto folders = folders_not_shown(venv); !folders.empty()) {
      note("The listing shows folders (" + join(folders) + ") but nothing inside them, as `ls -la` without -R "
           "prints: detection looks for <folder>/wsgi.py there, so whether the default site is served cannot be "
           "told. List the site with `ls -laR` or `find .` to predict it.");
      p.app_dir = dir;
      p.command = gunicorn_command(options("<module>", dir));
      return;
    }
    note("None of " + join(kRootFiles) + " is at the root: no framework detected, so the default site in "
         "/opt/defaultsite is served (application:app).");
    set_module("default", "application:app", "/opt/defaultsite");
  }
};

}  // namespace

std::string gunicorn_command(const GunicornOptions& o) {
  std::string args = "--timeout 600 --access-logfile '-' --error-logfile '-'";
  if (!o.config.empty()) args += " -c " + o.config;
  if (!o.workers.empty()) args += " --workers=" + o.workers;
  if (!o.threads.empty()) args += " --threads=" + o.threads;
  if (!o.bind.empty()) args += " --bind=" + o.bind;
  if (!o.chdir.empty()) args += " --chdir=" + o.chdir;
  return "GUNICORN_CMD_ARGS=\"" + args + "\" gunicorn " + o.module;
}

StartupPrediction predict_startup(const Listing* listing, const std::vector<Setting>& settings,
                                  const StartupHints& hints) {
  Inputs in;
  in.listing = listing;
  for (const Setting& item : settings) in.settings[lower(item.name)] = &item;
  in.hints = hints;
  StartupPrediction p;
  p.runtime_version = version_from_fx(setting(in, "linuxFxVersion"));
  if (p.runtime_version.empty()) p.runtime_version = hints.python_version;
  Predictor predictor{in, p};
  std::string command = setting(in, "appCommandLine");
  if (!command.empty()) {
    p.known = true;
    predictor.custom(command);
  } else if (in.listing) {
    p.known = true;
    predictor.note(in.settings.count("appcommandline") ? "Site config appCommandLine is empty: the startup script detects the app."
                                                       : "No appCommandLine in the settings given: assuming none is set, so the startup script detects the app.");
    predictor.detect();
  } else {
    p.path.push_back("Neither a startup command (appCommandLine) nor a listing of /home/site/wwwroot was given, so "
                     "what App Service will start cannot be predicted.");
  }
  return p;
}

}  // namespace appdiag
