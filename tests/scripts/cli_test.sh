#!/usr/bin/env bash
# The command line as a user meets it: exit codes, output files, bad input,
# zip vs unpacked bundle, untrusted text, signals and pipes.
source "$(dirname "$0")/common.sh"

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
run 2 "$APPDIAG" analyze </dev/null
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
# The report header names the input as given: the one field allowed to differ.
check "zip and folder give identical JSON" python3 -c "
import json,sys
a,b=(json.load(open(p)) for p in sys.argv[1:])
assert a['report'].pop('inputs')!=b['report'].pop('inputs')
assert a==b" "$work/zip.json" "$work/dir.json"
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

# explain goes through the same redaction as analyze (it printed secrets raw).
printf "2024-03-15T10:25:40Z ModuleNotFoundError: No module named 'flask' DB_PASSWORD=hunter2\n" >"$work/secret.log"
run 0 "$APPDIAG" explain module-not-found --as app="$work/secret.log"
check "explain redacts" bash -c "grep -qF 'DB_PASSWORD=[REDACTED]' '$work/out' && ! grep -q hunter2 '$work/out'"
run 0 "$APPDIAG" explain module-not-found --as app="$work/secret.log" --no-redact
check "explain --no-redact shows the value" grep -q hunter2 "$work/out"
run 0 "$APPDIAG" startup --as app="$work/secret.log"
check "startup redacts" bash -c "! grep -q hunter2 '$work/out'"

# --as KIND=PATH adds PATH as a source; a missing PATH is an error.
run 1 "$APPDIAG" analyze --as app="$work/secret.log"
check "--as alone reads the file" grep -q "module-not-found" "$work/out"
run 2 "$APPDIAG" analyze --as platform="$work/nosuch.txt" "$work/secret.log"
check "--as missing path named" one_line_error_naming "nosuch.txt"
run 1 "$APPDIAG" scan --as app="$work/secret.log" </dev/null
check "scan honours --as" grep -q "module-not-found" "$work/out"
run 2 "$APPDIAG" analyze --as aap="$work/secret.log"
check "--as bad kind: suggestion" grep -q "did you mean app" "$work/err"

# Piped standard input is read without -; a terminal or /dev/null is no input.
run 1 "$APPDIAG" analyze < <(cat "$work/secret.log")
check "piped stdin without -" grep -q "module-not-found" "$work/out"
run 2 "$APPDIAG" analyze </dev/null
check "no input: one line" one_line_error_naming "no input"

# -o FILE picks the format from its extension unless --format says otherwise.
for ext in json md html sarif xml txt; do
  run 1 "$APPDIAG" analyze "$failing" -o "$work/report.$ext"
done
check "-o .json is JSON" python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$work/report.json"
check "-o .md is Markdown" grep -q "^# " "$work/report.md"
check "-o .html is HTML" grep -qi "<!doctype html>" "$work/report.html"
check "-o .sarif is SARIF" grep -q '"version": *"2.1.0"' "$work/report.sarif"
check "-o .xml is JUnit" grep -q "<testsuites" "$work/report.xml"
check "-o .txt is text" grep -q "ROOT CAUSE" "$work/report.txt"
for name in report.HTM report.markdown report.log report.docx; do
  run 1 "$APPDIAG" analyze "$failing" -o "$work/$name"
  cp "$work/err" "$work/$name.err"
done
check "-o .HTM is HTML (any case)" grep -qi "<!doctype html>" "$work/report.HTM"
check "-o .markdown is Markdown" grep -q "^# " "$work/report.markdown"
check "-o .log is text, with no note" bash -c 'grep -q "ROOT CAUSE" "$1" && ! [ -s "$2" ]' _ "$work/report.log" "$work/report.log.err"
check "-o .docx is text" grep -q "ROOT CAUSE" "$work/report.docx"
check "-o .docx: a note says .docx names no format" grep -q "^appdiag: note: -o .*report.docx: .docx names no report format; writing text" "$work/report.docx.err"
run 1 "$APPDIAG" analyze "$failing" --format text -o "$work/forced.json"
check "--format wins over the extension" grep -q "ROOT CAUSE" "$work/forced.json"

# Typos get a suggestion, bad values the valid ones; every error line starts with appdiag:.
run 2 "$APPDIAG" analyse "$failing"
check "command typo" grep -q "did you mean analyze" "$work/err"
run 2 "$APPDIAG" rules lsit
check "subcommand typo" grep -q "did you mean list" "$work/err"
run 2 "$APPDIAG" analyze "$failing" --fromat json
check "option typo" grep -q "did you mean --format" "$work/err"
run 2 "$APPDIAG" analyze "$failing" --format jsno
check "format typo and the valid names" grep -q "did you mean json.*valid: text, json" "$work/err"
run 2 "$APPDIAG" explain module-not-fund "$failing"
check "rule id typo" grep -q "did you mean module-not-found" "$work/err"
run 2 "$APPDIAG" analyze "$failing" --only module-not-fund
check "--only typo" grep -q "did you mean module-not-found" "$work/err"
for args in "frobnicate" "analyze --bogus $failing" "analyze $failing --fail-on bogus" "rules show nosuch"; do
  "$APPDIAG" $args >"$work/out" 2>"$work/err"
  check "error line prefixed ($args)" bash -c "[ -s '$work/err' ] && ! grep -qv '^appdiag: ' '$work/err'"
