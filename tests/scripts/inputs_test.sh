#!/usr/bin/env bash
# Inputs that can be read only once — a pipe, a FIFO, a process substitution
# <(...) — are read exactly once and give the same lines, line numbers and
# findings as the same bytes in a regular file (kind sniffed on the head
# already read, which is then replayed).
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

finish
