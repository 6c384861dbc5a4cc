#!/usr/bin/env bash
# Starts a throwaway OpenSSH server on 127.0.0.1 and [::1] serving a tree shaped like an
# App Service container, for the SSH collector tests. Usage: sshd_start.sh DIR
# Writes into DIR: port, user, password, client_key(.pub), known_hosts,
# host_ed25519(.pub), sshd.log, sshd.bgpid and tree/. The throwaway user is
# chrooted (SFTP only) to tree/, so it sees /home/site/wwwroot, /home/LogFiles,
# /home/site/deployments and /proc/1/environ where App Service has them.
# ChrootDirectory wants every folder above tree/ root-owned and writable by no
# one else: put DIR under /run, not /tmp.
# Needs root (useradd, a privilege separation dir). Stop with sshd_stop.sh DIR.
set -euo pipefail
D=$1
mkdir -p "$D"
chmod 711 "$D"                        # non-root test users must reach authorized_keys
SSHD=/usr/sbin/sshd                   # sshd re-execs itself: it needs an absolute path
[[ -x $SSHD ]] || { echo "sshd_start: $SSHD missing (apt-get install openssh-server)" >&2; exit 77; }
mkdir -p /run/sshd && chmod 755 /run/sshd
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()')
echo "$PORT" >"$D/port"
rm -f "$D"/host_ed25519* "$D"/client_key*
ssh-keygen -q -t ed25519 -N '' -C testhost -f "$D/host_ed25519"
ssh-keygen -q -t ed25519 -N '' -C testclient -f "$D/client_key"
cp "$D/client_key.pub" "$D/authorized_keys"
chmod 644 "$D/authorized_keys"
{
  echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$D/host_ed25519.pub")"
  echo "[::1]:$PORT $(cut -d' ' -f1,2 "$D/host_ed25519.pub")"
} >"$D/known_hosts"

# A throwaway non-root user, so file permissions mean something.
USER_NAME="adssh$PORT"
PASSWORD="Pw-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
# Parallel test runs contend for the /etc/passwd lock: retry briefly.
retry() { for _ in $(seq 1 50); do "$@" 2>/dev/null && return 0; sleep 0.1; done; "$@"; }
userdel "$USER_NAME" 2>/dev/null || true
retry useradd -M -d "$D" -s /bin/sh "$USER_NAME"
set_password() { echo "$USER_NAME:$PASSWORD" | chpasswd; }
retry set_password
echo "$USER_NAME" >"$D/user"
echo "$PASSWORD" >"$D/password"

# The App Service-shaped tree: a committed venv, a ModuleNotFoundError in the
# app log, a failed ping in the platform log, one deployment.
T=$D/tree
rm -rf "$T"
W=$T/home/site/wwwroot
L=$T/home/LogFiles
mkdir -p "$W/venv/lib/python3.9/site-packages/flask" "$W/venv/bin" "$W/static" "$W/private" "$L" \
  "$T/home/site/deployments/0a1b2c3d4e5f/" "$T/home/site/deployments/tools" "$T/proc/1"
printf 'from flask import Flask\napp = Flask(__name__)\n' >"$W/app.py"
printf 'Flask==3.0.0\n' >"$W/requirements.txt"
printf 'python-3.9\n' >"$W/runtime.txt"
printf 'home = /usr/local/bin\ninclude-system-site-packages = false\nversion = 3.9.18\n' >"$W/venv/pyvenv.cfg"
printf '# flask\n' >"$W/venv/lib/python3.9/site-packages/flask/__init__.py"
ln -s /usr/bin/python3 "$W/venv/bin/python"
printf 'body{}\n' >"$W/static/site.css"
printf 'x\n' >"$W/private/notes.txt"
printf 'odd\n' >"$W/"$'bad\e[31mname.txt'
chmod 000 "$W/runtime.txt"   # gathered content the sftp user cannot read
chmod 700 "$W/private"        # a folder the sftp user cannot list