done

# appdiag help [COMMAND]; rules show ID.
run 0 "$APPDIAG" help
check "help lists the commands" bash -c "grep -q analyze '$work/out' && grep -q fleet '$work/out'"
run 0 "$APPDIAG" help rules show
check "help of a subcommand" grep -q "Usage: appdiag rules show" "$work/out"
run 2 "$APPDIAG" help analyse
run 0 "$APPDIAG" rules show module-not-found
check "rules show: summary, conditions, remediation" bash -c "grep -q 'Fires when' '$work/out' && grep -q 'Remediation' '$work/out' && grep -q ModuleNotFoundError '$work/out'"

# --baseline says how many findings it suppressed.
run 1 "$APPDIAG" analyze "$failing" --format json -o "$work/base.json"
run 0 "$APPDIAG" analyze "$failing" --baseline "$work/base.json"
check "--baseline counts what it suppressed" grep -qE "^appdiag: --baseline: [1-9][0-9]* findings? already in the baseline" "$work/err"

# -q is one line per root cause (the default report of every sample: short_report_test).
"$APPDIAG" analyze "$samples/now-one-instance-failing" >"$work/short.txt" 2>&1
check "short report names the instances" grep -qx 'Instances: lw1sdlwk0000AB (ready), lw1sdlwk0000CD (failed); [0-9]* start attempts' "$work/short.txt"
run 1 "$APPDIAG" analyze "$failing" -q
check "-q: one line, the root cause" bash -c "[ \$(wc -l <'$work/out') = 1 ] && grep -qx 'ROOT CAUSE \[error\] module-not-found: .*' '$work/out'"
run 0 "$APPDIAG" analyze "$healthy" --quiet
check "-q healthy: one line" grep -qx 'No known failure found.' "$work/out"
run 2 "$APPDIAG" analyze "$failing" -q --verbose
# The header names the app, inputs, time range, generation time (SOURCE_DATE_EPOCH) and version.
run 1 "$APPDIAG" analyze "$failing"
check "header: app, inputs, range, generated, tool" bash -c "grep -q '^App: woodgrove-web$' '$work/out' && grep -qF 'Inputs: $failing' '$work/out' &&
  grep -q '^Logs cover: 2024-03-15 10:20:51 UTC to ' '$work/out' && grep -q '^Generated: 2023-11-14 22:13:20 UTC$' '$work/out' &&
  grep -q '^Tool: appdiag [0-9]' '$work/out'"

# --format github: one ::error per root cause, its symptoms in the message, not annotated again.
run 1 "$APPDIAG" analyze "$failing" --format github
check "github: one ::error for one root cause" test "$(grep -c '^::error ' "$work/out")" = 1
check "github: the root cause's symptoms in its message" grep -q '^::error .*title=Root cause module-not-found.*Symptoms: worker-boot-failed' "$work/out"
check "github: no symptom annotated on its own" bash -c "! grep -q 'title=worker-boot-failed' '$work/out'"
# The annotation sits on the decisive line and quotes it: the exception, not gunicorn's wrapper.
run 1 "$APPDIAG" analyze "$APPDIAG_SOURCE_DIR/samples/worker-boot-failed-keyerror-gunicorn22" --format github
check "github: the root cause's annotation is on the exception line" \
  grep -q "^::error file=[^,]*,line=120,title=Root cause app-setting-missing.*Evidence [^ ]*:120: .*KeyError: 'DATABASE_URL'" "$work/out"

# scan: a one-line verdict on stderr when nothing was found.
run 0 "$APPDIAG" scan "$healthy"
check "scan: verdict when nothing is found" grep -qE '^appdiag: no failure found in [1-9][0-9]* lines$' "$work/err"

# Files every bundle has are skipped silently, listed in JSON skipped[] only.
cp -r "$failing" "$work/routine"
mkdir -p "$work/routine/LogFiles/kudu/trace" "$work/routine/deployments/tools" "$work/routine/deployments/abc123"
echo '<trace/>' >"$work/routine/LogFiles/kudu/trace/2024-03-15T10-20-00_GET_api-deployments_200.xml"
echo 'deploy' >"$work/routine/deployments/tools/deploy.sh"
echo 'wwwroot' >"$work/routine/deployments/abc123/manifest"
echo 'what is this' >"$work/routine/notes.bin"
run 1 "$APPDIAG" analyze "$work/routine" --verbose --format json="$work/routine.json" --format text
check "routine bundle files: no note in text" bash -c "! grep -qE 'kudu/trace|deployments/tools|abc123/manifest' '$work/out'"
check "other unknown files: still noted" grep -q '^Note: skipped: notes.bin' "$work/out"
check "routine bundle files: in JSON skipped[]" python3 -c "
import json, sys; d = json.load(open(sys.argv[1]))
assert sorted(d['skipped']) == ['LogFiles/kudu/trace/2024-03-15T10-20-00_GET_api-deployments_200.xml',
                                'deployments/abc123/manifest', 'deployments/tools/deploy.sh'], d['skipped']
assert not any('kudu' in n or 'manifest' in n for n in d['notes']), d['notes']" "$work/routine.json"

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
