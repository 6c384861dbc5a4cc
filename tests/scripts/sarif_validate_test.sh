#!/usr/bin/env bash
# SARIF: valid against the official SARIF 2.1.0 schema (vendored in
# tests/schemas, byte-identical to the one in @microsoft/sarif-multitool-linux
# 5.7.0; see tests/schemas/README.md) with ajv-cli, and
# shaped as code scanning reads it: one run, the pack as driver rules, each
# finding a result pointing at its evidence, symptoms as relatedLocations.
source "$(dirname "$0")/common.sh"
tools=$(bash "$APPDIAG_SOURCE_DIR/tests/scripts/node_tools.sh" "$APPDIAG_BUILD_DIR/node_tools") || {
  echo "cannot install ajv-cli from npm" >&2; exit 1; }
ajv=$tools/node_modules/.bin/ajv
schema=$APPDIAG_SOURCE_DIR/tests/schemas/sarif-2.1.0.json

# ajv-cli require()s data files whose extension it does not know, so every
# log is written as NAME.sarif.json; one ajv run checks them all (node starts once).
ajv_run() { "$ajv" validate --spec=draft2020 --strict=false -c ajv-formats -s "$schema" "$@"; }

# The validator can fail: a wrong level is rejected.
echo '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"a","level":"bogus","message":{"text":"m"}}]}]}' >"$work/bad.sarif.json"

for dir in "$samples"/*/; do
  name=$(basename "$dir")
  "$APPDIAG" analyze "$dir" --fail-on never --format sarif -o "$work/$name.sarif.json" --format json="$work/$name.json"
  check "$name: analyzed" test $? = 0
  check "$name: shape" python3 - "$work/$name.sarif.json" "$work/$name.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); d = json.load(open(sys.argv[2]))
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
        assert loc["artifactLocation"]["uri"].replace("%20", " ") == last["file"], (loc, last)
        if last["line"]:
            assert loc["region"]["startLine"] == last["line"]
    symptoms = [x for x in d["findings"] if f["id"] in x["explained_by"] and x["evidence"]]
    notes = [l["message"]["text"] for l in res.get("relatedLocations", []) if "message" in l]
    for x in symptoms:
        assert any(n.startswith("symptom " + x["id"]) for n in notes), (f["id"], x["id"], notes)
PY
done
ajv_run -d "$work/*.sarif.json" >"$work/ajv.out" 2>&1
for f in "$work"/*.sarif.json; do
  if [ "$f" = "$work/bad.sarif.json" ]; then
    check "validator rejects an invalid log" grep -qF "$f invalid" "$work/ajv.out"
  else
    check "$(basename "$f"): valid SARIF 2.1.0" grep -qxF "$f valid" "$work/ajv.out"
  fi
done
grep -v ' valid$' "$work/ajv.out" | grep -v bad.sarif.json | head -20 >&2
check "samples were checked" test "$pass" -gt 10
finish
