// Startup prediction: each branch of the startup script's decision order, each
// version difference of facts §7, each warning, and prediction vs the log; the
// lint checks over appCommandLine are rules, so they are findings here.
// Real scanner, built-in rules and events over in-memory sources.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <sstream>

#include "analyzer/engine/diagnosis.h"
#include "analyzer/engine/startup_observed.h"
#include "analyzer/engine/startup_prediction.h"
#include "analyzer/pack/rule_loader.h"

using namespace appdiag;

namespace {

Source text_source(SourceKind kind, const std::string& name, const std::string& text) {
  Source s;
  s.kind = kind;
  s.name = name;
  auto bytes = std::make_shared<const std::string>(text);
  s.size = bytes->size();
  s.open = [bytes] { return memory_stream(bytes); };
  return s;
}

struct Site {
  std::vector<std::string> paths;                  // "dir/" for folders
  std::map<std::string, std::string> files;        // gathered content
  std::vector<std::pair<std::string, std::string>> settings;
  std::string app_log;
  bool no_listing = false;

  Evidence evidence() const {
    Evidence ev;
    if (!no_listing) {
      auto listing = std::make_shared<Listing>();
      std::string text;
      uint32_t line = 0;
      for (const std::string& p : paths) {
        bool dir = !p.empty() && p.back() == '/';
        listing->entries.push_back({dir ? p.substr(0, p.size() - 1) : p, dir, 10, ++line, ""});
        text += p + "\n";
      }
      listing->files = files;
      Source s = text_source(SourceKind::Listing, "wwwroot-listing.txt", text);
      s.listing = listing;
      ev.sources.push_back(s);
    }
    if (!settings.empty()) {
      auto items = std::make_shared<Settings>();
      for (const auto& [name, value] : settings) items->items.push_back({name, value, 0});
      Source s = text_source(SourceKind::Settings, "siteconfig.json", "{}\n");
      s.settings = items;
      ev.sources.push_back(s);
    }
    if (!app_log.empty()) ev.sources.push_back(text_source(SourceKind::App, "LogFiles/2024_03_15_lw0_default_docker.log", app_log));
    return ev;
  }
  static const RuleSet& rules() {
    static const RuleSet pack = load_rules(builtin_rule_files());
    return pack;
  }
  // As the diagnosis runs them: what the logs show, then the pure prediction from its hints.
  std::pair<StartupPrediction, StartupObserved> run() const {
    Evidence ev = evidence();
    ScanResult scan = Scanner(rules()).scan(ev);
    StartupObserved o = observe_startup(ev, scan, rules(), build_timeline(rules(), ev, scan));
    const Listing* listing = no_listing ? nullptr : ev.sources.front().listing.get();
    std::vector<Setting> items;
    for (const auto& [name, value] : settings) items.push_back({name, value, 0});
    StartupPrediction p = predict_startup(listing, items, startup_hints(o));
    o.differences = startup_differences(p, o);
    return {p, o};
  }
  StartupPrediction predict() const { return run().first; }
  StartupObserved observe() const { return run().second; }
  // The ids of the rules that fire on this site.
  std::vector<std::string> findings() const {
    std::vector<std::string> ids;
    for (const Finding& f : diagnose(rules(), evidence(), {}).findings) ids.push_back(f.rule->id);
    return ids;
  }
  bool fires(const std::string& id) const {
    std::vector<std::string> ids = findings();
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  }
};

std::string cmd(const std::string& chdir, const std::string& module, const std::string& extra = "") {
  return "GUNICORN_CMD_ARGS=\"--timeout 600 --access-logfile '-' --error-logfile '-' -c /opt/startup/gunicorn.conf.py" +
         extra + " --chdir=" + chdir + "\" gunicorn " + module;
}

bool any_contains(const std::vector<std::string>& lines, const std::string& text) {
  for (const auto& l : lines)
    if (l.find(text) != std::string::npos) return true;
  return false;
}

const std::pair<std::string, std::string> kPy311{"linuxFxVersion", "PYTHON|3.11"};

}  // namespace

TEST_CASE("the generated gunicorn command is the one of facts §7", "[startup]") {
  GunicornOptions o;
  o.module = "app:app";
  o.chdir = "/tmp/8dcf5c06133e9dd";
  CHECK(gunicorn_command(o) ==
        "GUNICORN_CMD_ARGS=\"--timeout 600 --access-logfile '-' --error-logfile '-' -c /opt/startup/gunicorn.conf.py "
        "--chdir=/tmp/8dcf5c06133e9dd\" gunicorn app:app");
}