OLD=$L/2026_11_27_lw0sdlwk0001AB_docker.log
PLATFORM=$L/2026_11_28_lw0sdlwk0001AB_docker.log
APP=$L/2026_11_28_lw0sdlwk0001AB_default_docker.log
printf '2026-11-27T09:00:00.000Z INFO  - Starting container for site\n' >"$OLD"
cat >"$PLATFORM" <<'LOG'
2026-11-28T10:21:33.900Z INFO  - Starting container for site
2026-11-28T10:21:34.200Z INFO  - docker run -d --expose=8000 --name shop-web_0_33d9d07a -e WEBSITE_SITE_NAME=shop-web appsvc/python:3.9_20240102.2.tuxprod
2026-11-28T10:21:36.300Z INFO  - Initiating warmup request to container shop-web_0_33d9d07a for site shop-web
2026-11-28T10:25:26.900Z ERROR - Container shop-web_0_33d9d07a for site shop-web did not start within expected time limit. Elapsed time = 230.6916131 sec
2026-11-28T10:25:26.950Z ERROR - Container shop-web_0_33d9d07a didn't respond to HTTP pings on port: 8000, failing site start. See container logs for debugging.
2026-11-28T10:25:27.000Z INFO  - Stopping site shop-web because it failed during startup.
LOG
cat >"$APP" <<'LOG'
2026-11-28T10:21:40.100900317Z App Command Line not configured, will attempt auto-detect
2026-11-28T10:21:40.400900317Z Could not find build manifest file at '/home/site/wwwroot/oryx-manifest.toml'
2026-11-28T10:21:40.500900317Z Could not find operation ID in manifest. Generating an operation id...
2026-11-28T10:21:40.600900317Z Detected an app based on Flask
2026-11-28T10:21:40.700900317Z Generating `gunicorn` command for 'app:app'
2026-11-28T10:21:40.800900317Z Writing output script to '/opt/startup/startup.sh'
2026-11-28T10:21:40.900900317Z WARNING: Could not find virtual environment directory /home/site/wwwroot/antenv.
2026-11-28T10:21:41.000900317Z WARNING: Could not find package directory /home/site/wwwroot/__oryx_packages__.
2026-11-28T10:21:42.100900317Z [2026-11-28 10:21:42 +0000] [77] [INFO] Starting gunicorn 21.2.0
2026-11-28T10:21:42.200900317Z [2026-11-28 10:21:42 +0000] [77] [INFO] Listening at: http://0.0.0.0:8000 (77)
2026-11-28T10:21:42.300900317Z [2026-11-28 10:21:42 +0000] [80] [INFO] Booting worker with pid: 80
2026-11-28T10:21:42.400900317Z [2026-11-28 10:21:42 +0000] [80] [ERROR] Exception in worker process
2026-11-28T10:21:42.500900317Z Traceback (most recent call last):
2026-11-28T10:21:42.600900317Z   File "/home/site/wwwroot/app.py", line 1, in <module>
2026-11-28T10:21:42.700900317Z     from flask import Flask
2026-11-28T10:21:42.800900317Z ModuleNotFoundError: No module named 'flask'
2026-11-28T10:21:42.900900317Z [2026-11-28 10:21:42 +0000] [80] [INFO] Worker exiting (pid: 80)
2026-11-28T10:21:43.000900317Z [2026-11-28 10:21:43 +0000] [77] [ERROR] Worker (pid:80) exited with code 3
2026-11-28T10:21:43.100900317Z [2026-11-28 10:21:43 +0000] [77] [ERROR] Shutting down: Master
2026-11-28T10:21:43.200900317Z [2026-11-28 10:21:43 +0000] [77] [ERROR] Reason: Worker failed to boot.
LOG
touch -d '2026-11-27 09:00:00' "$OLD"
cat >"$T/home/site/deployments/0a1b2c3d4e5f/log.log" <<'LOG'
2026-11-28T10:20:01.000Z Updating submodules.
2026-11-28T10:20:02.000Z Preparing deployment for commit id '0a1b2c3d4e'.
2026-11-28T10:20:03.000Z Handling Basic Web Site deployment.
2026-11-28T10:20:04.000Z Deployment successful. deployer = ZipDeploy deploymentPath = ZipDeploy. Extract zip.
LOG
printf '#!/bin/sh\n' >"$T/home/site/deployments/tools/deploy.sh"
printf 'PYTHON_VERSION=3.9\0SCM_DO_BUILD_DURING_DEPLOYMENT=false\0SECRET_KEY=do-not-show-me\0WEBSITE_SITE_NAME=shop-web\0DATABASE_URL=postgres://app:dbpass@db:5432/app\0' \
  >"$T/proc/1/environ"

cat >"$D/sshd_config" <<CFG
Port $PORT
ListenAddress 127.0.0.1
ListenAddress [::1]
HostKey $D/host_ed25519
PidFile $D/sshd.pid
AuthorizedKeysFile $D/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
UseDNS no
PrintMotd no
LogLevel INFO
MaxStartups 50:30:100
Subsystem sftp internal-sftp
Match User $USER_NAME
  ChrootDirectory $T
  ForceCommand internal-sftp
CFG
$SSHD -t -f "$D/sshd_config"
# Every fd redirected, or a ctest that started us waits on the pipe.
$SSHD -D -e -f "$D/sshd_config" </dev/null >"$D/sshd.log" 2>&1 &
echo $! >"$D/sshd.bgpid"
for _ in $(seq 1 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && exit 0
  sleep 0.1
done
echo "sshd_start: sshd did not listen on 127.0.0.1:$PORT; log:" >&2
cat "$D/sshd.log" >&2
exit 1
