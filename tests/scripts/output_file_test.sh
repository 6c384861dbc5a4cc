#!/usr/bin/env bash
# -o and standard output never replace what they must not: a device node is
# written in place (never renamed over), a FIFO's reader gets the report, a
# symbolic link is written through, a full disk is an error (exit 2), a
# regular file keeps its mode and no temporary file is left. Devices are our
# own mknod copies in the scratch folder; the real /dev/null is only stat'ed.
source "$(dirname "$0")/common.sh"
[ "$(id -u)" = 0 ] || { echo "skipped: mknod needs root"; exit 77; }

devnull_before=$(stat -c '%F %t:%T' /dev/null)
kind() { stat -c '%F' "$1"; }
run() {  # run EXPECTED_RC CMD... ; stderr in $work/err
  local want=$1; shift
  "$@" 2>"$work/err"; local rc=$?
  check "'$*' exits $want (got $rc; $(head -c 200 "$work/err"))" test "$rc" = "$want"
}

mknod "$work/mynull" c 1 3
run 1 "$APPDIAG" analyze "$failing" -f json -o "$work/mynull"
check "a null device stays a character device" test "$(kind "$work/mynull")" = "character special file"

mknod "$work/myfull" c 1 7
run 2 "$APPDIAG" analyze "$failing" -o "$work/myfull"
check "a full device stays a character device" test "$(kind "$work/myfull")" = "character special file"
check "the full-disk error is one line naming the file" \
  bash -c "[ \$(wc -l <'$work/err') = 1 ] && grep -q '^appdiag: $work/myfull: No space left on device' '$work/err'"
run 2 bash -c "'$APPDIAG' analyze '$failing' >'$work/myfull'"
check "standard output on a full disk is an error" grep -q '^appdiag: standard output: No space left on device' "$work/err"

# A FIFO: the reader is started first and blocks until appdiag opens it.
mkfifo "$work/fifo"
cat "$work/fifo" >"$work/from-fifo" &
reader=$!
run 1 timeout 60 "$APPDIAG" analyze "$failing" -f json -o "$work/fifo"
wait "$reader"
check "the FIFO's reader got the whole report" python3 -c "import json,sys; assert json.load(open(sys.argv[1]))['root_cause']" "$work/from-fifo"
check "the FIFO is still a FIFO" test "$(kind "$work/fifo")" = "fifo"

# A symbolic link is written through and stays a link.
printf 'old\n' >"$work/real.json"
ln -s real.json "$work/link.json"
run 1 "$APPDIAG" analyze "$failing" -f json -o "$work/link.json"
check "the link is still a link" test -L "$work/link.json"
check "its target holds the report" grep -q '"root_cause"' "$work/real.json"
ln -s nowhere/x.json "$work/dangling.json"
run 2 "$APPDIAG" analyze "$failing" -o "$work/dangling.json"
check "a dangling link is refused and left alone" test -L "$work/dangling.json"

# A regular file keeps its mode; a folder is refused; nothing temporary is left.
printf 'old\n' >"$work/private.txt"; chmod 600 "$work/private.txt"
run 1 "$APPDIAG" analyze "$failing" -o "$work/private.txt"
check "mode kept" test "$(stat -c %a "$work/private.txt")" = 600
check "report written" grep -q "ROOT CAUSE" "$work/private.txt"
mkdir "$work/folder"
run 2 "$APPDIAG" analyze "$failing" -o "$work/folder"
check "a folder is refused naming it" grep -q "$work/folder: Is a directory" "$work/err"
check "no temporary file left" bash -c "! ls -A '$work' | grep -q appdiag-"

check "/dev/null is untouched" test "$(stat -c '%F %t:%T' /dev/null)" = "$devnull_before"
finish
