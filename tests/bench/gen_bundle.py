#!/usr/bin/env python3
"""Writes a large, realistic App Service log bundle for benchmarks.

  gen_bundle.py OUT_DIR --app-mb N

OUT_DIR gets the shape `az webapp log download` gives:
  LogFiles/2026_11_28_lw0sdlwk000001_default_docker.log   the app log (N MB):
      gunicorn access and info lines with docker timestamps, app logging;
  LogFiles/2026_11_28_lw0sdlwk000001_docker.log           the platform log;
  deployments/<id>/log.log                                an Oryx build log;

Failures are planted at known lines, written to OUT_DIR/../planted.json: a
ModuleNotFoundError traceback and a worker boot failure at the end of the app
log, and an HTTP ping failure in the platform log, so the diagnosis must be
module-not-found with worker-boot-failed and startup-timeout.
"""
import argparse
import json
import os
import random

DAY = "2026-11-28"
MACHINE = "lw0sdlwk000001"
SITE = "contoso-shop"
CONTAINER = f"{SITE}_0_5f1c2d3e"


def ts(second, frac=0):
    h, rest = divmod(second % 86400, 3600)
    m, s = divmod(rest, 60)
    return f"{DAY}T{h:02d}:{m:02d}:{s:02d}.{frac:09d}Z"


def gunicorn(second, pid, level, text):
    h, rest = divmod(second % 86400, 3600)
    m, s = divmod(rest, 60)
    return f"{ts(second, 1234567)} [{DAY} {h:02d}:{m:02d}:{s:02d} +0000] [{pid}] [{level}] {text}"


PATHS = ["/", "/api/products", "/api/products/{n}", "/api/cart", "/api/orders/{n}", "/login",
         "/static/css/site.{n}.css", "/static/js/app.{n}.js", "/health", "/api/search?q=item{n}"]
AGENTS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0 Safari/537.36",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
          "AlwaysOn", "ReadyForRequest/1.0 (HealthCheck)", "python-requests/2.31.0"]
APP_LINES = ["INFO:app.views:cart updated for session {n}", "WARNING:app.db:slow query took {n} ms",
             "INFO:werkzeug:cache miss for key product:{n}", "DEBUG:urllib3.connectionpool:Starting new HTTPS connection (1): api.contoso.com:443"]


def access_line(rng, second):
    path = rng.choice(PATHS).replace("{n}", str(rng.randrange(1, 99999)))
    method = "POST" if path.startswith("/api/cart") else "GET"
    status = rng.choice([200] * 30 + [201, 204, 301, 302, 304, 400, 401, 403, 404, 500])
    h, rest = divmod(second % 86400, 3600)
    m, s = divmod(rest, 60)
    return (f"{ts(second, rng.randrange(10**9))} 169.254.130.{rng.randrange(1, 9)} - - "
            f"[28/Nov/2026:{h:02d}:{m:02d}:{s:02d} +0000] \"{method} {path} HTTP/1.1\" {status} "
            f"{rng.randrange(0, 90000)} \"-\" \"{rng.choice(AGENTS)}\"")


def block(rng, start_second, size):
    """About `size` bytes of ordinary running-app lines."""
    lines, n, second = [], 0, start_second
    while n < size:
        second += rng.randrange(0, 2)
        r = rng.random()
        if r < 0.90:
            line = access_line(rng, second)
        elif r < 0.97:
            line = f"{ts(second, 5)} " + rng.choice(APP_LINES).replace("{n}", str(rng.randrange(1, 5000)))
        else:
            line = gunicorn(second, 74, "INFO", f"Handling signal: winch" if r < 0.98 else "Autorestarting worker after current request.")
        lines.append(line)
        n += len(line) + 1
    return lines


