#!/usr/bin/env bash
# The one sshd of a ctest run, shared by every SSH test: the ctest fixture
# `ssh` runs `sshd_fixture.sh start INFO` as its setup test and
# `sshd_fixture.sh stop INFO` as its cleanup test (which ctest runs even when
# a test failed or timed out). INFO, in the build folder, names the server's
# folder (port, user, password, client_key, known_hosts: see sshd_start.sh).
set -uo pipefail
action=$1 info=$2
here=$(dirname "$0")
stop() {  # a server INFO names, if any; also one a killed ctest run left behind
  [[ -f $info ]] || return 0
  local dir
  dir=$(cat "$info")
  bash "$here/sshd_stop.sh" "$dir"
  [[ $dir == /run/appdiag-sshd-*/sshd ]] && rm -rf "$(dirname "$dir")"
  rm -f "$info"
  if pgrep -f -- "$dir/sshd_config" >/dev/null; then
    echo "sshd_fixture: a server of $dir is still running" >&2
    return 1
  fi
}
case $action in
  start)
    if [[ $(id -u) != 0 || ! -x /usr/sbin/sshd ]]; then
      echo "sshd_fixture: needs root and /usr/sbin/sshd (for a throwaway user and server)" >&2
      exit 77
    fi
    stop || exit 1
    # Under /run: the server chroots its user to a tree below here (see sshd_start.sh).
    top=$(mktemp -d /run/appdiag-sshd-XXXXXX)
    chmod 711 "$top"  # the throwaway sftp user must reach authorized_keys
    echo "$top/sshd" >"$info"
    bash "$here/sshd_start.sh" "$top/sshd" || { stop; exit 1; }
    echo "sshd_fixture: serving on 127.0.0.1:$(cat "$top/sshd/port") from $top/sshd"
    ;;
  stop) stop ;;
  *) echo "usage: sshd_fixture.sh start|stop INFO" >&2; exit 2 ;;
esac
