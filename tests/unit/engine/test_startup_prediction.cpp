// Startup prediction: each branch of the startup script's decision order, each
// version difference of facts §7, each warning, and prediction vs the log.
// Real scanner and built-in events over in-memory sources.
#include <catch2/catch.hpp>

#include <memory>
#include <sstream>

#include "analyzer/pack/rule_loader.h"
#include "analyzer/engine/startup_prediction.h"

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

  StartupPrediction predict() const {
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
    static const RuleSet rules = load_rules(builtin_rule_files());
    ScanResult scan = Scanner(rules).scan(ev);
    return predict_startup(ev, scan, rules, build_timeline(rules, ev, scan));
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

TEST_CASE("warning: an ASGI framework without an ASGI worker", "[startup]") {
  Site detected{{"app.py", "requirements.txt"}, {{"requirements.txt", "fastapi==0.110.0\nuvicorn\n"}}, {kPy311}};
  CHECK(any_contains(detected.predict().warnings, "ASGI framework"));
  Site custom{{"main.py"}, {{"main.py", "from fastapi import FastAPI\napp = FastAPI()\n"}},
              {kPy311, {"appCommandLine", "gunicorn --bind=0.0.0.0 main:app"}}};
  CHECK(any_contains(custom.predict().warnings, "ASGI framework"));
  custom.settings = {kPy311, {"appCommandLine", "gunicorn -k uvicorn.workers.UvicornWorker main:app"}};
  CHECK(custom.predict().warnings.empty());
  custom.settings = {kPy311, {"appCommandLine", "gunicorn -k uvicorn_worker.UvicornWorker main:app"}};
  CHECK(custom.predict().warnings.empty());
}

TEST_CASE("warning: a custom command that starts a development server", "[startup]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"flask run", "flask run"},
      {"python app.py", "runs a Python file directly"},
      {"python manage.py runserver", "manage.py runserver"},
      {"uvicorn main:app", "uvicorn without --host 0.0.0.0"},
  };
  for (const auto& [command, warning] : cases) {
    Site site{{"app.py", "main.py", "manage.py"}, {}, {kPy311, {"appCommandLine", command}}};
    INFO(command);
    CHECK(any_contains(site.predict().warnings, warning));
  }
  Site ok{{"main.py"}, {}, {kPy311, {"appCommandLine", "uvicorn main:app --host 0.0.0.0 --port 8000"}}};
  CHECK(ok.predict().warnings.empty());
  Site gunicorn{{"app.py"}, {}, {kPy311, {"appCommandLine", "gunicorn --bind=0.0.0.0 --timeout 600 app:app"}}};
  CHECK(gunicorn.predict().warnings.empty());
}

TEST_CASE("prediction compared with what the log shows ran", "[startup]") {
  const std::string django_log =
      "2024-03-15T10:21:39.500Z A P P   S E R V I C E   O N   L I N U X\n"
      "2024-03-15T10:21:45.200Z Detected an app based on Django\n"
      "2024-03-15T10:21:45.201Z Generating `gunicorn` command for 'mysite.wsgi'\n";
  Site same{{"mysite/", "mysite/wsgi.py"}, {}, {kPy311}};
  same.app_log = django_log;
  StartupPrediction p = same.predict();
  CHECK(p.observed_mode == "django");
  CHECK(p.observed_module == "mysite.wsgi");
  CHECK(p.observed.size() == 2);
  CHECK(p.differences.empty());

  Site other{{"app.py"}, {}, {kPy311}};
  other.app_log = django_log;
  StartupPrediction q = other.predict();
  REQUIRE(q.differences.size() == 1);
  CHECK(q.differences[0].find("Predicted flask (app:app), but the log shows django (mysite.wsgi)") == 0);

  Site fallback{{"app.py"}, {}, {kPy311}};
  fallback.app_log =
      "2024-03-15T10:21:45.200Z No framework detected; using default app from /opt/defaultsite\n"
      "2024-03-15T10:21:45.201Z Generating `gunicorn` command for 'application:app'\n";
  StartupPrediction f = fallback.predict();
  CHECK(f.observed_mode == "default");
  CHECK(f.differences.size() == 1);

  Site changed{{"app.py"}, {}, {kPy311, {"appCommandLine", "gunicorn --bind=0.0.0.0 app:app"}}};
  changed.app_log = "2024-03-15T10:21:40.100Z Site's appCommandLine: python app.py\n";
  StartupPrediction c = changed.predict();
  CHECK(c.observed_mode == "custom");
  CHECK(c.observed_command == "python app.py");
  REQUIRE(c.differences.size() == 1);
  CHECK(c.differences[0].find("the container ran `python app.py`") != std::string::npos);
}

TEST_CASE("nothing to predict from", "[startup]") {
  Site site;
  site.no_listing = true;
  StartupPrediction p = site.predict();
  CHECK_FALSE(p.known);
  CHECK(p.command.empty());
  std::ostringstream out;
  write_startup_text(p, out);
  CHECK(out.str().find("cannot be predicted") != std::string::npos);
}

TEST_CASE("a listing that never shows inside its folders does not predict the default site", "[startup]") {
  // `ls -la` of the root only: config/ may well hold wsgi.py, the listing cannot say.
  Site site{{"manage.py", "requirements.txt", "config/", "static/", "antenv/"}, {}, {kPy311, {"appCommandLine", ""}}};
  StartupPrediction p = site.predict();
  CHECK(p.mode != "default");
  CHECK(any_contains(p.path, "shows folders (config, static) but nothing inside them"));
  CHECK_FALSE(any_contains(p.path, "/opt/defaultsite is served"));
}
