#!/usr/bin/env bash
# Stops the server sshd_start.sh DIR started and removes its throwaway user.
set -uo pipefail
D=$1
if [[ -f $D/sshd.bgpid ]]; then
  pid=$(cat "$D/sshd.bgpid")
  # Its connections' processes too, woken first: a test may have stopped them
  # (SIGSTOP) and failed before it let them go.
  descendants() { local c; for c in $(pgrep -P "$1"); do echo "$c"; descendants "$c"; done; }
  for p in $(descendants "$pid"); do kill -CONT "$p" 2>/dev/null; kill "$p" 2>/dev/null; done
  kill "$pid" 2>/dev/null
  # PID 1 may take a moment to reap it: wait until it is gone or a zombie.
  for _ in $(seq 1 50); do
    stat=$(ps -o stat= -p "$pid" 2>/dev/null) || break
    [[ $stat == Z* ]] && break
    sleep 0.1
  done
  rm -f "$D/sshd.bgpid"
fi
if [[ -f $D/user ]]; then
  # Parallel test runs contend for the /etc/passwd lock: retry briefly.
  for _ in $(seq 1 50); do userdel "$(cat "$D/user")" 2>/dev/null && break; id "$(cat "$D/user")" >/dev/null 2>&1 || break; sleep 0.1; done
  rm -f "$D/user"
fi
exit 0
