#pragma once
// What App Service will start for this code: the startup script's decision
// order (custom command, Django wsgi.py one folder down, FastAPI on Python >=
// 3.14, a root file among application.py, app.py, run.py, index.py, server.py,
// wsgi.py, default site) and the gunicorn command it builds (facts sheet §7).
//
// A pure function of its inputs: the first listing of /home/site/wwwroot
// (entries and gathered file content), the settings (appCommandLine,
// linuxFxVersion, PYTHON_ENABLE_GUNICORN_MULTIWORKERS,
// PYTHON_GUNICORN_CUSTOM_WORKER_NUM/THREAD_NUM, DISABLE_FASTAPI_DETECTION,
// PYTHON_USE_GUNICORN_CONFIG_FROM_PATH, PORT) and the hints the caller took
// from the logs (startup_observed.h). Lint checks that are patterns over
// appCommandLine (a development server, uvicorn without --host 0.0.0.0, an
// ASGI app under gunicorn's sync worker) are rules (rules/*.json), not here.
#include <string>
#include <vector>

#include "analyzer/core/evidence.h"

namespace appdiag {

struct StartupPrediction {
  bool known = false;                 // a listing or a custom command was available to predict from
  std::string mode;                   // "custom", "django", "fastapi", "flask", "default"; empty when the files are not visible
  std::string module;                 // "mysite.wsgi", "app:app", "application:app"; empty for custom
  std::string app_dir;                // the --chdir directory
  std::string command;                // what App Service would run
  std::vector<std::string> path;      // the decision path, one sentence per step
  std::vector<std::string> warnings;  // what will go wrong, as far as only the prediction can tell
  std::string runtime_version;        // "3.11" from linuxFxVersion or the banner; empty if unknown
};

// What the logs tell the prediction; empty strings when they do not.
struct StartupHints {
  std::string python_version;  // the runtime's banner, used when linuxFxVersion names no version
  std::string app_path;        // where compressed output was extracted
};

// `listing` may be null (none given); later settings of the same name win.
StartupPrediction predict_startup(const Listing* listing, const std::vector<Setting>& settings,
                                  const StartupHints& hints);

// The gunicorn command the startup script generates (facts §7, buildGunicornCommandForModule).
struct GunicornOptions {
  std::string module;            // "app:app", or "-k uvicorn_worker.UvicornWorker main:app"
  std::string chdir;
  std::string config = "/opt/startup/gunicorn.conf.py";  // -c; empty: not set by the image
  std::string workers;           // --workers=, only with PYTHON_ENABLE_GUNICORN_MULTIWORKERS=true
  std::string threads;           // --threads=
  std::string bind;              // --bind=, only on 2.7/3.6/3.7 images (-bindPort)
};
std::string gunicorn_command(const GunicornOptions& options);

}  // namespace appdiag