TEST_CASE("Django: the first immediate subfolder alphabetically holding wsgi.py, the venv skipped", "[startup]") {
  Site site{{"antenv/", "antenv/wsgi.py", "zeta/", "zeta/wsgi.py", "mysite/", "mysite/wsgi.py", "manage.py", "app.py"},
            {}, {kPy311}};
  StartupPrediction p = site.predict();
  CHECK(p.known);
  CHECK(p.mode == "django");
  CHECK(p.module == "mysite.wsgi");
  CHECK(p.command == cmd("/home/site/wwwroot", "mysite.wsgi"));
  CHECK(any_contains(p.path, "skipping the virtual environment antenv/"));
}

TEST_CASE("root files are tried in the order application.py, app.py, run.py, index.py, server.py, wsgi.py", "[startup]") {
  const std::vector<std::string> order = {"application.py", "app.py", "run.py", "index.py", "server.py", "wsgi.py"};
  for (size_t i = 0; i < order.size(); ++i) {
    Site site;
    site.settings = {kPy311};
    for (size_t k = i; k < order.size(); ++k) site.paths.push_back(order[k]);
    StartupPrediction p = site.predict();
    std::string stem = order[i].substr(0, order[i].size() - 3);
    INFO(order[i]);
    CHECK(p.mode == "flask");
    CHECK(p.module == stem + ":app");
    CHECK(p.command == cmd("/home/site/wwwroot", stem + ":app"));
  }
}

TEST_CASE("no framework: the default site is served, with why", "[startup]") {
  Site site{{"main.py", "requirements.txt", "src/", "src/helpers.py"}, {}, {kPy311, {"appCommandLine", ""}}};
  StartupPrediction p = site.predict();
  CHECK(p.mode == "default");
  CHECK(p.module == "application:app");
  CHECK(p.command == cmd("/opt/defaultsite", "application:app"));
  CHECK(any_contains(p.path, "Site config appCommandLine is empty"));
  CHECK(any_contains(p.path, "default site"));
}

TEST_CASE("compressed output runs from /tmp/<id>", "[startup]") {
  Site hidden{{".ostype", "oryx-manifest.toml", "output.tar.gz", "requirements.txt"},
              {{"oryx-manifest.toml", "PythonVersion=\"3.11.8\"\nSourceDirectoryInBuildContainer=\"/tmp/8dcf5c06133e9dd\"\n"}},
              {kPy311}};
  StartupPrediction p = hidden.predict();
  CHECK(p.known);
  CHECK(p.mode.empty());
  CHECK(p.app_dir == "/tmp/8dcf5c06133e9dd");
  CHECK(p.command == cmd("/tmp/8dcf5c06133e9dd", "<module>"));
  CHECK(any_contains(p.path, "inside the tarball"));

  Site visible{{"oryx-manifest.toml", "output.tar.gz", "app.py"}, {}, {kPy311}};
  visible.app_log = "2024-03-15T10:21:45.200Z App path is set to '/tmp/8d1234'\n";
  StartupPrediction v = visible.predict();
  CHECK(v.module == "app:app");
  CHECK(v.command == cmd("/tmp/8d1234", "app:app"));
}

TEST_CASE("version differences: --bind only on 2.7/3.6/3.7 images, antenv3.6 as the venv of 3.6", "[startup]") {
  for (const char* old : {"2.7", "3.6", "3.7"}) {
    Site site{{"app.py"}, {}, {{"linuxFxVersion", std::string("PYTHON|") + old}}};
    INFO(old);
    CHECK(site.predict().command == cmd("/home/site/wwwroot", "app:app", " --bind=0.0.0.0:8000"));
  }
  for (const char* current : {"3.8", "3.11", "3.12"}) {
    Site site{{"app.py"}, {}, {{"linuxFxVersion", std::string("PYTHON|") + current}}};
    INFO(current);
    CHECK(site.predict().command == cmd("/home/site/wwwroot", "app:app"));
  }
  // On 3.6 the venv is antenv3.6: it is skipped, a folder named antenv is not.
  Site py36{{"antenv/", "antenv/wsgi.py", "antenv3.6/", "antenv3.6/wsgi.py", "web/", "web/wsgi.py"}, {}, {{"linuxFxVersion", "PYTHON|3.6"}}};
  CHECK(py36.predict().module == "antenv.wsgi");
  py36.paths = {"antenv3.6/", "antenv3.6/wsgi.py", "web/", "web/wsgi.py"};
  CHECK(py36.predict().module == "web.wsgi");
  // The build manifest's virtualEnvName wins.
  Site named{{"aaa/", "aaa/wsgi.py", "web/", "web/wsgi.py", "oryx-manifest.toml"},
             {{"oryx-manifest.toml", "virtualEnvName=\"aaa\"\n"}}, {kPy311}};
  CHECK(named.predict().module == "web.wsgi");
}

