#!/usr/bin/env bash
# JUnit XML: well-formed (xmllint), one testcase per rule of the pack, one
# failure per finding at or above --fail-on, evidence in the failure text.
source "$(dirname "$0")/common.sh"

count() { xmllint --xpath "count($1)" "$2"; }
rules=$("$APPDIAG" analyze "$healthy" --format sarif --fail-on never | python3 -c "import json,sys; print(len(json.load(sys.stdin)['runs'][0]['tool']['driver']['rules']))")

for fail_on in error warning info never; do
  "$APPDIAG" analyze "$failing" --fail-on $fail_on --format junit="$work/$fail_on.xml" --format json="$work/$fail_on.json"
  check "junit well-formed ($fail_on)" xmllint --noout "$work/$fail_on.xml"
  check "one testcase per rule ($fail_on)" test "$(count //testcase "$work/$fail_on.xml")" = "$rules"
  want=$(python3 - "$work/$fail_on.json" $fail_on <<'PY'
import json, sys
order = {"info": 0, "warning": 1, "error": 2}
d = json.load(open(sys.argv[1])); level = sys.argv[2]
print(0 if level == "never" else sum(order[f["severity"]] >= order[level] for f in d["findings"]))
PY
)
  check "failures = findings at or above $fail_on ($want)" test "$(count //testcase/failure "$work/$fail_on.xml")" = "$want"
  check "suite failure attribute ($fail_on)" test "$(xmllint --xpath 'string(//testsuite/@failures)' "$work/$fail_on.xml")" = "$want"
done
check "some findings fail at --fail-on info" test "$(count //testcase/failure "$work/info.xml")" -gt 0
check "module-not-found fails with its evidence" bash -c "xmllint --xpath 'string(//testcase[@name=\"module-not-found\"]/failure)' '$work/error.xml' | grep -q \"No module named 'dotenv'\""
check "evidence names file:line" bash -c "xmllint --xpath 'string(//testcase[@name=\"module-not-found\"]/failure)' '$work/error.xml' | grep -q 'default_docker.log:[0-9]'"

"$APPDIAG" analyze "$healthy" --format junit -o "$work/healthy.xml"
check "healthy: well-formed, no failures" test "$(count //testcase/failure "$work/healthy.xml")" = 0

# Hostile log text stays well-formed XML.
printf '2024-03-15T10:21:47.720900317Z ModuleNotFoundError: No module named '"'"'x'"'"' ]]></failure><x a="&\x01\x1b[31m\n' >"$work/hostile.log"
"$APPDIAG" analyze --as app="$work/hostile.log" "$work/hostile.log" --format junit -o "$work/hostile.xml"
check "hostile text: still well-formed" xmllint --noout "$work/hostile.xml"
check "hostile text: one failure" test "$(count //testcase/failure "$work/hostile.xml")" = 1
finish
