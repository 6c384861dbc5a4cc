#!/usr/bin/env bash
# SARIF: valid against the official SARIF 2.1.0 schema (vendored in
# tests/schemas, byte-identical to the one in @microsoft/sarif-multitool-linux
# 5.7.0; see tests/schemas/README.md) with ajv-cli; clean under Microsoft's
# SARIF Multitool with the rules GitHub code scanning applies on upload
# (`validate --rule-kind "Sarif;Gh"`: zero errors, zero warnings); and
# shaped as code scanning reads it: one run, the pack as driver rules, each
# finding a result pointing at its evidence, symptoms as relatedLocations.
source "$(dirname "$0")/common.sh"
tools=$(bash "$APPDIAG_SOURCE_DIR/tests/scripts/node_tools.sh" "$APPDIAG_BUILD_DIR/node_tools") || {
  echo "cannot install ajv-cli from npm" >&2; exit 1; }
ajv=$tools/node_modules/.bin/ajv
multitool=$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
schema=$APPDIAG_SOURCE_DIR/tests/schemas/sarif-2.1.0.json

# ajv-cli require()s data files whose extension it does not know, so every
# log is written as NAME.sarif.json; one ajv run checks them all (node starts once).
ajv_run() { "$ajv" validate --spec=draft2020 --strict=false -c ajv-formats -s "$schema" "$@"; }

# The validator can fail: a wrong level is rejected.
echo '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"a","level":"bogus","message":{"text":"m"}}]}]}' >"$work/bad.sarif.json"
# The Multitool can warn: a rule whose name equals its id (SARIF1001). (It
# reads a log with a result; schema errors are ajv's job: it skips them.)
mkdir "$work/negative"
python3 -c 'import json, sys; json.dump({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x", "rules": [
    {"id": "same-name", "name": "same-name", "shortDescription": {"text": "t"}}]}}, "results": [{"ruleId": "same-name",
    "ruleIndex": 0, "level": "error", "message": {"text": "m"}, "locations": [{"physicalLocation": {
    "artifactLocation": {"uri": "a.log"}, "region": {"startLine": 1}}}]}]}]}, open(sys.argv[1], "w"), indent=2)' \
  "$work/negative/same-name.sarif.json"

# Besides every sample: the golden SARIF files and what `scan` writes.
for f in "$APPDIAG_SOURCE_DIR"/tests/golden/*.sarif; do cp "$f" "$work/golden-$(basename "$f" .sarif).sarif.json"; done
"$APPDIAG" scan "$samples/module-not-found-three-attempts" --format sarif="$work/scan.sarif.json" >"$work/scan.out" 2>&1
# A run with an input whose kind was only guessed and one that could not be
# read: both are the tool's notifications in invocations[0].
printf 'just words\nnothing any rule knows\n' >"$work/mystery.txt"
printf 'not text' | gzip -c >"$work/old.log.gz"
"$APPDIAG" analyze "$samples/module-not-found-three-attempts" "$work/mystery.txt" "$work/old.log.gz" --fail-on never \
  --format sarif="$work/notified.sarif.json"
check "guessed and unreadable inputs: toolExecutionNotifications" python3 - "$work/notified.sarif.json" <<'PY'
import json, sys
inv = json.load(open(sys.argv[1]))["runs"][0]["invocations"][0]
assert inv["executionSuccessful"] is True
texts = [(n["level"], n["message"]["text"]) for n in inv["toolExecutionNotifications"]]
assert any(l == "note" and "mystery.txt: kind not recognised, read as an app log" in t for l, t in texts), texts
assert any(l == "warning" and t.startswith("Could not read: ") and "old.log.gz" in t for l, t in texts), texts
PY

for dir in "$samples"/*/; do
  name=$(basename "$dir")
  "$APPDIAG" analyze "$dir" --fail-on never --format sarif -o "$work/$name.sarif.json" --format json="$work/$name.json"
  check "$name: analyzed" test $? = 0
