#!/usr/bin/env bash
# The command line as a user meets it: exit codes, output files, bad input,
# zip vs unpacked bundle, untrusted text, signals and pipes.
source "$(dirname "$0")/common.sh"

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
one_line_error_naming() {  # the error is one line and names the file
  [ "$(wc -l <"$work/err")" -eq 1 ] && grep -qF "$1" "$work/err"
}

healthy=$samples/healthy-flask

# Exit codes: 1 with findings at or above --fail-on, 0 otherwise, 2 for usage and input errors.
run 1 "$APPDIAG" analyze "$failing"
check "text names the root cause" grep -q "ROOT CAUSE \[error\] module-not-found" "$work/out"
run 0 "$APPDIAG" analyze "$healthy"
run 0 "$APPDIAG" analyze "$failing" --fail-on never
run 2 "$APPDIAG" analyze "$failing" --fail-on bogus
run 2 "$APPDIAG" analyze
run 2 "$APPDIAG" frobnicate
run 0 "$APPDIAG" --version

# JSON to a file, several formats at once.
run 1 "$APPDIAG" analyze "$failing" --format json -o "$work/report.json"
check "json file written" python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['root_cause']=='module-not-found', d['root_cause']" "$work/report.json"
run 1 "$APPDIAG" analyze "$failing" --format json="$work/a.json" --format text="$work/a.txt"
check "two formats from one run" test -s "$work/a.json" -a -s "$work/a.txt"
check "no temporary files left" bash -c "! ls '$work' | grep -q '\.tmp\.'"

# A zip and the same bundle unpacked give identical JSON.
(cd "$failing" && zip -qr "$work/bundle.zip" .)
run 1 "$APPDIAG" analyze "$work/bundle.zip" --format json -o "$work/zip.json"
run 1 "$APPDIAG" analyze "$failing" --format json -o "$work/dir.json"
check "zip and folder give identical JSON" cmp -s "$work/zip.json" "$work/dir.json"
# Files are read with read() by default; mapping them instead must not change a byte of the report.
APPDIAG_MMAP=on run 1 "$APPDIAG" analyze "$failing" --format json -o "$work/mapped.json"
check "mapped and read() give identical JSON" cmp -s "$work/mapped.json" "$work/dir.json"

