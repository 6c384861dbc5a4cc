#!/usr/bin/env bash
# Every format names the app, the inputs, the time range the logs cover, when
# the report was generated and the tool's version (issue 15, item 7); and
# every format lists an input whose kind was only guessed and one that could
# not be read (item 5), the short text report included.
source "$(dirname "$0")/common.sh"
formats=(text json markdown html sarif junit github)

printf 'just words\nnothing any rule knows\n' >"$work/mystery.txt"
printf 'not text' | gzip -c >"$work/old.log.gz"
version=$("$APPDIAG" --version | grep -o '[0-9][0-9.]*[0-9]' | head -1)
check "tool version known" test -n "$version"
args=()
for f in "${formats[@]}"; do args+=(--format "$f=$work/report.$f"); done
run 0 "$APPDIAG" analyze --fail-on never "${args[@]}" "$failing" "$work/mystery.txt" "$work/old.log.gz"
run 0 "$APPDIAG" analyze --fail-on never --verbose "$failing" "$work/mystery.txt" "$work/old.log.gz"
cp "$work/out" "$work/report.verbose"

# What the text-shaped formats show, as text (HTML and XML escape none of these characters).
for f in text verbose markdown html junit github; do
  r=$work/report.$f
  check "$f: app" grep -qF "woodgrove-web" "$r"
  check "$f: inputs" bash -c 'grep -qF "$1" "$2" && grep -qF "$3" "$2"' _ "$failing" "$r" "$work/mystery.txt"
  check "$f: time range" grep -qF "2024-03-15 10:20:51 UTC to " "$r"
  check "$f: generated" grep -qF "2023-11-14 22:13:20 UTC" "$r"
  check "$f: tool version" grep -qF "appdiag $version" "$r"
  check "$f: guessed kind listed" grep -qF "mystery.txt: kind not recognised, read as an app log" "$r"
  check "$f: unreadable input listed" grep -qF "old.log.gz: gzip-compressed data, not text" "$r"
done
check "github: one report notice" test "$(grep -c '^::notice title=appdiag report::App: woodgrove-web; ' "$work/report.github")" = 1
check "github: could not read is a warning" grep -q '^::warning title=appdiag could not read::.*old.log.gz' "$work/report.github"
check "github: notes are one notice" test "$(grep -c '^::notice title=appdiag notes::' "$work/report.github")" = 1
check "junit: notes in the suite's system-out" python3 - "$work/report.junit" <<'PY'
import sys, xml.etree.ElementTree as ET
suite = ET.parse(sys.argv[1]).getroot().find("testsuite")
out = suite.find("system-out").text
assert "Note: " in out and "mystery.txt: kind not recognised" in out and "Could not read: " in out, out
props = {p.get("name"): p.get("value") for p in suite.find("properties")}
assert props["App"] == "woodgrove-web" and props["Generated"] == "2023-11-14 22:13:20 UTC", props
PY

check "json: header fields" python3 - "$work/report.json" "$failing" "$version" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); h = d["report"]
assert h["app"] == "woodgrove-web" and sys.argv[2] in h["inputs"], h
assert h["from_ms"] == 1710498051000 or str(h["from_ms"]).startswith("1710498051"), h["from_ms"]
assert h["to_ms"] >= h["from_ms"] and h["generated"] == "2023-11-14 22:13:20 UTC", h
assert d["tool"]["version"] == sys.argv[3], d["tool"]
assert any("mystery.txt: kind not recognised" in n for n in d["notes"]), d["notes"]
assert any("old.log.gz: gzip-compressed" in u for u in d["unreadable"]), d["unreadable"]
PY
check "sarif: header fields and notifications" python3 - "$work/report.sarif" "$failing" "$version" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
h = run["properties"]["report"]
assert h["App"] == "woodgrove-web" and sys.argv[2] in h["Inputs"], h
assert h["Logs cover"].startswith("2024-03-15 10:20:51 UTC to ") and h["Generated"] == "2023-11-14 22:13:20 UTC", h
assert run["tool"]["driver"]["version"] == sys.argv[3] and h["Tool"] == "appdiag " + sys.argv[3], h
texts = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
assert any("mystery.txt: kind not recognised" in t for t in texts), texts
assert any(t.startswith("Could not read: ") and "old.log.gz" in t for t in texts), texts
PY

# The short report of a Node.js app's log still says it is not a Python app.
printf '%s\n' '2024-03-15T10:25:30.000Z INFO  - docker run -d --expose=8080 --name contoso_0_1 -e PORT=8080 mcr.microsoft.com/appsvc/node:18-lts_20240207.3.tuxprod' \
  '2024-03-15T10:25:40.000Z ERROR - Container contoso_0_1 for site contoso has exited, failing site start' >"$work/node_docker.log"
run 0 "$APPDIAG" analyze --fail-on never "$work/node_docker.log"
check "short report: the not-a-Python-app note" grep -q '^Note: .*Node.js app, not a Python app' "$work/out"
check "short report: that note once" test "$(grep -c 'not a Python app' "$work/out")" = 1
run 0 "$APPDIAG" analyze --fail-on never "$healthy"
check "short report: no such note for a Python app" bash -c '! grep -q "not a Python app" "$1"' _ "$work/out"
finish
