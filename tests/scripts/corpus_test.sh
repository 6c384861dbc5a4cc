#!/usr/bin/env bash
# The real-log corpus is well formed (every case has a public URL, a known
# text kind, files, and decisive strings that occur in its files; labels are
# rule ids of the pack or null) and appdiag reads every case without an input
# error. Accuracy itself is a figure (tests/bench/accuracy.py), not a test.
source "$(dirname "$0")/common.sh"
"$APPDIAG" rules list | cut -f1 >"$work/ids"
check "corpus well formed and read" python3 - "$APPDIAG_SOURCE_DIR/tests/corpus/cases" "$APPDIAG" "$work/ids" <<'PY'
import json, os, subprocess, sys
cases_dir, appdiag, ids_file = sys.argv[1:]
ids = set(open(ids_file).read().split())
bad = []
names = sorted(os.listdir(cases_dir))
assert len(names) >= 60, len(names)
for name in names:
    folder = os.path.join(cases_dir, name)
    case = json.load(open(os.path.join(folder, "case.json")))
    files = [os.path.join(folder, f) for f in sorted(os.listdir(folder)) if f != "case.json"]
    text = "".join(open(f, encoding="utf-8", errors="replace").read() for f in files)
    if not case.get("url", "").startswith("https://"): bad.append(f"{name}: no https url")
    if case.get("text_kind") not in {"deploy", "platform", "app", "log-tail", "mixed", "listing"}: bad.append(f"{name}: text_kind")
    if not files: bad.append(f"{name}: no files")
    label = case.get("root_cause")
    if label is not None and label not in ids: bad.append(f"{name}: label {label} is not a rule id")
    if label is not None and not case.get("decisive"): bad.append(f"{name}: no decisive lines")
    for d in case.get("decisive", []):
        if d not in text: bad.append(f"{name}: decisive string not in its files: {d!r}")
    p = subprocess.run([appdiag, "analyze", "--format", "json", *files], capture_output=True, timeout=60)
    if p.returncode not in (0, 1): bad.append(f"{name}: exit {p.returncode}: {p.stderr.decode()[:200]}")
    else: json.loads(p.stdout)
print("\n".join(bad), file=sys.stderr)
sys.exit(1 if bad else 0)
PY
finish