# Standard input, and --as.
log=$(ls "$failing"/LogFiles/*_default_docker.log | head -1)
run 1 "$APPDIAG" analyze - <"$log"
check "stdin diagnosed" grep -q "module-not-found" "$work/out"
cp "$log" "$work/mystery.txt"
run 1 "$APPDIAG" analyze --as app="$work/mystery.txt" "$work/mystery.txt"

# Several single files at once: kinds recognised by name and content.
run 1 "$APPDIAG" analyze "$failing"/LogFiles/*_docker.log "$failing"/wwwroot-listing.txt --format json -o "$work/several.json"
check "several files: root cause and every file read" python3 -c "
import json,sys
d=json.load(open(sys.argv[1]))
assert d['root_cause']=='module-not-found', d['root_cause']
kinds=sorted(s['kind'] for s in d['sources'])
assert kinds==['app','listing','platform'], kinds
" "$work/several.json"

# A listing in no known shape: one line naming the file and line.
run 2 "$APPDIAG" analyze --as listing="$log" "$log" && check "bad listing named with its line" grep -qE "_default_docker.log:1: not a path" "$work/err"

# Bad input: one line naming the file, exit 2.
run 2 "$APPDIAG" analyze "$work/does-not-exist.log" && check "missing path named" one_line_error_naming does-not-exist.log
: >"$work/empty.log"
run 2 "$APPDIAG" analyze "$work/empty.log" && check "empty file named" one_line_error_naming empty.log
head -c 300 "$work/bundle.zip" >"$work/truncated.zip"
run 2 "$APPDIAG" analyze "$work/truncated.zip" && check "truncated zip named" one_line_error_naming truncated.zip
printf 'PK\003\004 this is not really a zip' >"$work/corrupt.zip"
run 2 "$APPDIAG" analyze "$work/corrupt.zip" && check "corrupt zip named" one_line_error_naming corrupt.zip
mkdir -p "$work/rules-bad" && printf '{ "id": "x", oops }\n' >"$work/rules-bad/x.json"
run 2 "$APPDIAG" rules check "$work/rules-bad" && check "bad rule file named with line and column" grep -q "x.json:1:" "$work/err"
run 0 "$APPDIAG" rules check

# Scaffolding a new rule gives files that pass the checks and a sample that fires the rule.
run 0 "$APPDIAG" rules new my-new-failure --rules-dir "$work/myrules" --samples-dir "$work/mysamples"
check "scaffold wrote the rule" test -f "$work/myrules/my-new-failure.json"
run 0 "$APPDIAG" rules check "$work/myrules"
run 2 "$APPDIAG" rules new my-new-failure --rules-dir "$work/myrules" --samples-dir "$work/mysamples"
run 2 "$APPDIAG" rules new Not_Kebab --rules-dir "$work/myrules" --samples-dir "$work/mysamples"

# Tolerated input: CRLF, NUL bytes, invalid UTF-8 and a 50 MB line keep exact line numbers.
{
  printf 'first line\r\n'
  printf 'nul \000 byte\r\n'
  printf 'bad utf8 \377\376\r\n'
  head -c 50000000 /dev/zero | tr '\0' 'x'; printf '\n'
  printf '2024-03-15T10:25:40.000000000Z ModuleNotFoundError: No module named '"'"'flask'"'"'\r\n'
} >"$work/odd.log"
run 1 "$APPDIAG" analyze --as app="$work/odd.log" "$work/odd.log" --format json -o "$work/odd.json"
check "evidence line after a 50 MB line is exact" python3 -c "
import json,sys
d=json.load(open(sys.argv[1]))
ev=[e for f in d['findings'] if f['id']=='module-not-found' for e in f['evidence']]
assert ev and ev[0]['line']==5, ev
src=d['sources'][0]
assert src['lines']==5 and src['truncated_lines']==1, src
" "$work/odd.json"

# Untrusted text never reaches the terminal raw.
printf '2024-03-15T10:25:40.000000000Z ModuleNotFoundError: No module named '"'"'evil\033[31mred'"'"'\n' >"$work/esc.log"
run 1 "$APPDIAG" analyze --as app="$work/esc.log" "$work/esc.log"
check "escape sequence shown escaped" grep -qF 'evil\x1b[31mred' "$work/out"
check "no raw ESC byte in text output" bash -c "! grep -q $'\033' '$work/out'"

# A closed pipe ends quietly; Ctrl-C ends with 130 and leaves no partial output file.
"$APPDIAG" analyze "$failing" 2>"$work/pipe.err" | head -1 >/dev/null
check "closed pipe: nothing on stderr" test ! -s "$work/pipe.err"
# stdin that stays open: the run is certainly in progress when interrupted.
mkfifo "$work/fifo"
timeout -s KILL 120 "$APPDIAG" analyze - --format json -o "$work/interrupted.json" <"$work/fifo" &
pid=$!
exec 3>"$work/fifo"
printf 'INFO  - Starting container for site\n' >&3
# Ready when a thread blocks reading the pipe: its handlers are installed by then.
# (wchan is pipe_read, pipe_wait or anon_pipe_read depending on the kernel).
blocked_in_read() { grep -qsE 'pipe_(read|wait)$' /proc/"$1"/task/*/wchan; }
app_pid=
for _ in $(seq 1 600); do
  app_pid=$(pgrep -P "$pid" -x appdiag) && blocked_in_read "$app_pid" && break
  sleep 0.1
done
kill -INT "${app_pid:-$pid}"
wait "$pid"
rc=$?
check "interrupt exits 130 (got $rc)" test "$rc" = 130
check "no partial output after interrupt" bash -c "! ls -A '$work' | grep -q 'interrupted.json'"
exec 3>&-

finish
