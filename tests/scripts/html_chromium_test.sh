#!/usr/bin/env bash
# The HTML report in real headless Chromium: the root cause card and the
# evidence render as text, log lines carrying <script> and onerror markup
# stay text (the page title is unchanged, nothing ran), no request leaves the
# page, and a screenshot is saved in the build folder for a person to look at.
source "$(dirname "$0")/common.sh"
chromium=$(command -v chromium || command -v chromium-browser) || { echo "chromium not installed (tests/scripts/setup.sh installs it)" >&2; exit 1; }

bundle=$work/bundle
cp -r "$failing" "$bundle"
log=$(ls "$bundle"/LogFiles/*_default_docker.log | head -1)
# A line the module-not-found rule matches, carrying hostile markup after the match.
hostile="2024-03-15T10:24:25.000000000Z ModuleNotFoundError: No module named 'dotenv' <script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\"> \"><img src=http://127.0.0.1:9/x onerror=alert(1)>"
echo "$hostile" >>"$log"
"$APPDIAG" analyze "$bundle" --format html -o "$work/report.html" --format json="$work/report.json"
check "html written" test -s "$work/report.html"

browse() {  # browse ARGS... : headless Chromium on the report, nothing persisted
  timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$(mktemp -d -p "$work")" "$@" "file://$work/report.html"
}
browse --dump-dom >"$work/dom.html" 2>"$work/chromium.err"
check "chromium dumped the DOM" grep -q "</html>" "$work/dom.html"
check "title unchanged (no script ran)" grep -q "<title>appdiag: " "$work/dom.html"
check "title is not pwned" bash -c "! grep -q '<title>pwned' '$work/dom.html'"
check "no script or img element came from the log" bash -c "! grep -qiE '<(script|img)[ >]' '$work/dom.html'"
check "hostile markup shows as text" grep -qF "&lt;script&gt;document.title='pwned'&lt;/script&gt;" "$work/dom.html"

# The rendered text, as a reader sees it.
python3 - "$work/dom.html" >"$work/text.txt" <<'PY'
import html.parser, sys
class T(html.parser.HTMLParser):
    skip = 0
    def handle_starttag(self, tag, a): self.skip += tag in ("style", "title")
    def handle_endtag(self, tag): self.skip -= tag in ("style", "title")
    def handle_data(self, data):
        if not self.skip: sys.stdout.write(data)
    def handle_startendtag(self, tag, a): pass
T().feed(open(sys.argv[1]).read())
PY
root_title=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(next(f['title'] for f in d['findings'] if f['id']==d['root_cause']))" "$work/report.json")
check "root cause card rendered" grep -qF "Root cause: $root_title" "$work/text.txt"
check "severity badge rendered" grep -q "errorRoot cause" "$work/text.txt"
check "remediation rendered" grep -q "What to do" "$work/text.txt"
check "evidence with file:line" grep -qE "_default_docker.log:[0-9]+" "$work/text.txt"
check "hostile line shown literally" grep -qF "<script>document.title='pwned'</script><img src=x onerror=" "$work/text.txt"
check "matched part highlighted" grep -qE "<mark>[0-9T:.Z-]* ?ModuleNotFoundError: No module named 'dotenv'</mark>" "$work/dom.html"
check "timeline drawn as inline svg" grep -q "<svg" "$work/dom.html"
check "sources listed" grep -q "Sources read" "$work/text.txt"

# Nothing can load: a CSP forbids it, and no src/href outside reference links.
check "CSP meta present" grep -qF "default-src 'none'; style-src 'unsafe-inline'; img-src data:" "$work/report.html"
check "no src attributes at all" bash -c "! grep -qiE '<[a-z]+ [^>]*\bsrc=' '$work/report.html'"
check "href only on <a> links" bash -c "! grep -oiE '<[a-z]+ [^>]*href=' '$work/report.html' | grep -viq '^<a '"
check "no script element" bash -c "! grep -qi '<script' '$work/report.html'"

# Network: Chromium's log shows no request for the hostile URLs.
browse --enable-logging=stderr --v=1 --dump-dom >/dev/null 2>"$work/net.err"
check "no request to the log's URLs" bash -c "! grep -E '127\.0\.0\.1:9|/x\b' '$work/net.err' | grep -qiE 'request|url_request|navigat'"

shots=$APPDIAG_BUILD_DIR/reports
mkdir -p "$shots"
browse --screenshot="$shots/report.png" --window-size=1280,2000 >/dev/null 2>&1
check "screenshot saved ($shots/report.png)" test -s "$shots/report.png"
cp "$work/report.html" "$shots/report.html"
finish
