#!/usr/bin/env bash
# Every query `appdiag rules export --format kql` writes is parsed and analysed
# by the real Kusto language service (@kusto/language-service-next, with the
# App Service table schemas), with no errors, and each regex literal decodes
# back to a log pattern of its rule (tests/kql/check_kql.js). The checker is
# shown to fail on a broken query and on a changed pattern.
source "$(dirname "$0")/common.sh"
tools=$(bash "$APPDIAG_SOURCE_DIR/tests/scripts/node_tools.sh" "$APPDIAG_BUILD_DIR/node_tools") || {
  echo "cannot install @kusto/language-service-next from npm" >&2; exit 1; }
checker() { node "$APPDIAG_SOURCE_DIR/tests/kql/check_kql.js" "$tools/node_modules" "$1" "$APPDIAG_SOURCE_DIR/rules"; }

"$APPDIAG" rules export --format kql -o "$work/kql" 2>"$work/summary"
check "export exits 0" test $? = 0
rules=$("$APPDIAG" rules list | wc -l)
files=$(ls "$work/kql" | grep -c '\.kql$')
summary=$(cat "$work/summary")
# One file per exported rule plus all-rules.kql; the summary names what was not exported.
check "summary counts every rule ($summary)" grep -q "exported $rules rules: " "$work/summary"
none=$(sed -nE 's/.* ([0-9]+) not exported.*/\1/p' "$work/summary")
check "one .kql per exported rule plus all-rules.kql ($files files)" test "$files" = $((rules - none + 1))
check "all-rules.kql reports per app which rules fired" grep -q "let lookback = " "$work/kql/all-rules.kql"
checker "$work/kql" >"$work/check.out" 2>&1
check "every query parses and its regexes round-trip" test $? = 0
tail -1 "$work/check.out"

# The checker can fail: a syntax error, and a pattern changed by bad escaping.
mkdir "$work/broken"
sed 's/| where c0/| where c0 |/' "$work/kql/module-not-found.kql" >"$work/broken/module-not-found.kql"
python3 - "$work/kql/startup-timeout.kql" "$work/broken/startup-timeout.kql" <<'PY'
import sys
text = open(sys.argv[1]).read()
open(sys.argv[2], "w").write(text.replace(r'\d+', r'\\d+', 1))  # what doubling backslashes in @"..." would do
PY
checker "$work/broken" >"$work/broken.out" 2>&1
check "checker rejects the broken queries" test $? != 0
check "syntax error reported" grep -q "^module-not-found.kql: offset" "$work/broken.out"
check "changed pattern reported" grep -q "^startup-timeout.kql: pattern missing or changed by escaping" "$work/broken.out"

"$APPDIAG" rules export --format kql --only module-not-found,startup-timeout >"$work/stdout.kql" 2>/dev/null
check "--only to stdout: both queries, headed" bash -c "grep -c '^// ==== ' '$work/stdout.kql' | grep -qx 3"
rc=0; "$APPDIAG" rules export --only no-such-rule >/dev/null 2>"$work/err" || rc=$?
check "unknown rule id: exit 2 naming it (got $rc)" bash -c "test $rc = 2 && grep -q no-such-rule '$work/err'"
rc=0; "$APPDIAG" rules export --format sigma >/dev/null 2>&1 || rc=$?
check "unsupported format: exit 2 (got $rc)" test "$rc" = 2

finish
