#!/usr/bin/env bash
# appdiag analyze ssh://... against a real OpenSSH server on 127.0.0.1: the
# diagnosis over SSH equals the one of the bundle --save-bundle wrote, and
# refusals (unknown host, silent server) exit 2 with a one-line reason.
set -euo pipefail
: "${APPDIAG:?path to the appdiag binary}" "${APPDIAG_SOURCE_DIR:?source tree}"
# The server of this ctest run (the ssh fixture: sshd_fixture.sh), read only.
[[ -n ${APPDIAG_SSHD_INFO:-} && -s $APPDIAG_SSHD_INFO ]] || {
  echo "ssh_test: no shared sshd (run through ctest: the ssh fixture starts it)" >&2; exit 77; }
D=$(cat "$APPDIAG_SSHD_INFO")
W=$(mktemp -d)
LISTENER=
cleanup() {
  [[ -n $LISTENER ]] && kill "$LISTENER" 2>/dev/null
  rm -rf "$W"
}
trap cleanup EXIT
PORT=$(cat "$D/port")
URL="ssh://$(cat "$D/user")@127.0.0.1:$PORT"
# The default roots (/home/site/wwwroot, /home/LogFiles, ...) are right: the tree is the user's /.
SSH_ARGS=(-i "$D/client_key" --known-hosts "$D/known_hosts")
fail() { echo "ssh_test: FAIL: $*" >&2; exit 1; }

# 1. Online, saving the bundle; then offline from the bundle.
start=$(date +%s.%N)
rc=0
"$APPDIAG" analyze "$URL" "${SSH_ARGS[@]}" --save-bundle "$W/bundle" --format json -o "$W/ssh.json" || rc=$?
end=$(date +%s.%N)
[[ $rc == 1 ]] || fail "analyze over ssh exited $rc, expected 1 (error findings)"
echo "ssh_test: gather + analyse over loopback: $(python3 -c "print(f'{$end - $start:.3f}')") s"
[[ -f $W/bundle/wwwroot-listing.txt && -f $W/bundle/LogFiles/2026_11_28_lw0sdlwk0001AB_docker.log ]] ||
  fail "bundle layout missing files"
rc=0
"$APPDIAG" analyze "$W/bundle" --format json -o "$W/bundle.json" || rc=$?
[[ $rc == 1 ]] || fail "analyze of the saved bundle exited $rc, expected 1"
python3 - "$W/ssh.json" "$W/bundle.json" <<'PY'
import json, os, sys
def shape(path):
    d = json.load(open(path))
    def ev(e):
        # Names differ by origin (remote path vs bundle path); lines and text must not.
        name = os.path.basename(e["file"]) if e["kind"] in ("deploy", "platform", "app") else ""
        return (e["kind"], name, e["line"], e["text"])
    return d["root_cause"], [(f["id"], f["root_cause"], sorted(map(ev, f["evidence"])), f["captures"]) for f in d["findings"]]
a, b = shape(sys.argv[1]), shape(sys.argv[2])
if a != b:
    print("ssh_test: diagnosis differs\nssh:    %r\nbundle: %r" % (a, b), file=sys.stderr); sys.exit(1)
ids = [f[0] for f in a[1]]
if a[0] is None or "module-not-found" not in ids:
    print("ssh_test: expected a root cause and module-not-found, got %r / %r" % (a[0], ids), file=sys.stderr); sys.exit(1)
print("ssh_test: same diagnosis online and offline: root cause %s, findings %s" % (a[0], ", ".join(ids)))
PY

# 2. An unknown host key is refused with its fingerprint, exit 2, one line.
: >"$W/empty_known_hosts"
rc=0
"$APPDIAG" analyze "$URL" -i "$D/client_key" --known-hosts "$W/empty_known_hosts" 2>"$W/err" >/dev/null || rc=$?
[[ $rc == 2 ]] || fail "unknown host: exit $rc, expected 2"
grep -q 'SHA256:' "$W/err" || fail "unknown host: no fingerprint in: $(cat "$W/err")"
[[ $(grep -c . "$W/err") == 1 ]] || fail "unknown host: message is not one line: $(cat "$W/err")"

# 3. A server that accepts and never speaks: a timeout error within the limit.
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4)
print(s.getsockname()[1], flush=True)
conns = []
while True:
    c, _ = s.accept(); conns.append(c)
' >"$W/silent_port" &
LISTENER=$!
for _ in $(seq 1 50); do [[ -s $W/silent_port ]] && break; sleep 0.1; done
start=$(date +%s)
rc=0
timeout 20 "$APPDIAG" analyze "ssh://127.0.0.1:$(cat "$W/silent_port")" --connect-timeout 2 2>"$W/err" >/dev/null || rc=$?
elapsed=$(($(date +%s) - start))
[[ $rc == 2 ]] || fail "silent server: exit $rc, expected 2 ($(cat "$W/err"))"
grep -q 'timed out' "$W/err" || fail "silent server: no timeout message: $(cat "$W/err")"
((elapsed <= 5)) || fail "silent server: took ${elapsed}s with --connect-timeout 2"
echo "ssh_test: all checks passed"
