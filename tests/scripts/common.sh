# Sourced by the script tests: a scratch folder, pass/fail counting, and the
# samples they use. Not a test itself (no _test suffix).
set -uo pipefail
: "${APPDIAG:?path to the appdiag binary}" "${APPDIAG_SOURCE_DIR:?}" "${APPDIAG_BUILD_DIR:=$APPDIAG_SOURCE_DIR/build}"
samples=$APPDIAG_SOURCE_DIR/samples
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Reports name their generation time: fixed, so that two runs compare byte for byte.
export SOURCE_DATE_EPOCH=1700000000
failures=0
pass=0

check() {  # check NAME COMMAND...
  local name=$1; shift
  if "$@"; then pass=$((pass + 1)); else echo "FAIL: $name" >&2; failures=$((failures + 1)); fi
}
run() {  # run EXPECTED_RC CMD... ; output in $work/out, $work/err
  local want=$1; shift
  "$@" >"$work/out" 2>"$work/err"
  local rc=$?
  if [ "$rc" != "$want" ]; then
    echo "FAIL: '$*' exited $rc, expected $want; stderr: $(head -c 400 "$work/err")" >&2
    failures=$((failures + 1)); return 1
  fi
  pass=$((pass + 1))
}
finish() {
  echo "$pass checks passed, $failures failed"
  [ "$failures" -eq 0 ]
}
# A null device of our own for reports we throw away: never /dev/null itself,
# which a bug in output handling would replace when run as root.
if [ "$(id -u)" = 0 ] && mknod "$work/null" c 1 3 2>/dev/null; then null_dev=$work/null; else null_dev=$work/discard; fi
# A failing sample with a root cause, symptoms and three attempts, and a healthy one.
failing=$samples/module-not-found-three-attempts
healthy=$samples/healthy-flask
