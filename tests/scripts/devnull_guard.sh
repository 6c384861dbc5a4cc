#!/usr/bin/env bash
# ctest's guard of a device file (fixture "devnull" in tests/CMakeLists.txt):
#   devnull_guard.sh record DEVICE STATE   before the first test
#   devnull_guard.sh check DEVICE STATE    after the last one
# A report renamed over /dev/null as root turns the device into a regular file
# for everyone on the machine; `check` fails when the device's type or numbers
# changed while the suite ran. Not a test itself (no _test suffix).
set -uo pipefail
[ $# -eq 3 ] || { echo "usage: $0 record|check DEVICE STATE_FILE" >&2; exit 2; }
mode=$1 device=$2 state=$3
now=$(stat -c '%F %t:%T' "$device" 2>&1) || { echo "FAIL: cannot stat $device: $now" >&2; exit 1; }
case $mode in
  record)
    [[ $now == "character special file "* ]] || { echo "FAIL: $device is not a character device before the tests: $now" >&2; exit 1; }
    echo "$now" >"$state" && echo "$device: $now" ;;
  check)
    was=$(cat "$state" 2>/dev/null) || { echo "FAIL: $state: nothing recorded before the tests" >&2; exit 1; }
    [ "$now" = "$was" ] || { echo "FAIL: $device changed while the tests ran: was '$was', now '$now'" >&2; exit 1; }
    echo "$device unchanged: $now" ;;
  *) echo "usage: $0 record|check DEVICE STATE_FILE" >&2; exit 2 ;;
esac
