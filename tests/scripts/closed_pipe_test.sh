#!/usr/bin/env bash
# What `appdiag ... | head` does when the reader is gone before the report is
# written (README, "Signals and pipes"): killed by SIGPIPE, status 141, nothing
# on stderr; with SIGPIPE ignored (inherited from the parent) the write fails
# instead: one line naming standard output, exit 2. The pipe's read end is
# closed before appdiag starts, so there is no race with the reader.
source "$(dirname "$0")/common.sh"
log=$(ls "$failing"/LogFiles/*_default_docker.log | head -1)

closed_pipe() {  # closed_pipe keep|ignore CMD... ; prints the exit status (141 = signal 13), stderr in $work/err
  python3 - "$work/err" "$@" <<'PY'
import os, signal, subprocess, sys
err, mode, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
r, w = os.pipe()
os.close(r)  # nobody will ever read
with open(err, "wb") as e, open(os.devnull, "rb") as nothing:
    # restore_signals: the child gets SIGPIPE's default action back; without it, python's SIG_IGN is inherited.
    p = subprocess.run(cmd, stdin=nothing, stdout=w, stderr=e, restore_signals=(mode == "keep"), timeout=120)
print(128 - p.returncode if p.returncode < 0 else p.returncode)
PY
}

for cmd in "analyze $failing" "analyze $failing --format json" "scan --fail-on never $log"; do
  # shellcheck disable=SC2086  # the command's words
  rc=$(closed_pipe keep "$APPDIAG" $cmd)
  check "'$cmd' into a closed pipe: status 141 (got $rc)" test "$rc" = 141
  check "'$cmd' into a closed pipe: nothing on stderr" test ! -s "$work/err"
  # shellcheck disable=SC2086
  rc=$(closed_pipe ignore "$APPDIAG" $cmd)
  check "'$cmd' into a closed pipe, SIGPIPE ignored: exit 2 (got $rc)" test "$rc" = 2
  check "'$cmd' into a closed pipe, SIGPIPE ignored: one line naming standard output" \
    bash -c "[ \$(wc -l <'$work/err') = 1 ] && grep -q '^appdiag: standard output: Broken pipe' '$work/err'"
done
# A report that fits in the pipe's buffer is written before `head` exits: the
# run's own status (1: a root cause), not 141.
"$APPDIAG" analyze "$failing" 2>"$work/head.err" | head -1 >"$work/head.out"
check "| head -1 on a short report: the run's own status" test "${PIPESTATUS[0]}" = 1
check "| head -1: the headline line" grep -q '^NOW: ' "$work/head.out"
finish
