#!/usr/bin/env bash
# `appdiag scan`, the CI gate: findings printed while the log is still being
# written, exit codes, --follow, --baseline, --only/--skip, reports at the end,
# and memory that does not grow with the size of a piped log.
source "$(dirname "$0")/common.sh"
log=$(ls "$failing"/LogFiles/*_default_docker.log | head -1)
mnf="2024-03-15T10:21:47.720900317Z ModuleNotFoundError: No module named 'dotenv'"

# A finding appears before the writer has finished: the writer notes the time
# just before its last line, after a pause; the finding must be older.
stamp() { while IFS= read -r line; do echo "$(date +%s%N) $line"; done; }
{ echo "2024-03-15T10:21:40Z booting"; echo "$mnf"; sleep 3; date +%s%N >"$work/writer_done"; echo "tail"; } |
  "$APPDIAG" scan --follow | stamp >"$work/stream.out"
found_at=$(grep -m1 'module-not-found' "$work/stream.out" | cut -d' ' -f1)
check "finding printed" test -n "$found_at"
check "finding printed before the writer finished (${found_at:-none} < $(cat "$work/writer_done"))" \
  test "${found_at:-99999999999999999999}" -lt "$(cat "$work/writer_done")"
check "evidence line printed with its line number" grep -qF -- "-:2  $mnf" "$work/stream.out"

# Exit codes as in analyze.
"$APPDIAG" scan <"$log" >"$work/gate.out"; rc=$?
check "failing log: exit 1" test "$rc" = 1
"$APPDIAG" scan --fail-on never <"$log" >/dev/null; rc=$?
check "--fail-on never: exit 0" test "$rc" = 0
printf '2024-03-15T10:21:40Z all fine\n' | "$APPDIAG" scan >"$work/ok.out"; rc=$?
check "clean log: exit 0, nothing printed" bash -c "test $rc = 0 && ! test -s '$work/ok.out'"
{ echo "$mnf"; sleep 5; } | "$APPDIAG" scan --follow >/dev/null &
gate=$!
sleep 1
kill -INT "$gate"
wait "$gate"; rc=$?
check "interrupted while waiting for input: exit 130 ($rc)" test "$rc" = 130
"$APPDIAG" scan --fail-on bogus </dev/null 2>/dev/null; rc=$?
check "bad --fail-on: exit 2" test "$rc" = 2
"$APPDIAG" scan --only no-such-rule </dev/null 2>"$work/err"; rc=$?
check "unknown rule id: exit 2 naming it" bash -c "test $rc = 2 && grep -q 'no-such-rule' '$work/err'"

# Without --follow the gate stops at the first failure: a finding whose line
# comes long after (in a later read) is not reported; with --follow it is.
late="2024-03-15T10:30:00Z sqlite3.OperationalError: database is locked"
{ echo "$mnf"; sleep 1; echo "$late"; } | "$APPDIAG" scan --fail-on error >"$work/stop.out"
check "stops at the first failing finding" bash -c "grep -q module-not-found '$work/stop.out' && ! grep -q sqlite-locked '$work/stop.out'"
{ echo "$mnf"; sleep 1; echo "$late"; } | "$APPDIAG" scan --follow --as platform=- >/dev/null
{ echo "$mnf"; sleep 1; echo "$late"; } | "$APPDIAG" scan --follow >"$work/follow.out"
check "--follow reads on" grep -q sqlite-locked "$work/follow.out"

# Files as well as standard input, and reports written at the end.
"$APPDIAG" scan "$failing" --follow --format sarif="$work/scan.sarif" --format json="$work/scan.json" >"$work/files.out"
check "bundle scanned: root cause printed" grep -q "^error module-not-found" "$work/files.out"
check "json report written at the end" python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['root_cause']=='module-not-found'" "$work/scan.json"
check "sarif report written at the end" grep -q '"ruleId": "module-not-found"' "$work/scan.sarif"

# --baseline: a previous JSON report's findings are not reported again, even
# when their lines moved; a new finding still is, and still fails the gate.
# Evidence is matched by file name too, so the baseline reads the log as the gate does (from "-").
"$APPDIAG" scan --follow --fail-on never --format json="$work/base.json" <"$log" >/dev/null
{ echo "2024-03-15T10:20:00Z a new first line"; cat "$log"; } >"$work/moved.log"
"$APPDIAG" scan --follow --baseline "$work/base.json" <"$work/moved.log" >"$work/known.out"; rc=$?
check "baseline: known findings suppressed (exit 0)" bash -c "test $rc = 0 && ! test -s '$work/known.out'"
{ cat "$work/moved.log"; echo "$late"; } | "$APPDIAG" scan --follow --baseline "$work/base.json" >"$work/new.out"; rc=$?
check "baseline: a new finding is reported (exit 1)" bash -c "test $rc = 1 && grep -q sqlite-locked '$work/new.out' && ! grep -q module-not-found '$work/new.out'"
echo '{"findings": [' >"$work/broken.json"
"$APPDIAG" scan --baseline "$work/broken.json" </dev/null 2>"$work/err"; rc=$?
check "broken baseline: exit 2 naming file:line" bash -c "test $rc = 2 && grep -q 'broken.json:[0-9]' '$work/err'"
"$APPDIAG" analyze "$failing" --fail-on never --format json -o "$work/bundle_base.json"
"$APPDIAG" analyze "$failing" --baseline "$work/bundle_base.json" --format json -o "$work/after.json"; rc=$?
check "analyze --baseline: all known, exit 0" bash -c "test $rc = 0 && python3 -c \"import json,sys; assert json.load(open(sys.argv[1]))['findings'] == []\" '$work/after.json'"

# --only / --skip (scan and analyze).
"$APPDIAG" scan --follow --skip module-not-found <"$log" >"$work/skip.out"
check "--skip hides the rule" bash -c "! grep -q module-not-found '$work/skip.out' && grep -q worker-boot-failed '$work/skip.out'"
"$APPDIAG" scan --follow --only module-not-found <"$log" >"$work/only.out"
check "--only keeps just the rule" bash -c "grep -q '^error module-not-found' '$work/only.out' && test \$(grep -c '^[a-z]* [a-z-]*:' '$work/only.out') = 1"
"$APPDIAG" analyze "$failing" --only worker-boot-failed,module-not-found --format json -o "$work/only.json" --fail-on never
check "analyze --only" python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert sorted(f['id'] for f in d['findings'])==['module-not-found','worker-boot-failed']" "$work/only.json"

# Memory does not grow with the input: peak RSS on 64 MiB piped is within
# 16 MiB of peak RSS on 4 MiB (the scanner keeps a bounded number of matches).
rss() {  # MIB: peak RSS in KiB of scanning MIB MiB of a log that keeps matching
  { for _ in $(seq 200); do cat "$log"; done; } | head -c $(($1 << 20)) >"$work/big.log"
  /usr/bin/time -f '%M' -o "$work/rss" "$APPDIAG" scan --follow --fail-on never <"$work/big.log" >/dev/null
  cat "$work/rss"
}
# setup.sh installs GNU time: without it the check fails rather than vanish.
check "/usr/bin/time is installed (tests/scripts/setup.sh)" test -x /usr/bin/time
if [ -x /usr/bin/time ]; then
  small=$(rss 4); large=$(rss 64)
  echo "peak RSS: 4 MiB piped -> $small KiB, 64 MiB piped -> $large KiB"
  check "memory flat ($small KiB vs $large KiB)" test $((large - small)) -lt 16384
fi
# The stop is exact: a failing line followed by other decidable failures in
# the same read prints the first only (it printed the rest of its buffer).
printf "ModuleNotFoundError: No module named 'flask'\nsqlite3.OperationalError: database is locked\n[ERROR] Connection in use: ('0.0.0.0', 8000)\n" >"$work/three.log"
"$APPDIAG" scan "$work/three.log" >"$work/exact.out" 2>"$work/exact.err"; rc=$?
check "exact stop: exit 1" test "$rc" = 1
check "exact stop: nothing after the decisive line" test "$(grep -c '^error ' "$work/exact.out")" = 1
check "exact stop: a one-line verdict on stderr" grep -q "^appdiag: scan failed" "$work/exact.err"
"$APPDIAG" scan --follow "$work/three.log" >"$work/exact.out" 2>/dev/null
check "--follow: all three" test "$(grep -c '^error ' "$work/exact.out")" = 3
# A healthy scan says so, with the number of lines read.
printf 'INFO one\nINFO two\n' | "$APPDIAG" scan >"$work/ok.out" 2>"$work/ok.err"; rc=$?
check "healthy scan: exit 0 and a verdict" bash -c "[ $rc = 0 ] && grep -qx 'appdiag: no failure found in 2 lines' '$work/ok.err'"
# Log text cannot issue Azure Pipelines commands, nor escape codes from a rule title reach the terminal.
printf "ModuleNotFoundError: No module named '##vso[task.setvariable variable=x]1'\n" | "$APPDIAG" scan >"$work/vso.out" 2>/dev/null
check "##vso[ neutralised" bash -c "grep -q 'module-not-found' '$work/vso.out' && ! grep -qF '##vso[' '$work/vso.out'"
mkdir -p "$work/escrules"
cat >"$work/escrules/esc-title.json" <<'JSON'
{"id": "esc-title", "title": "Bad \u001b[31mtitle", "summary": "s", "severity": "error", "confidence": "high",
 "category": "runtime", "when": {"log": "ESCAPE-ME"}, "remediation": ["fix"], "references": []}
JSON
echo "ESCAPE-ME" | "$APPDIAG" scan --rules "$work/escrules" >"$work/esc.out" 2>"$work/esc.err"
check "rule title escaped" bash -c "grep -qF 'Bad \\x1b[31mtitle' '$work/esc.out' && ! grep -q $'\033' '$work/esc.out'"

finish
