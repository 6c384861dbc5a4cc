#!/usr/bin/env bash
# The default text report of every sample fits on a screen and names what
# --verbose adds; --verbose is the full report. (Its own test: two runs per
# sample take minutes under ASan, and ctest runs it beside cli_test.)
source "$(dirname "$0")/common.sh"

for dir in "$samples"/*/; do
  name=$(basename "$dir")
  "$APPDIAG" analyze "$dir" --fail-on never >"$work/short.txt" 2>&1
  check "$name: default text report fits on a screen ($(wc -l <"$work/short.txt") lines)" test "$(wc -l <"$work/short.txt")" -le 40
  check "$name: default report points at --verbose" grep -qE '^[0-9]+ more sections?: --verbose \(' "$work/short.txt"
  "$APPDIAG" analyze "$dir" --fail-on never --verbose >"$work/full.txt" 2>&1
  check "$name: --verbose has the sources" grep -q '^Read [0-9]* sources\?,' "$work/full.txt"
  check "$name: --verbose is longer" test "$(wc -l <"$work/full.txt")" -gt "$(wc -l <"$work/short.txt")"
  case $name in now-*-days|now-one-instance-failing)
    check "$name: --verbose has the timeline" grep -q '^TIMELINE' "$work/full.txt";;
  esac
done

finish
