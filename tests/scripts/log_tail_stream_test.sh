#!/usr/bin/env bash
# `az webapp log tail | appdiag analyze -` (issue 17, item 8): a capture on a
# pipe is split while it is read and spooled to an unlinked temporary file in
# $TMPDIR, so memory stays flat however long it runs; every line is read, the
# evidence cites the capture's own line numbers, and the same bytes as a file,
# a zip entry or UTF-16 give the same evidence.
source "$(dirname "$0")/common.sh"
[ -x /usr/bin/time ] || { echo "SKIP: /usr/bin/time (GNU time) is needed for the memory check"; exit 77; }
limit_kb=32768
# Under ASan (shadow memory, quarantine) the bound only catches the old blow-up (the capture held whole).
grep -qs 'APPDIAG_SANITIZE:BOOL=ON' "$APPDIAG_BUILD_DIR/CMakeCache.txt" && limit_kb=$((256 * 1024))
export TMPDIR=$work/tmp
mkdir "$TMPDIR"

python3 "$APPDIAG_SOURCE_DIR/tests/scripts/gen_log_tail.py" 300 "$work/facts.json" >"$work/capture.txt"
fact() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$work/facts.json" "$1"; }
# The lines read, and the evidence of every finding with its file named INPUT, one line each.
lines_of() { python3 -c 'import json,sys; print(sum(s["lines"] for s in json.load(open(sys.argv[1]))["sources"]))' "$1"; }
evidence_of() {  # evidence_of REPORT INPUT_NAME
  python3 - "$1" "$2" <<'PY'
import json, sys
report, name = json.load(open(sys.argv[1])), sys.argv[2]
for f in report["findings"]:
    for e in f["evidence"]:
        e = dict(e, file="INPUT" if e["file"] == name else e["file"])
        print(f["id"], json.dumps(e, sort_keys=True))
PY
}

# The 300 MB capture through a pipe.
cat "$work/capture.txt" | /usr/bin/time -f %M -o "$work/rss" "$APPDIAG" analyze --format json --fail-on never - \
  >"$work/pipe.json" 2>"$work/err"
rc=$?
kb=$(tail -1 "$work/rss")
check "300 MB capture on a pipe: analysed (exit $rc: $(head -c 300 "$work/err"))" test "$rc" -eq 0
check "300 MB capture on a pipe: every line but headers and framing read ($(lines_of "$work/pipe.json") of $(fact content_lines))" \
  test "$(lines_of "$work/pipe.json")" = "$(fact content_lines)"
planted=$(fact planted_line)
evidence_of "$work/pipe.json" - >"$work/pipe.evidence"
check "300 MB capture on a pipe: the planted error is cited at capture line $planted" \
  grep -q "\"line\": $planted, .*\"part\": \"/home/LogFiles/2024_03_15_lw1_default_docker.log\", \"text\": \"[^\"]*No module named 'dotenv'" \
  "$work/pipe.evidence"
check "300 MB capture on a pipe: peak RSS ${kb} KB under $((limit_kb / 1024)) MiB" test "$kb" -lt "$limit_kb"
check "300 MB capture on a pipe: nothing left in \$TMPDIR" test -z "$(ls -A "$TMPDIR")"

# The same bytes as a file: the same lines and the same evidence.
"$APPDIAG" analyze --format json --fail-on never "$work/capture.txt" >"$work/file.json" 2>"$work/err"
check "300 MB capture file: the same line count" test "$(lines_of "$work/file.json")" = "$(fact content_lines)"
evidence_of "$work/file.json" "$work/capture.txt" >"$work/file.evidence"
check "300 MB capture file: the same evidence as on the pipe" cmp -s "$work/pipe.evidence" "$work/file.evidence"
check "the evidence is not empty" test -s "$work/file.evidence"

# A small capture as UTF-16 and inside a zip (both spooled) cites the same lines as the UTF-8 file.
python3 "$APPDIAG_SOURCE_DIR/tests/scripts/gen_log_tail.py" 2 "$work/small.json" >"$work/small.txt"
python3 - "$work" <<'PY'
import sys, zipfile
work = sys.argv[1]
text = open(f"{work}/small.txt").read()
open(f"{work}/small16.txt", "wb").write(text.encode("utf-16"))
with zipfile.ZipFile(f"{work}/small.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("small.txt", text)
PY
"$APPDIAG" analyze --format json --fail-on never "$work/small.txt" >"$work/small.out"
evidence_of "$work/small.out" "$work/small.txt" >"$work/small.evidence"
"$APPDIAG" analyze --format json --fail-on never "$work/small16.txt" >"$work/small16.out"
evidence_of "$work/small16.out" "$work/small16.txt" >"$work/small16.evidence"
check "UTF-16 capture: the same evidence as UTF-8" cmp -s "$work/small.evidence" "$work/small16.evidence"
"$APPDIAG" analyze --format json --fail-on never "$work/small.zip" >"$work/zip.out"
evidence_of "$work/zip.out" "small.txt" >"$work/zip.evidence"
check "capture in a zip: the same evidence as the file" cmp -s "$work/small.evidence" "$work/zip.evidence"
check "small capture: the planted error is cited" grep -q "\"line\": $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["planted_line"])' "$work/small.json")," "$work/small.evidence"
check "UTF-16 and zip: nothing left in \$TMPDIR" test -z "$(ls -A "$TMPDIR")"

# While the capture is read, its spool file is open but has no name: it is
# gone however the run ends. Wait (bounded) until appdiag holds it, then look.
mkfifo "$work/fifo"
"$APPDIAG" analyze --format json --fail-on never - <"$work/fifo" >"$work/fifo.json" 2>"$work/fifo.err" &
pid=$!
exec 3>"$work/fifo"
head -c $((4 << 20)) "$work/small.txt" >&3
held=
for _ in $(seq 300); do
  held=$(ls -l "/proc/$pid/fd" 2>/dev/null | grep -F "$TMPDIR/" || true)
  [ -n "$held" ] && break
  sleep 0.1
done
check "during the run: the spool file is open in \$TMPDIR (${held:-not seen})" grep -q '(deleted)' <<<"$held"
check "during the run: \$TMPDIR shows no file" test -z "$(ls -A "$TMPDIR")"
exec 3>&-
wait "$pid"
check "FIFO capture: analysed" test -s "$work/fifo.json"

# A temporary folder that cannot be used: one line naming it, exit 2.
cat "$work/small.txt" | TMPDIR=$work/missing "$APPDIAG" analyze - >"$work/out" 2>"$work/err"
rc=$?
check "missing \$TMPDIR: exit 2 ($rc)" test "$rc" -eq 2
check "missing \$TMPDIR: one line naming the folder and why" \
  grep -q "$work/missing (\$TMPDIR) to spool it: No such file or directory" "$work/err"
check "missing \$TMPDIR: one line" test "$(wc -l <"$work/err")" -eq 1

finish