TEST_CASE("version differences: FastAPI detection only for runtime Python 3.14 and later", "[startup]") {
  const std::map<std::string, std::string> files = {{"main.py", "from fastapi import FastAPI\napp = FastAPI()\n"}};
  Site py314{{"main.py", "requirements.txt"}, files, {{"linuxFxVersion", "PYTHON|3.14"}}};
  StartupPrediction p = py314.predict();
  CHECK(p.mode == "fastapi");
  CHECK(p.command == cmd("/home/site/wwwroot", "-k uvicorn_worker.UvicornWorker main:app"));
  Site py313 = py314;
  py313.settings = {{"linuxFxVersion", "PYTHON|3.13"}};
  CHECK(py313.predict().mode == "default");
  CHECK(any_contains(py313.predict().path, "only for runtime Python 3.14"));
  Site disabled = py314;
  disabled.settings.push_back({"DISABLE_FASTAPI_DETECTION", "true"});
  CHECK(disabled.predict().mode == "default");
  // A Flask file that merely mentions fastapi is not FastAPI.
  Site flask{{"app.py"}, {{"app.py", "from flask import Flask\nimport fastapi\napp = Flask(__name__)\n"}}, {{"linuxFxVersion", "PYTHON|3.14"}}};
  CHECK(flask.predict().mode == "flask");
  // The runtime version may come from the image banner instead of the settings.
  Site banner{{"main.py"}, files, {}};
  banner.app_log = "2026-05-01T10:00:00.000Z Python version   : 3.14.1\n";
  CHECK(banner.predict().mode == "fastapi");
}

TEST_CASE("version differences: --workers only with PYTHON_ENABLE_GUNICORN_MULTIWORKERS=true", "[startup]") {
  Site site{{"app.py"}, {}, {kPy311, {"PYTHON_ENABLE_GUNICORN_MULTIWORKERS", "true"}, {"PYTHON_GUNICORN_CUSTOM_WORKER_NUM", "4"}}};
  CHECK(site.predict().command == cmd("/home/site/wwwroot", "app:app", " --workers=4"));
  site.settings.push_back({"PYTHON_GUNICORN_CUSTOM_THREAD_NUM", "8"});
  CHECK(site.predict().command == cmd("/home/site/wwwroot", "app:app", " --workers=4 --threads=8"));
  Site off{{"app.py"}, {}, {kPy311, {"PYTHON_ENABLE_GUNICORN_MULTIWORKERS", "false"}, {"PYTHON_GUNICORN_CUSTOM_WORKER_NUM", "4"}}};
  CHECK(off.predict().command == cmd("/home/site/wwwroot", "app:app"));
}

TEST_CASE("a custom startup command is used as given, with no detection", "[startup]") {
  Site site{{"app.py", "startup.sh"}, {}, {kPy311, {"appCommandLine", "startup.sh"}}};
  StartupPrediction p = site.predict();
  CHECK(p.mode == "custom");
  CHECK(p.command == "startup.sh");
  CHECK(p.warnings.empty());
  CHECK(any_contains(p.path, "no framework detection"));
}

TEST_CASE("warning: wsgi.py two levels down", "[startup]") {
  Site site{{"src/", "src/mysite/", "src/mysite/wsgi.py", "src/manage.py"}, {}, {kPy311}};
  StartupPrediction p = site.predict();
  CHECK(p.mode == "default");
  CHECK(any_contains(p.warnings, "src/mysite/wsgi.py is two levels down"));
  CHECK(any_contains(p.warnings, "--chdir src mysite.wsgi"));
}

