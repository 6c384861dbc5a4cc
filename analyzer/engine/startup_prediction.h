#pragma once
// What App Service will start for this code: the startup script's decision
// order (custom command, Django wsgi.py one folder down, FastAPI on Python >=
// 3.14, a root file among application.py, app.py, run.py, index.py, server.py,
// wsgi.py, default site) and the gunicorn command it builds (facts sheet §7);
// compared with what the logs show ran.
//
// Reads: the first listing of /home/site/wwwroot (entries and gathered file
// content), the settings (appCommandLine, linuxFxVersion, PYTHON_ENABLE_GUNICORN_MULTIWORKERS,
// PYTHON_GUNICORN_CUSTOM_WORKER_NUM/THREAD_NUM, DISABLE_FASTAPI_DETECTION,
// PYTHON_USE_GUNICORN_CONFIG_FROM_PATH, PORT), and the latest of the events
// app-command-line, framework-detected, gunicorn-command, app-path and
// python-version on the timeline (captures from the scan).
#include <ostream>
#include <string>
#include <vector>

#include "analyzer/engine/condition_eval.h"
#include "analyzer/core/evidence.h"
#include "analyzer/core/rule.h"
#include "analyzer/engine/scanner.h"
#include "analyzer/engine/timeline.h"

namespace appdiag {

struct StartupPrediction {
  bool known = false;                 // a listing or a custom command was available to predict from
  std::string mode;                   // "custom", "django", "fastapi", "flask", "default"; empty when the files are not visible
  std::string module;                 // "mysite.wsgi", "app:app", "application:app"; empty for custom
  std::string app_dir;                // the --chdir directory
  std::string command;                // what App Service would run
  std::vector<std::string> path;      // the decision path, one sentence per step
  std::vector<std::string> warnings;  // what will go wrong
  // What the logs show actually ran ("Detected an app based on ...", the generated command).
  std::string observed_mode;
  std::string observed_module;
  std::string observed_command;       // "Site's appCommandLine: ..." when the log shows one
  std::vector<EvidenceLine> observed;
  std::vector<std::string> differences;  // prediction vs reality
  std::string runtime_version;        // "3.11" from linuxFxVersion or the banner; empty if unknown
};

StartupPrediction predict_startup(const Evidence& evidence, const ScanResult& scan, const RuleSet& rules,
                                  const Timeline& timeline);

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

// Compact text, as `appdiag startup` and the text report print it.
void write_startup_text(const StartupPrediction& startup, std::ostream& out);

}  // namespace appdiag
