#!/usr/bin/env bash
# Hostile inputs from issue 17, each built by a generator here: cost stays
# linear, memory bounded, and every cut is named in the report.
source "$(dirname "$0")/common.sh"
[ -x /usr/bin/time ] || { echo "SKIP: /usr/bin/time (GNU time) is needed for the memory checks"; exit 77; }
# Budgets are for a normal build; under ASan (shadow memory, quarantine) the same
# runs take several times more, so the bound there only catches the old blow-ups (GBs).
limit_kb=65536
grep -qs 'APPDIAG_SANITIZE:BOOL=ON' "$APPDIAG_BUILD_DIR/CMakeCache.txt" && limit_kb=$((512 * 1024))
limit="$((limit_kb / 1024)) MiB"
peak_kb() { /usr/bin/time -f %M -o "$work/rss" "$@" >"$work/out" 2>"$work/err"; echo $? >"$work/rc"; cat "$work/rss" | tail -1; }

# Item 2: a listing whose parent folders, stored one string each, cost depth².
python3 - "$work" <<'PY'
import sys, zipfile
work = sys.argv[1]
deep = "-rw-r--r-- 1 root root 10 Mar 15 10:21 " + "a/" * 400000 + "x.py\n"
with zipfile.ZipFile(f"{work}/deep.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("wwwroot-listing.txt", "-rw-r--r-- 1 root root 10 Mar 15 10:21 app.py\n" + deep)
    z.writestr("LogFiles/2024_03_15_lw1_default_docker.log", "2024-03-15T10:21:00Z booting\n")
# Many distinct paths 63 folders deep, each folder name 60 bytes: 1.6 MB of text.
name = "b" * 60
with open(f"{work}/paths-listing.txt", "w") as f:
    for i in range(420):
        f.write(f"d{i}/" + "/".join([name] * 62) + "/x.py\n")
PY
kb=$(peak_kb "$APPDIAG" analyze "$work/deep.zip" --format json)
check "deep listing zip: peak RSS ${kb} KB under $limit" test "$kb" -lt "$limit_kb"
check "deep listing zip: analysed ($(cat "$work/rc"))" test "$(cat "$work/rc")" -le 1
check "deep listing zip: the cut path is named in the notes" grep -q 'listing cut: 1 paths deeper than 64 folders left out' "$work/out"
kb=$(peak_kb "$APPDIAG" analyze "$work/paths-listing.txt" --format json)
check "1.6 MB path-per-line listing: peak RSS ${kb} KB under $limit" test "$kb" -lt "$limit_kb"
check "path-per-line listing: the cut entries are named" grep -q 'entries past the limit of' "$work/out"

# Item 3: long lines that many patterns match were copied once per pattern
# (40 kept matches each): 100 patterns x 100 lines of 60 KB.
python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
os.makedirs(f"{work}/pack")
for i in range(100):
    rule = {"id": f"many-{i:03d}", "title": f"Pattern {i}", "summary": "A line many patterns match.",
            "severity": "warning", "confidence": "low", "category": "runtime",
            "when": {"log": f"BOOM{i % 10}\\b|BOOM ALL(?P<n{i}>)", "why": "test"}, "remediation": ["none"]}
    json.dump(rule, open(f"{work}/pack/many-{i:03d}.json", "w"))
with open(f"{work}/wide_default_docker.log", "w") as f:
    for n in range(100):
        f.write(f"2024-03-15T10:21:00Z BOOM ALL {n} " + "x" * 60000 + "\n")
PY
kb=$(peak_kb "$APPDIAG" analyze --rules "$work/pack" "$work/wide_default_docker.log")
check "100 patterns x 100 wide lines: analysed ($(cat "$work/rc"))" test "$(cat "$work/rc")" -le 1
check "100 patterns x 100 wide lines: peak RSS ${kb} KB under $limit" test "$kb" -lt "$limit_kb"

# Item 10: a finding every start attempt shows is seen in all of them, not
# in the 40 whose lines evidence keeps.
for i in $(seq 600); do
  echo "2024-03-15T10:21:39Z A P P   S E R V I C E   O N   L I N U X"
  echo "2024-03-15T10:21:47Z ModuleNotFoundError: No module named 'dotenv'"
done >"$work/600_default_docker.log"
"$APPDIAG" analyze "$work/600_default_docker.log" >"$work/600.txt"
check "600 attempts: seen in 600 of 600" grep -q 'Seen in 600 of 600 start attempts' "$work/600.txt"

# Item 10: a zip entry whose CRC does not match its bytes (checked by libzip
# when the entry's last byte is read). Its lines were read and analysed: the
# report counts them, says a read error followed, and names the entry.
python3 - "$work" <<'PY'
import struct, sys, zipfile, zlib
work = sys.argv[1]
text = "2024-03-15T10:24:25.000000000Z ModuleNotFoundError: No module named 'dotenv'\n"
text += "".join(f"2024-03-15T10:21:{i % 60:02d}.000Z INFO line {i}\n" for i in range(2000))
with zipfile.ZipFile(f"{work}/crc.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("LogFiles/2024_03_15_lw1_default_docker.log", text)
    z.writestr("LogFiles/2024_03_15_lw1_docker.log", "2024-03-15T10:21:00Z booting\n")
data = open(f"{work}/crc.zip", "rb").read()
good = struct.pack("<I", zlib.crc32(text.encode()))
assert data.count(good) == 2  # the local header's and the central directory's copy
open(f"{work}/crc.zip", "wb").write(data.replace(good, struct.pack("<I", zlib.crc32(text.encode()) ^ 0xDEADBEEF)))
PY
check "bad CRC: python's zipfile sees the damage" python3 -c "import sys, zipfile; sys.exit(zipfile.ZipFile(sys.argv[1]).testzip() is None)" "$work/crc.zip"
"$APPDIAG" analyze "$work/crc.zip" --verbose >"$work/crc.txt"
check "bad CRC: exit 1, the evidence read before the error counts" test $? -eq 1
check "bad CRC: the lines read, then the read error" \
  grep -q 'default_docker.log  2001 lines, then a read error: .*crc.zip!LogFiles/2024_03_15_lw1_default_docker.log: zip entry is corrupt (CRC error)' "$work/crc.txt"
check "bad CRC: could not read names the entry once and how far it got" \
  grep -qxF "Could not read: $work/crc.zip!LogFiles/2024_03_15_lw1_default_docker.log: zip entry is corrupt (CRC error), after 2001 lines (those were analysed)" "$work/crc.txt"
check "bad CRC: its evidence is shown" grep -q 'ROOT CAUSE \[error\] module-not-found' "$work/crc.txt"
"$APPDIAG" analyze "$work/crc.zip" --format json >"$work/crc.json"
check "bad CRC: JSON counts the lines read and keeps the error" python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
s = {x['name']: x for x in d['sources']}
bad, good = s['LogFiles/2024_03_15_lw1_default_docker.log'], s['LogFiles/2024_03_15_lw1_docker.log']
assert bad['lines'] == 2001 and 'CRC error' in bad['error'], bad
assert good['lines'] == 1 and 'error' not in good, good
assert any('after 2001 lines' in u for u in d['unreadable']), d['unreadable']" "$work/crc.json"

# Item 8: whole reads. A log-tail capture file is split in one streamed pass
# and each part re-read from the file: memory is not a multiple of its size.
python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
hdr = "/home/LogFiles/2024_03_15_lw1_{0}.log  (https://c.scm.azurewebsites.net/api/vfs/LogFiles/2024_03_15_lw1_{0}.log)\n"
block = "".join(f"2024-03-15T10:21:{i % 60:02d}.000Z [2024-03-15 10:21:00 +0000] [7] [INFO] request {i} handled\n" for i in range(2000))
with open(f"{work}/capture.txt", "w") as f:
    f.write("Starting Log Tail -n 10 of existing logs ----\n")
    for n in range(600):  # about 100 MB, two files interleaved
        f.write(hdr.format("default_docker" if n % 2 else "docker"))
        f.write(block)
PY
capture_lines=$(wc -l <"$work/capture.txt")
kb=$(peak_kb "$APPDIAG" analyze "$work/capture.txt" --format json)
check "100 MB capture file: analysed ($(cat "$work/rc"))" test "$(cat "$work/rc")" -le 1
check "100 MB capture file: peak RSS ${kb} KB under $limit" test "$kb" -lt "$limit_kb"
read_lines=$(python3 -c 'import json,sys; print(sum(s["lines"] for s in json.load(open(sys.argv[1]))["sources"]))' "$work/out")
check "100 MB capture file: every line but framing and headers read ($read_lines of $capture_lines)" \
  test "$read_lines" -eq $((capture_lines - 1 - 600))

# Endless input on a pipe stops, in bounded memory: a capture is spooled to an
# unlinked file in $TMPDIR (up to 16 GiB, tests/scripts/log_tail_stream_test.sh),
# so it ends when the disk does: here a 100 MiB file-size limit (`ulimit -f`,
# SIGXFSZ ignored so that the write fails) stands for a full disk. And a
# listing (`yes -- '-rw-r--r-- ...' | appdiag analyze -`), held whole up to 64 MiB.
capture_budget_kb=$((limit_kb + 192 * 1024))
mkdir "$work/tmp"
kb=$(peak_kb bash -c "trap '' XFSZ; ulimit -f $((100 * 1024)); { echo 'Starting Log Tail -n 10 of existing logs ----'; yes '2024-03-15T10:21:00Z an endless live line'; } | TMPDIR='$work/tmp' '$APPDIAG' analyze -")
check "endless capture on stdin: exit 2 ($(cat "$work/rc"))" test "$(cat "$work/rc")" -eq 2
check "endless capture on stdin: the full spool is named in one line" \
  grep -qE -- "-: writing its temporary file in $work/tmp \(\\\$TMPDIR\) failed after (99|100) MiB: File too large" "$work/err"
check "endless capture on stdin: one line" test "$(wc -l <"$work/err")" -eq 1
check "endless capture on stdin: peak RSS ${kb} KB under $limit, not growing with the 100 MiB read" test "$kb" -lt "$limit_kb"
check "endless capture on stdin: the spool file is gone" test -z "$(ls -A "$work/tmp")"
kb=$(peak_kb bash -c "yes -- '-rw-r--r-- 1 root root 10 Mar 15 10:21 file.py' | '$APPDIAG' analyze -")
check "endless listing on stdin: exit 2 ($(cat "$work/rc"))" test "$(cat "$work/rc")" -eq 2
check "endless listing on stdin: the limit is named" grep -q 'more than 64 MiB' "$work/err"
check "endless listing on stdin: peak RSS ${kb} KB bounded" test "$kb" -lt "$capture_budget_kb"

finish