TEST_CASE("warning: a startup file named in the command is not in the listing", "[startup]") {
  Site site{{"app.py"}, {}, {kPy311, {"appCommandLine", "bash /home/site/wwwroot/startup.sh"}}};
  CHECK(any_contains(site.predict().warnings, "names /home/site/wwwroot/startup.sh, which is not in the listing"));
  Site compressed{{"oryx-manifest.toml", "output.tar.gz"}, {}, {kPy311, {"appCommandLine", "./startup.sh"}}};
  CHECK(any_contains(compressed.predict().warnings, "inside output.tar.gz"));
  Site present{{"startup.sh"}, {}, {kPy311, {"appCommandLine", "bash startup.sh"}}};
  CHECK(present.predict().warnings.empty());
}

TEST_CASE("warning: the Flask app object is not named app", "[startup]") {
  Site site{{"application.py"}, {{"application.py", "from flask import Flask\napplication = Flask(__name__)\n"}}, {kPy311}};
  StartupPrediction p = site.predict();
  CHECK(p.module == "application:app");
  CHECK(any_contains(p.warnings, "names its app object `application`"));
  Site fine{{"app.py"}, {{"app.py", "from flask import Flask\napp = Flask(__name__)\n"}}, {kPy311}};
  CHECK(fine.predict().warnings.empty());
}

TEST_CASE("warning: a detected ASGI app runs under the generated command's sync worker", "[startup]") {
  Site detected{{"app.py", "requirements.txt"}, {{"requirements.txt", "fastapi==0.110.0\nuvicorn\n"}}, {kPy311}};
  CHECK(any_contains(detected.predict().warnings, "ASGI framework"));
}

TEST_CASE("rule: a custom gunicorn command without an ASGI worker for an ASGI app is a finding", "[startup]") {
  Site custom{{"main.py"}, {{"main.py", "from fastapi import FastAPI\napp = FastAPI()\n"}},
              {kPy311, {"appCommandLine", "gunicorn --bind=0.0.0.0 main:app"}}};
  CHECK(custom.fires("asgi-app-under-wsgi-worker"));
  CHECK(custom.predict().warnings.empty());  // a finding, not also a warning
  Site by_requirements{{"main.py", "requirements.txt"}, {{"requirements.txt", "Starlette==0.37\n"}},
                       {kPy311, {"appCommandLine", "gunicorn main:app"}}};
  CHECK(by_requirements.fires("asgi-app-under-wsgi-worker"));
  for (const char* worker : {"gunicorn -k uvicorn.workers.UvicornWorker main:app",
                             "gunicorn -k uvicorn_worker.UvicornWorker main:app",
                             "gunicorn --worker-class=uvicorn.workers.UvicornWorker main:app"}) {
    INFO(worker);
    custom.settings = {kPy311, {"appCommandLine", worker}};
    CHECK_FALSE(custom.fires("asgi-app-under-wsgi-worker"));
  }
  Site flask{{"app.py"}, {{"app.py", "from flask import Flask\napp = Flask(__name__)\n"}},
             {kPy311, {"appCommandLine", "gunicorn app:app"}}};
  CHECK_FALSE(flask.fires("asgi-app-under-wsgi-worker"));
}

TEST_CASE("rule: a custom command that starts a server on localhost or a development server is a finding", "[startup]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"flask run", "bind-localhost"},
      {"flask --app app run --port 8000", "bind-localhost"},
      {"python -m flask run", "bind-localhost"},
      {"python manage.py runserver", "bind-localhost"},
      {"python manage.py runserver 8000", "bind-localhost"},
      {"uvicorn main:app", "bind-localhost"},
      {"pip install -r requirements.txt && uvicorn main:app --port 8000", "bind-localhost"},
      {"python app.py", "python-file-as-startup-command"},
      {"python3.11 -u /home/site/wwwroot/app.py", "python-file-as-startup-command"},
  };
  for (const auto& [command, rule] : cases) {
    Site site{{"app.py", "main.py", "manage.py"}, {}, {kPy311, {"appCommandLine", command}}};
    INFO(command);
    CHECK(site.fires(rule));
    CHECK(site.predict().warnings.empty());  // a finding, not also a warning
  }
  for (const char* fine : {"uvicorn main:app --host 0.0.0.0 --port 8000", "uvicorn main:app --host=0.0.0.0",
                           "flask run --host=0.0.0.0 --port=8000", "python manage.py runserver 0.0.0.0:8000",
                           "gunicorn --bind=0.0.0.0 --timeout 600 app:app", "python -m gunicorn app:app",
                           "startup.sh"}) {
    Site site{{"app.py", "main.py", "manage.py", "startup.sh"}, {}, {kPy311, {"appCommandLine", fine}}};
    INFO(fine);
    CHECK_FALSE(site.fires("bind-localhost"));
    CHECK_FALSE(site.fires("python-file-as-startup-command"));
  }
}

