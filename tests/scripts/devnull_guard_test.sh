#!/usr/bin/env bash
# The device guard ctest runs around the suite (devnull_guard.sh) can fail: on
# a null device of our own (mknod in the scratch folder, never the real
# /dev/null) it passes while the device is untouched, and fails once the
# device was replaced by a regular file, by another device, or removed.
source "$(dirname "$0")/common.sh"
[ "$(id -u)" = 0 ] || { echo "skipped: mknod needs root"; exit 77; }
guard=$APPDIAG_SOURCE_DIR/tests/scripts/devnull_guard.sh
dev=$work/null state=$work/null.stat

fresh() { rm -f "$dev"; mknod "$dev" c 1 3; run 0 bash "$guard" record "$dev" "$state"; }
fresh
run 0 bash "$guard" check "$dev" "$state"
check "an untouched device passes" grep -q 'unchanged: character special file 1:3' "$work/out"
echo data >>"$dev"  # written to in place, as appdiag does: still the same device
run 0 bash "$guard" check "$dev" "$state"

# What a rename over the device leaves: a regular file holding a report.
rm -f "$dev"; echo '{"report": 1}' >"$dev"
run 1 bash "$guard" check "$dev" "$state"
check "a replaced device is named with its old and new type" \
  grep -q "changed while the tests ran: was 'character special file 1:3', now 'regular file" "$work/err"

fresh
rm -f "$dev"; mknod "$dev" c 1 5  # /dev/zero's numbers
run 1 bash "$guard" check "$dev" "$state"
check "another device's numbers are a change" grep -q "now 'character special file 1:5'" "$work/err"

fresh
rm -f "$dev"
run 1 bash "$guard" check "$dev" "$state"
check "a removed device is a failure" grep -q "cannot stat $dev" "$work/err"

# Nothing recorded, or a device that is already a regular file, fails too.
mknod "$dev" c 1 3
run 1 bash "$guard" check "$dev" "$work/never-recorded"
rm -f "$dev"; : >"$dev"
run 1 bash "$guard" record "$dev" "$state"
check "recording a device that is not one fails" grep -q "is not a character device before the tests" "$work/err"
finish
