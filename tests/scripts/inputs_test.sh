#!/usr/bin/env bash
# Inputs that can be read only once — a pipe, a FIFO, a process substitution
# <(...) — are read exactly once and give the same lines, line numbers and
# findings as the same bytes in a regular file (kind sniffed on the head
# already read, which is then replayed). Encodings, files that are not text,
# unreadable inputs, Kudu's deployment JSON and other stacks' logs are read
# or refused the way a user would expect.
source "$(dirname "$0")/common.sh"

log=$(ls "$failing"/LogFiles/*_default_docker.log | head -1)
cp "$log" "$work/app.log"
# The report of one input, its name replaced, so that reports of different paths compare.
report() {  # report NAME INPUT (stdin passed through; INPUT - for piped stdin, given as no source at all)
  local name=$1 input=$2
  if [ "$input" = - ]; then set --; else set -- "$input"; fi
  "$APPDIAG" analyze --fail-on never --format json "$@" >"$work/$name.raw"
  python3 - "$work/$name.raw" "$input" >"$work/$name.json" <<'PY'
import json, re, sys
text, name = open(sys.argv[1]).read(), sys.argv[2]
if name == "-": text = re.sub(r'(?<=["=])-(?=[":)])', "INPUT", text)
else: text = text.replace(json.dumps(name)[1:-1], "INPUT")
d = json.loads(text)
d.pop("generated", None)
print(json.dumps(d, sort_keys=True))
PY
}
lines_of() { python3 -c "import json,sys; print(sum(s['lines'] for s in json.load(open(sys.argv[1]))['sources']))" "$work/$1.raw"; }

report file "$work/app.log"
report subst <(cat "$work/app.log")
check "process substitution: same report as the file" cmp -s "$work/file.json" "$work/subst.json"
check "process substitution: every line read" test "$(lines_of subst)" = "$(wc -l <"$work/app.log")"

mkfifo "$work/fifo"
cat "$work/app.log" >"$work/fifo" &
report fifo "$work/fifo"
wait
check "FIFO: same report as the file" cmp -s "$work/file.json" "$work/fifo.json"

cat "$work/app.log" | report pipe -
check "piped without -: same report as the file" cmp -s "$work/file.json" "$work/pipe.json"

# 10 MB through a pipe: past the 64 KiB sniffed head, every line counted,
# and the line numbers of a finding at the end are exact.
python3 - "$work/big.log" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(200000):
        f.write("2024-01-01T00:00:00.000Z INFO request %07d served in 3 ms ok\n" % i)
    f.write("ModuleNotFoundError: No module named 'flask'\n")
PY
report bigfile "$work/big.log"
report bigsubst <(cat "$work/big.log")
check "10 MB pipe: same report as the file" cmp -s "$work/bigfile.json" "$work/bigsubst.json"
check "10 MB pipe: every line read" test "$(lines_of bigsubst)" = 200001
check "10 MB pipe: the finding's line number" python3 -c "
import json,sys
d=json.load(open(sys.argv[1]))
assert d['findings'][0]['evidence'][-1]['line']==200001, d['findings'][0]['evidence']" "$work/bigsubst.raw"

# A listing through a pipe is a listing (it was '18446744073709551615 bytes is too large').
report listfile "$failing/wwwroot-listing.txt"
report listsubst <(cat "$failing/wwwroot-listing.txt")
check "listing through a pipe: same report as the file" cmp -s "$work/listfile.json" "$work/listsubst.json"
check "listing through a pipe: read as a listing" grep -q '"kind": *"listing"' "$work/listsubst.raw"

# A build log saved by Windows PowerShell 5.1 (`>` writes UTF-16LE with a BOM, CRLF) fails the gate.
build_log=$(ls "$samples"/build-failed-pip-psycopg2/deployments/*/log.log)
{ printf '\xff\xfe'; sed 's/$/\r/' "$build_log" | iconv -f UTF-8 -t UTF-16LE; } >"$work/build-utf16.log"
"$APPDIAG" scan <"$work/build-utf16.log" >"$work/scan16.out" 2>&1
check "UTF-16LE build log on stdin fails scan (exit 1)" test $? -eq 1
check "UTF-16LE: scan names the build failure" grep -q "pip-build-tools-missing\|build-failed" "$work/scan16.out"
"$APPDIAG" analyze --fail-on never --format json "$work/build-utf16.log" >"$work/utf16.json"
"$APPDIAG" analyze --fail-on never --format json --as deploy="$build_log" >"$work/utf8.json"
check "UTF-16LE: same root cause and line numbers as the UTF-8 file" python3 -c "
import json,sys
a,b=(json.load(open(p)) for p in sys.argv[1:3])
lines=lambda d:[(f['id'],[e['line'] for e in f['evidence']]) for f in d['findings']]
assert lines(a)==lines(b) and lines(a), (lines(a),lines(b))" "$work/utf16.json" "$work/utf8.json"
{ printf '\xef\xbb\xbf'; cat "$build_log"; } >"$work/build-bom.log"
"$APPDIAG" scan <"$work/build-bom.log" >"$null_dev" 2>&1
check "UTF-8 with BOM fails scan too" test $? -eq 1