TEST_CASE("prediction compared with what the log shows ran", "[startup]") {
  const std::string django_log =
      "2024-03-15T10:21:39.500Z A P P   S E R V I C E   O N   L I N U X\n"
      "2024-03-15T10:21:45.200Z Detected an app based on Django\n"
      "2024-03-15T10:21:45.201Z Generating `gunicorn` command for 'mysite.wsgi'\n";
  Site same{{"mysite/", "mysite/wsgi.py"}, {}, {kPy311}};
  same.app_log = django_log;
  StartupObserved p = same.observe();
  CHECK(p.mode == "django");
  CHECK(p.module == "mysite.wsgi");
  CHECK(p.lines.size() == 2);
  CHECK(p.differences.empty());

  Site other{{"app.py"}, {}, {kPy311}};
  other.app_log = django_log;
  StartupObserved q = other.observe();
  REQUIRE(q.differences.size() == 1);
  CHECK(q.differences[0].find("Predicted flask (app:app), but the log shows django (mysite.wsgi)") == 0);

  Site fallback{{"app.py"}, {}, {kPy311}};
  fallback.app_log =
      "2024-03-15T10:21:45.200Z No framework detected; using default app from /opt/defaultsite\n"
      "2024-03-15T10:21:45.201Z Generating `gunicorn` command for 'application:app'\n";
  StartupObserved f = fallback.observe();
  CHECK(f.mode == "default");
  CHECK(f.differences.size() == 1);

  Site changed{{"app.py"}, {}, {kPy311, {"appCommandLine", "gunicorn --bind=0.0.0.0 app:app"}}};
  changed.app_log = "2024-03-15T10:21:40.100Z Site's appCommandLine: python app.py\n";
  StartupObserved c = changed.observe();
  CHECK(c.mode == "custom");
  CHECK(c.command == "python app.py");
  REQUIRE(c.differences.size() == 1);
  CHECK(c.differences[0].find("the container ran `python app.py`") != std::string::npos);
}

TEST_CASE("nothing to predict from", "[startup]") {
  Site site;
  site.no_listing = true;
  auto [p, o] = site.run();
  CHECK_FALSE(p.known);
  CHECK(p.command.empty());
  CHECK(any_contains(p.path, "cannot be predicted"));
  CHECK(o.command.empty());
}

TEST_CASE("a listing that never shows inside its folders does not predict the default site", "[startup]") {
  // `ls -la` of the root only: config/ may well hold wsgi.py, the listing cannot say.
  Site site{{"manage.py", "requirements.txt", "config/", "static/", "antenv/"}, {}, {kPy311, {"appCommandLine", ""}}};
  StartupPrediction p = site.predict();
  CHECK(p.mode != "default");
  CHECK(any_contains(p.path, "shows folders (config, static) but nothing inside them"));
  CHECK_FALSE(any_contains(p.path, "/opt/defaultsite is served"));
}

TEST_CASE("the prediction is a function of the listing, the settings and the hints alone", "[startup]") {
  Listing listing;
  for (const char* p : {"oryx-manifest.toml", "output.tar.gz", "main.py"}) listing.entries.push_back({p, false, 10, 1, ""});
  listing.files["main.py"] = "from fastapi import FastAPI\napp = FastAPI()\n";
  // No linuxFxVersion: the banner's version (a hint) decides FastAPI detection; the
  // extraction folder the log showed is the app directory.
  StartupPrediction p = predict_startup(&listing, {}, {"3.14", "/tmp/8dcf5c06133e9dd"});
  CHECK(p.runtime_version == "3.14");
  CHECK(p.mode == "fastapi");
  CHECK(p.app_dir == "/tmp/8dcf5c06133e9dd");
  CHECK(predict_startup(&listing, {}, {"3.14", ""}).app_dir == "/tmp/<id>");
  CHECK(predict_startup(&listing, {}, {"3.11", ""}).mode == "default");  // main.py is no root file before 3.14
  // A later setting of the same name wins, whatever its case.
  StartupPrediction custom = predict_startup(nullptr, {{"appCommandLine", "a.sh", 1}, {"APPCOMMANDLINE", "b.sh", 2}}, {});
  CHECK(custom.command == "b.sh");
}
