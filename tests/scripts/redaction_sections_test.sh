#!/usr/bin/env bash
# Secrets in the sections beside the findings (issue 17 item 12): a timeline
# event's line, the startup prediction's command (appCommandLine) and the log
# lines it observed. With --no-redact each secret is in its section of the
# JSON report (so the check can fail); redacted, none is in any of the seven
# formats. (Unrecognised errors' first/last/example: redaction_formats_test.sh.)
source "$(dirname "$0")/common.sh"
formats=(text json markdown html sarif junit github)
bundle=$work/bundle
cp -r "$failing" "$bundle"
app_log=$(ls "$bundle"/LogFiles/*_default_docker.log | head -1)
platform_log=$(ls "$bundle"/LogFiles/*_docker.log | grep -v default_docker | head -1)
# Timeline: "container start" (platform log line 6); startup observed: the
# generated gunicorn command (app log line 145). The secret goes at the line's end.
check "line 6 starts a container" grep -q 'Starting container' <(sed -n 6p "$platform_log")
check "line 145 is the generated command" grep -q 'Generating `gunicorn` command' <(sed -n 145p "$app_log")
sed -i '6s/$/ -e APP_DB_PASSWORD=t1melineS3cretPw/' "$platform_log"
sed -i "145s/\$/ with SECRET_KEY=0bservedS3cretPw/" "$app_log"
python3 - "$bundle/siteconfig.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1]))
config["appCommandLine"] = "DB_PASSWORD=st4rtupS3cretPw gunicorn --password cl1StartupPw --bind=0.0.0.0 app:app"
json.dump(config, open(sys.argv[1], "w"))
PY
values='t1melineS3cretPw|0bservedS3cretPw|st4rtupS3cretPw|cl1StartupPw'

"$APPDIAG" analyze "$bundle" --fail-on never --no-redact --format json -o "$work/raw.json"
check "without redaction each secret is in its section" python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
timeline = [e['where']['text'] for e in d['timeline']['events']]
assert any('t1melineS3cretPw' in t for t in timeline), timeline[:6]
assert 'st4rtupS3cretPw' in d['startup']['command'] and 'cl1StartupPw' in d['startup']['command'], d['startup']['command']
observed = [l['text'] for l in d['startup']['observed']['lines']]
assert any('0bservedS3cretPw' in t for t in observed), observed" "$work/raw.json"
"$APPDIAG" analyze "$bundle" --fail-on never --no-redact --verbose >"$work/raw.txt"
check "without redaction the text report shows the startup command's secret" grep -qF st4rtupS3cretPw "$work/raw.txt"

args=()
for f in "${formats[@]}"; do args+=(--format "$f=$work/out.$f"); done
"$APPDIAG" analyze "$bundle" --fail-on never --verbose "${args[@]}"
for f in "${formats[@]}"; do
  check "no timeline or startup secret in $f" bash -c "test -s '$work/out.$f' && ! grep -qE '$values' '$work/out.$f'"
done
check "redacted, the sections are still there" python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
assert any('APP_DB_PASSWORD=' in e['where']['text'] for e in d['timeline']['events'])
assert 'gunicorn --password' in d['startup']['command'], d['startup']['command']" "$work/out.json"
finish