# A file that is not text is never matched: alone it is an input error, next to others it is listed.
gzip -c "$build_log" >"$work/build.log.gz"
"$APPDIAG" analyze "$work/build.log.gz" >"$null_dev" 2>"$work/gz.err"
check "gzip alone: exit 2" test $? -eq 2
check "gzip alone: says why" grep -q "build.log.gz: gzip-compressed data, not text" "$work/gz.err"
"$APPDIAG" analyze --fail-on never --format json "$work/build.log.gz" "$work/app.log" >"$work/gz.json"
check "gzip next to a log: listed under could not read" python3 -c "
import json,sys
d=json.load(open(sys.argv[1]))
assert any('gzip-compressed data, not text' in u for u in d['unreadable']), d['unreadable']
assert [s['name'] for s in d['sources']]==[sys.argv[2]], d['sources']" "$work/gz.json" "$work/app.log"
printf '' >"$work/empty.log"
healthy_log=$(ls "$healthy"/LogFiles/*_default_docker.log | head -1)
"$APPDIAG" scan "$work/empty.log" "$healthy_log" >"$null_dev" 2>"$work/unread.err"
check "scan: an unreadable input fails the gate" test $? -eq 1
check "scan: says which input was not read" grep -q "nothing could be read from $work/empty.log" "$work/unread.err"
"$APPDIAG" scan --allow-unreadable "$work/empty.log" "$healthy_log" >"$null_dev" 2>"$work/allow.err"
check "scan --allow-unreadable: a healthy log passes" test $? -eq 0
"$APPDIAG" scan "$work/empty.log" >"$null_dev" 2>&1
check "scan: nothing readable at all is exit 2" test $? -eq 2

# Kudu's deployment JSON is a deploy log; the report names the build output URL to fetch.
"$APPDIAG" analyze --format json --fail-on never "$samples/build-failed-deployment-json/az-webapp-log-deployment-show.json" >"$work/deployjson.json"
check "deployment JSON: read as deploy, error entries as error lines, details URL named" python3 -c "
import json,sys
d=json.load(open(sys.argv[1]))
assert d['sources'][0]['kind']=='deploy', d['sources']
assert any('api/deployments/b6f3a2c19e0d4f5a8c7b6e5d4c3b2a10/log/9e7d5c3b' in n for n in d['notes']), d['notes']
ev=[e['where'] for e in d['timeline']['events'] if e['where']['line']==34]
assert ev and ev[0]['text'].startswith('Deployment Failed.') and '[ERROR] 2025-05-20T09:14:19' in ev[0]['text'], ev" "$work/deployjson.json"

# --as deploy=FILE and --as deploy=- read the same JSON as the deploy log, entry times and types kept;
# an Oryx log given as --as deploy=- (its first line "[..." too) stays a streamed text log.
deploy_json="$samples/build-failed-deployment-json/az-webapp-log-deployment-show.json"
"$APPDIAG" analyze --format json --fail-on never --as deploy="$deploy_json" >"$work/deployas.json"
"$APPDIAG" analyze --format json --fail-on never --as deploy=- <"$deploy_json" >"$work/deploystdin.json"
for f in deployas deploystdin; do
  check "--as deploy (${f#deploy}): deployment JSON read with entry times and types" python3 -c "
import json,sys
d=json.load(open(sys.argv[1]))
assert [s['kind'] for s in d['sources']]==['deploy'], d['sources']
assert d['findings'] and d['findings'][0]['id']=='build-failed', [f['id'] for f in d['findings']]
ev=[e['where'] for e in d['timeline']['events'] if e['where']['line']==34]
assert ev and ev[0]['text'].startswith('Deployment Failed.') and '[ERROR] 2025-05-20T09:14:19' in ev[0]['text'], ev" "$work/$f.json"
done
printf '[09:14:10+0000] Collecting psycopg2==2.9.9\nerror: subprocess-exited-with-error\n' >"$work/oryx.log"
"$APPDIAG" analyze --format json --fail-on never --as deploy=- <"$work/oryx.log" >"$work/oryxstdin.json"
check "--as deploy=- with an Oryx text log: read as text lines" python3 -c "
import json,sys
d=json.load(open(sys.argv[1]))
assert [(s['kind'],s['lines']) for s in d['sources']]==[('deploy',2)], d['sources']" "$work/oryxstdin.json"

# `tree -L 1` (recognised by content) shows folders but never inside them: the startup
# prediction says so instead of predicting the default site; `tree -L 2` shows config/wsgi.py.
printf '%s\n' '.' '├── antenv' '├── config' '├── manage.py' '├── requirements.txt' '└── static' '' \
  '3 directories, 2 files' >"$work/tree-L1.txt"
printf '%s\n' '.' '|-- config' '|   |-- settings.py' '|   `-- wsgi.py' '|-- manage.py' '`-- requirements.txt' '' \
  '1 directory, 4 files' >"$work/tree-L2.txt"
for depth in 1 2; do
  "$APPDIAG" analyze --format json --fail-on never "$work/tree-L$depth.txt" >"$work/tree$depth.json"
done
check "tree -L 1: read as a listing; no default-site prediction" python3 -c "
import json,sys
d=json.load(open(sys.argv[1]))
assert [s['kind'] for s in d['sources']]==['listing'], d['sources']
p=d['startup']
assert p['mode']!='default' and any('shows folders (config, static) but nothing inside them' in l for l in p['path']), p" "$work/tree1.json"
check "tree -L 2 (ASCII): Django predicted from config/wsgi.py" python3 -c "
import json,sys
p=json.load(open(sys.argv[1]))['startup']
assert p['mode']=='django' and p['module']=='config.wsgi', p" "$work/tree2.json"

# A Node.js app's logs get a note saying so.
printf '%s\n' '2024-03-15T10:25:30.000Z INFO  - docker run -d --expose=8080 --name contoso_0_1 -e PORT=8080 mcr.microsoft.com/appsvc/node:18-lts_20240207.3.tuxprod' \
  '2024-03-15T10:25:40.000Z ERROR - Container contoso_0_1 for site contoso has exited, failing site start' >"$work/node_docker.log"
"$APPDIAG" analyze --fail-on never --format json "$work/node_docker.log" >"$work/node.json"
check "Node.js app: a note says it is not a Python app" python3 -c "
import json,sys
d=json.load(open(sys.argv[1]))
assert any('Node.js app, not a Python app' in n for n in d['notes']), d['notes']" "$work/node.json"
"$APPDIAG" analyze --fail-on never --format json "$healthy" >"$work/py.json"
check "Python app: no such note" python3 -c "
import json,sys
d=json.load(open(sys.argv[1]))
assert not any('not a Python app' in n for n in d['notes']), d['notes']" "$work/py.json"

finish
