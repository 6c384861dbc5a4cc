#!/usr/bin/env bash
# Hostile inputs from issue 17, each built by a generator here: cost stays
# linear, memory bounded, and every cut is named in the report.
source "$(dirname "$0")/common.sh"
[ -x /usr/bin/time ] || { echo "SKIP: /usr/bin/time (GNU time) is needed for the memory checks"; exit 77; }
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
check "deep listing zip: peak RSS ${kb} KB under 64 MiB" test "$kb" -lt 65536
check "deep listing zip: analysed ($(cat "$work/rc"))" test "$(cat "$work/rc")" -le 1
check "deep listing zip: the cut path is named in the notes" grep -q 'listing cut: 1 paths deeper than 64 folders left out' "$work/out"
kb=$(peak_kb "$APPDIAG" analyze "$work/paths-listing.txt" --format json)
check "1.6 MB path-per-line listing: peak RSS ${kb} KB under 64 MiB" test "$kb" -lt 65536
check "path-per-line listing: the cut entries are named" grep -q 'entries past the limit of' "$work/out"

finish
