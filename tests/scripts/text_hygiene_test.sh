#!/usr/bin/env bash
# Text a log or a rule pack carries never acts on what shows it: invalid and
# non-character code points are shown as \xNN in every format meant for
# reading (the JUnit XML stays well-formed; JSON and SARIF stay valid UTF-8),
# a rule title's escape codes reach no terminal, and
# `scan` neutralises CI workflow commands (##vso[ anywhere, :: at a line's start).
source "$(dirname "$0")/common.sh"
formats=(text json markdown html sarif junit github)

# Bytes the bit patterns of UTF-8 admit but UTF-8 and XML do not: U+FFFE,
# U+FFFF, a surrogate, a code point above U+10FFFF, an overlong '/'.
shown_escaped() {  # shown_escaped FILE BYTES: the first byte as \xNN and no raw BYTES
  grep -qF "${2:0:4}" "$1" && ! LC_ALL=C grep -qF "$(printf "$2")" "$1"
}
for bad in '\xef\xbf\xbe' '\xef\xbf\xbf' '\xed\xa0\x80' '\xf4\x90\x80\x80' '\xe0\x80\xaf'; do
  printf "2024-03-15T10:21:47.720900317Z ModuleNotFoundError: No module named 'x$bad'\n" >"$work/bad.log"
  args=()
  for f in "${formats[@]}"; do args+=(--format "$f=$work/bad.$f"); done
  "$APPDIAG" analyze --as app="$work/bad.log" "${args[@]}"
  check "code point $bad: junit well-formed" xmllint --noout "$work/bad.junit"
  for f in text markdown html junit github; do check "code point $bad: escaped in $f" shown_escaped "$work/bad.$f" "$bad"; done
  # JSON may hold U+FFFE as it is (a code point JSON allows); never bytes that are not UTF-8.
  for f in json sarif; do check "code point $bad: $f is valid UTF-8 JSON" python3 -m json.tool "$work/bad.$f" "$work/parsed"; done
  "$APPDIAG" scan "$work/bad.log" >"$work/bad.scan"
  check "code point $bad: escaped in scan" shown_escaped "$work/bad.scan" "$bad"
done

# A rule pack (added to the built-in one) whose title carries terminal escapes
# (clear screen, red): the module-not-found rule under another id.
mkdir "$work/rules"
python3 - "$APPDIAG_SOURCE_DIR/rules/module-not-found.json" "$work/rules/hostile-title.json" <<'PY'
import json, sys
rule = json.load(open(sys.argv[1]))
rule["id"] = "hostile-title"
rule["title"] = "Missing \u001b[2J\u001b[31mmodule"
rule.pop("explains", None)
json.dump(rule, open(sys.argv[2], "w"), indent=2)
PY
log=$(ls "$failing"/LogFiles/*_default_docker.log | head -1)
args=()
for f in "${formats[@]}"; do args+=(--format "$f=$work/title.$f"); done
"$APPDIAG" analyze --rules "$work/rules" "$failing" "${args[@]}"
for f in text markdown html junit github; do
  check "rule title: no raw ESC in $f" bash -c "grep -qF 'hostile-title' '$work/title.$f' && ! grep -q \$'\\x1b' '$work/title.$f'"
done
"$APPDIAG" explain --rules "$work/rules" hostile-title "$failing" >"$work/title.explain"
check "rule title: no raw ESC in explain" bash -c "grep -qF 'Missing' '$work/title.explain' && ! grep -q \$'\\x1b' '$work/title.explain'"
"$APPDIAG" scan --fail-on never --rules "$work/rules" "$log" >"$work/title.scan"
check "rule title: no raw ESC in scan" bash -c "grep -qF 'Missing' '$work/title.scan' && ! grep -q \$'\\x1b' '$work/title.scan'"

# Workflow commands in scan's output: a log file named like a GitHub command
# starts the evidence line (after blanks, which the runner trims); a log line
# carries an Azure Pipelines one.
mkdir "$work/gh" && cd "$work/gh"
printf "2024-03-15T10:21:47.720900317Z ModuleNotFoundError: No module named 'x' ##vso[task.complete result=Succeeded]\n" \
  >"::warning title=x::pwned.log"
"$APPDIAG" scan "::warning title=x::pwned.log" >"$work/cmd.scan"
check "scan: the finding is printed" grep -qF 'module-not-found' "$work/cmd.scan"
check "scan: no line starts a GitHub command" bash -c "! grep -qE '^[[:space:]]*::' '$work/cmd.scan'"
check "scan: no Azure Pipelines command" bash -c "! grep -qF '##vso[' '$work/cmd.scan'"
finish