done
# The shapes of every sample's log in one Python process: "NAME ok" or "NAME FAIL: why" per sample.
python3 - "$work" "$samples"/*/ >"$work/shapes.out" 2>&1 <<'PY'
import json, os, sys, traceback
def check(s, d):
    assert s["version"] == "2.1.0" and len(s["runs"]) == 1
    run = s["runs"][0]; rules = run["tool"]["driver"]["rules"]
    assert len({r["id"] for r in rules}) == len(rules) > 10
    for r in rules:
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"] and r["help"]["text"]
        assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
    results = run["results"]
    assert [r["ruleId"] for r in results] == [f["id"] for f in d["findings"]], "one result per finding, same order"
    for res, f in zip(results, d["findings"]):
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] == {"error": "error", "warning": "warning", "info": "note"}[f["severity"]]
        if f["evidence"]:
            loc = res["locations"][0]["physicalLocation"]
            last = f["evidence"][-1]
            uri = loc["artifactLocation"]["uri"].replace("%20", " ")
            assert uri == last["file"] or uri == "file://" + last["file"] and last["file"].startswith("/"), (loc, last)
            if last["line"]:
                assert loc["region"]["startLine"] == last["line"]
        symptoms = [x for x in d["findings"] if f["id"] in x["explained_by"] and x["evidence"]]
        notes = [l["message"]["text"] for l in res.get("relatedLocations", []) if "message" in l]
        for x in symptoms:
            assert any(n.startswith("symptom " + x["id"]) for n in notes), (f["id"], x["id"], notes)
work = sys.argv[1]
for sample in sys.argv[2:]:
    name = os.path.basename(sample.rstrip("/"))
    try:
        check(json.load(open(f"{work}/{name}.sarif.json")), json.load(open(f"{work}/{name}.json")))
        print(name, "ok")
    except Exception:
        print(name, "FAIL:", traceback.format_exc().strip().splitlines()[-1])
PY
for dir in "$samples"/*/; do
  name=$(basename "$dir")
  check "$name: shape" grep -qxF "$name ok" "$work/shapes.out"
done
grep -v ' ok$' "$work/shapes.out" | head -20 >&2
ajv_run -d "$work/*.sarif.json" >"$work/ajv.out" 2>&1
for f in "$work"/*.sarif.json; do
  if [ "$f" = "$work/bad.sarif.json" ]; then
    check "validator rejects an invalid log" grep -qF "$f invalid" "$work/ajv.out"
  else
    check "$(basename "$f"): valid SARIF 2.1.0" grep -qxF "$f valid" "$work/ajv.out"
  fi
done
grep -v ' valid$' "$work/ajv.out" | grep -v bad.sarif.json | head -20 >&2

# One Multitool process for every log; its own output is SARIF: one result per problem.
multitool_run() {  # OUT FILE...
  local out=$1; shift
  DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 "$multitool" validate --rule-kind "Sarif;Gh" --log ForceOverwrite -o "$out" "$@" \
    >"$out.log" 2>&1
}
# The problems at error or warning level (SARIF's default level is warning), per file: "NAME RULE".
problems() {
  python3 - "$1" <<'PY'
import json, os, sys
for run in json.load(open(sys.argv[1]))["runs"]:
    for r in run.get("results", []):
        if r.get("level", "warning") in ("error", "warning"):
            uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            print(os.path.basename(uri), r["ruleId"])
PY
}
multitool_run "$work/negative.out.sarif" "$work/negative/same-name.sarif.json"
problems "$work/negative.out.sarif" >"$work/negative.problems"
check "Multitool warns on name == id" grep -qx 'same-name.sarif.json SARIF1001' "$work/negative.problems"
ours=("$work"/*.sarif.json)
multitool_run "$work/multitool.out.sarif" "${ours[@]}"
check "Multitool ran on every log" grep -q "Done. ${#ours[@]} files scanned" "$work/multitool.out.sarif.log"
problems "$work/multitool.out.sarif" | grep -v '^bad.sarif.json ' >"$work/multitool.problems"
check "Multitool (Sarif;Gh): zero errors and warnings in ${#ours[@]} logs" test ! -s "$work/multitool.problems"
sort "$work/multitool.problems" | uniq -c | sort -rn | head -20 >&2
check "samples were checked" test "$pass" -gt 10
finish