STARTUP = ["  _____                               ", "A P P   S E R V I C E   O N   L I N U X", "",
           "Documentation: http://aka.ms/webapp-linux", "Python 3.11.8",
           "App Command Line not configured, will attempt auto-detect",
           "Detected an app based on Flask", "Generating `gunicorn` command for 'app:app'",
           "Using packages from virtual environment antenv located at /tmp/8dcbb4b79811936/antenv."]


def startup_lines(second):
    out = [f"{ts(second, i)} {t}" for i, t in enumerate(STARTUP)]
    out += [gunicorn(second + 1, 73, "INFO", "Starting gunicorn 21.2.0"),
            gunicorn(second + 1, 73, "INFO", "Listening at: http://0.0.0.0:8000 (73)"),
            gunicorn(second + 1, 73, "INFO", "Using worker: sync"),
            gunicorn(second + 1, 74, "INFO", "Booting worker with pid: 74")]
    return out


def failure_lines(second):
    frames = [("/opt/python/3.11.8/lib/python3.11/site-packages/gunicorn/arbiter.py", 609, "spawn_worker", "worker.init_process()"),
              ("/opt/python/3.11.8/lib/python3.11/site-packages/gunicorn/workers/base.py", 134, "init_process", "self.load_wsgi()"),
              ("/opt/python/3.11.8/lib/python3.11/site-packages/gunicorn/util.py", 371, "import_app", "mod = importlib.import_module(module)"),
              ("/tmp/8dcbb4b79811936/app.py", 4, "<module>", "from dotenv import load_dotenv")]
    out = [gunicorn(second, 91, "INFO", "Booting worker with pid: 91"),
           gunicorn(second + 1, 91, "ERROR", "Exception in worker process"),
           f"{ts(second + 1)} Traceback (most recent call last):"]
    for path, line, fn, code in frames:
        out += [f"{ts(second + 1)}   File \"{path}\", line {line}, in {fn}", f"{ts(second + 1)}     {code}"]
    planted = {"module-not-found": len(out) + 1}
    out.append(f"{ts(second + 1)} ModuleNotFoundError: No module named 'dotenv'")
    out += [gunicorn(second + 1, 91, "INFO", "Worker exiting (pid: 91)"),
            gunicorn(second + 2, 73, "ERROR", "Worker (pid:91) exited with code 3"),
            gunicorn(second + 2, 73, "ERROR", "Shutting down: Master")]
    planted["worker-boot-failed"] = len(out) + 1
    out.append(gunicorn(second + 2, 73, "ERROR", "Reason: Worker failed to boot."))
    return out, planted


def write_app_log(path, size, rng):
    """Returns {rule id: 1-based line} of the planted failures."""
    # A few MB of varied lines, repeated: generating 1 GB line by line in Python takes minutes.
    blocks = ["\n".join(block(rng, 36000 + 7200 * i, 1 << 20)) + "\n" for i in range(4)]
    head = startup_lines(35990)
    with open(path, "w", newline="\n") as f:
        f.write("\n".join(head) + "\n")
        written, lines, i = 0, len(head), 0
        while written < size:
            b = blocks[i % len(blocks)]
            if written + len(b) > size:  # the last block only in part, so small sizes stay small
                b = b[:b.rfind("\n", 0, size - written) + 1] or b[:b.find("\n") + 1]
            f.write(b)
            written += len(b)
            lines += b.count("\n")
            i += 1
        tail = startup_lines(80000)
        fail, planted = failure_lines(80010)
        f.write("\n".join(tail + fail) + "\n")
        return {rule: lines + len(tail) + at for rule, at in planted.items()}


def write_platform_log(path):
    out = []
    for attempt, second in enumerate([35980, 79990]):
        name = f"{SITE}_0_{attempt:08x}"
        out += [f"{ts(second)} INFO  - Pulling image: mcr.microsoft.com/appsvc/python:3.11_20240102.2.tuxprod",
                f"{ts(second + 1)} INFO  - Pull Image successful, Time taken: 0 Minutes and 0 Seconds",
                f"{ts(second + 2)} INFO  - Starting container for site",
                f"{ts(second + 3)} INFO  - docker run -d --expose=8000 --name {name} -e WEBSITE_SITE_NAME={SITE} appsvc/python:3.11_20240102.2.tuxprod",
                f"{ts(second + 5)} INFO  - Initiating warmup request to container {name} for site {SITE}"]
        if attempt == 0:
            out.append(f"{ts(second + 20)} INFO  - Container {name} for site {SITE} initialized successfully and is ready to serve requests.")
    planted = {"startup-timeout": len(out) + 1}
    out += [f"{ts(80220)} ERROR - Container {SITE}_0_00000001 didn't respond to HTTP pings on port: 8000, failing site start. See container logs for debugging.",
            f"{ts(80221)} INFO  - Stopping site {SITE} because it failed during startup."]
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    return planted


def write_deploy_log(path):
    out = ["Updating submodules.", "Preparing deployment for commit id 'a1b2c3d4e5'.",
           "Repository path is /tmp/zipdeploy/extracted", "Running oryx build...",
           "Command: oryx build /tmp/zipdeploy/extracted -o /home/site/wwwroot --platform python --platform-version 3.11 -p virtualenv_name=antenv --log-file /tmp/build-debug.log  -i /tmp/8dcbb4b79811936 --compress-destination-dir | tee /tmp/oryx-build.log",
           "Operation performed by Microsoft Oryx, https://github.com/Microsoft/Oryx",
           "Oryx Version: 0.2.20230508.1, Commit: cb5d3c3de81969c9c99c84d01ba2ebaf50b29a4f, ReleaseTagName: 20230508.1",
           "Detecting platforms...", "Detected following platforms:", "  python: 3.11.8",
           "Python Version: /tmp/oryx/platforms/python/3.11.8/bin/python3.11",
           "Creating virtual environment...", "Activating virtual environment...",
           "Running pip install..."]
    for pkg, ver in [("flask", "3.0.0"), ("gunicorn", "21.2.0"), ("requests", "2.31.0"), ("sqlalchemy", "2.0.23")] * 5:
        out += [f"Collecting {pkg}=={ver} (from -r requirements.txt (line 1))",
                f"  Downloading {pkg}-{ver}-py3-none-any.whl (99 kB)"]
    out += ["Successfully installed flask-3.0.0 gunicorn-21.2.0 requests-2.31.0 sqlalchemy-2.0.23",
            "Preparing output...", "Compressing content of directory '/tmp/8dcbb4b79811936'...",
            "Copied the compressed output to '/home/site/wwwroot'", "Done in 42 sec(s).",
            "Running post deployment command(s)...", "Deployment successful."]
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out")
    p.add_argument("--app-mb", type=float, required=True)
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args()
    rng = random.Random(a.seed)
    logs = os.path.join(a.out, "LogFiles")
    deploy = os.path.join(a.out, "deployments", "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678")
    os.makedirs(logs, exist_ok=True)
    os.makedirs(deploy, exist_ok=True)
    app = os.path.join(logs, f"{DAY.replace('-', '_')}_{MACHINE}_default_docker.log")
    platform = os.path.join(logs, f"{DAY.replace('-', '_')}_{MACHINE}_docker.log")
    planted = []
    for rule, line in write_app_log(app, int(a.app_mb * (1 << 20)), rng).items():
        planted.append({"rule": rule, "file": os.path.relpath(app, a.out), "line": line})
    for rule, line in write_platform_log(platform).items():
        planted.append({"rule": rule, "file": os.path.relpath(platform, a.out), "line": line})
    write_deploy_log(os.path.join(deploy, "log.log"))
    with open(os.path.join(os.path.dirname(os.path.abspath(a.out)), "planted.json"), "w") as f:
        json.dump({"root_cause": "module-not-found", "planted": planted}, f, indent=1)


if __name__ == "__main__":
    main()
