#!/usr/bin/env bash
# appdiag fleet over a folder of real bundles (sample folders, the same samples
# zipped) and unreadable ones (a corrupt zip, an empty folder, a stray file):
# one JSON Lines record per bundle with the sample's expected root cause, the
# unreadable ones listed and not fatal, the summary counts, and exit codes.
source "$(dirname "$0")/common.sh"

fleet=$work/fleet
mkdir -p "$fleet/empty-bundle"
names=(module-not-found-three-attempts shipped-venv-windows healthy-flask missing-requirements-2022-aka-link
         build-failed-pip-psycopg2 startup-timeout-probe-2026)
for s in "${names[@]}"; do
  cp -r "$APPDIAG_SOURCE_DIR/samples/$s" "$fleet/$s"
  (cd "$APPDIAG_SOURCE_DIR/samples/$s" && zip -qr "$fleet/$s-zipped.zip" .)
done
printf 'this is not a zip\n' >"$fleet/corrupt.zip"
printf 'notes about the case\n' >"$fleet/README.txt"

rc=0
"$APPDIAG" fleet "$fleet" --jobs 2 -o "$work/records.jsonl" --summary "$work/summary.txt" 2>"$work/err" || rc=$?
check "exit 1: some bundle has an error finding (got $rc)" test "$rc" = 1
check "records and summary" python3 - "$work/records.jsonl" "$work/summary.txt" "$APPDIAG_SOURCE_DIR/samples" "${names[@]}" <<'PY'
import json, os, sys
records_path, summary_path, samples_dir, *samples = sys.argv[1:]
lines = open(records_path).read().splitlines()
records = [json.loads(l) for l in lines]
by_name = {os.path.basename(r["bundle"]): r for r in records}
assert len(records) == len(by_name) == 2 * len(samples) + 3, (len(records), sorted(by_name))
for s in samples:
    want = json.load(open(os.path.join(samples_dir, s, "expect.json")))["root_cause"]
    for name in (s, s + "-zipped.zip"):
        r = by_name[name]
        assert r["ok"], r
        assert r["root_cause"] == want, (name, r["root_cause"], want)
        assert sum(r["counts"].values()) == len(r["findings"]), r
    folder, zipped = by_name[s], by_name[s + "-zipped.zip"]
    assert {k: v for k, v in folder.items() if k != "bundle"} == {k: v for k, v in zipped.items() if k != "bundle"}, s
for name, why in (("corrupt.zip", "not a zip archive"), ("empty-bundle", "empty folder"), ("README.txt", "not a bundle")):
    assert not by_name[name]["ok"] and why in by_name[name]["error"], by_name[name]
summary = open(summary_path).read()
assert f"{len(records)} bundles, {len(records) - 3} read, 3 unreadable" in summary, summary
# Each rule's "apps" count equals the records that list it.
for line in summary.splitlines():
    parts = line.split()
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        rule, apps, roots = parts[0], int(parts[1]), int(parts[2])
        assert apps == sum(rule in r.get("findings", []) for r in records), line
        assert roots == sum(rule in r.get("root_causes", []) for r in records), line
for name in ("corrupt.zip", "empty-bundle", "README.txt"):
    assert name in summary, name
PY
check "no progress when stderr is not a terminal" bash -c "! grep -q 'bundles, .*/s' '$work/err'"
"$APPDIAG" fleet "$fleet" --progress always -o "$null_dev" --summary "$null_dev" 2>"$work/progress"
check "progress with --progress always, ending at the total" grep -q "fleet: 15/15 bundles" "$work/progress"

# Same records with one job, in the same (input) order.
"$APPDIAG" fleet "$fleet" --jobs 1 -o "$work/records1.jsonl" --summary "$null_dev" 2>/dev/null
check "--jobs 1 and --jobs 2 give the same records in the same order" cmp -s "$work/records.jsonl" "$work/records1.jsonl"

# --jobs 1000 under an address-space limit: the workers are clamped (to the
# bundles and to 4 per core), and a thread that cannot start (its stack does
# not fit) leaves the others to do the work; never an abort (exit 134, which
# 7 runs in 8 gave before). ASan reserves terabytes of shadow: no ulimit -v there.
if ! grep -qs 'APPDIAG_SANITIZE:BOOL=ON' "$APPDIAG_BUILD_DIR/CMakeCache.txt"; then
  for n in 1 2 3; do
    rc=0
    (ulimit -v 200000; exec "$APPDIAG" fleet "$fleet" --jobs 1000 -o "$work/limited.jsonl" --summary "$null_dev") \
      2>"$work/limited.err" || rc=$?
    # Complete records, or (should the limit leave too little) one line saying so.
    check "--jobs 1000 under ulimit -v, run $n: exit 1 with every record, or a one-line out-of-memory (rc $rc: $(head -c 200 "$work/limited.err"))" \
      bash -c "{ [ $rc = 1 ] && cmp -s '$work/limited.jsonl' '$work/records.jsonl'; } ||
               { [ $rc = 2 ] && [ \$(wc -l <'$work/limited.err') = 1 ] && grep -q '^appdiag: out of memory' '$work/limited.err'; }"
  done
fi

# A folder holding only zips stands for them, whatever their names say.
mkdir "$work/zips-only"
cp "$fleet/healthy-flask-zipped.zip" "$work/zips-only/wwwroot-listing-only.zip"
cp "$fleet/shipped-venv-windows-zipped.zip" "$work/zips-only/app_docker.log.zip"
"$APPDIAG" fleet "$work/zips-only" -o "$work/zips.jsonl" --summary "$null_dev" 2>/dev/null
check "a folder of zips is two bundles" test "$(wc -l <"$work/zips.jsonl")" = 2

rc=0
"$APPDIAG" fleet "$fleet/healthy-flask" "$fleet/corrupt.zip" -o "$null_dev" --summary "$null_dev" 2>/dev/null || rc=$?
check "exit 0: only healthy and unreadable bundles (got $rc)" test "$rc" = 0
rc=0
"$APPDIAG" fleet "$fleet/corrupt.zip" "$fleet/empty-bundle" -o "$null_dev" --summary "$null_dev" 2>"$work/err2" || rc=$?
check "exit 2 when nothing could be read (got $rc)" test "$rc" = 2
check "says none could be read" grep -q "none of the 2 bundles could be read" "$work/err2"
rc=0
"$APPDIAG" fleet "$work/no-such-folder" 2>/dev/null >/dev/null || rc=$?
check "a missing path is not fatal alone but nothing read: exit 2 (got $rc)" test "$rc" = 2

# A stray log next to bundle folders does not make the folder one bundle with every app merged.
mkdir -p "$work/stray"
cp -r "$samples/healthy-flask" "$work/stray/app-a"
cp -r "$failing" "$work/stray/app-b"
printf 'fleet run started\n' >"$work/stray/fleet-run.log"
"$APPDIAG" fleet "$work/stray" -o "$work/stray.jsonl" --summary "$null_dev" 2>/dev/null
check "stray file: each bundle its own record" python3 -c "
import json,os,sys
r={os.path.basename(json.loads(l)['bundle']): json.loads(l) for l in open(sys.argv[1])}
assert set(r)=={'app-a','app-b','fleet-run.log'}, sorted(r)
assert r['app-a']['root_cause'] is None and r['app-b']['root_cause']=='module-not-found', r
" "$work/stray.jsonl"

# Records come in sorted input order, whatever the directory order or thread timing.
mkdir -p "$work/many"
for i in $(seq -w 1 24); do cp -r "$samples/healthy-flask" "$work/many/b$i-$RANDOM"; done
"$APPDIAG" fleet "$work/many" --jobs 4 -o "$work/many.jsonl" --summary "$null_dev" 2>/dev/null
check "records in sorted order" python3 -c "
import json,sys
names=[json.loads(l)['bundle'] for l in open(sys.argv[1])]
assert len(names)==24 and names==sorted(names), names
" "$work/many.jsonl"

# Names with escape sequences are escaped in the summary.
mkdir -p "$work/esc"
printf 'x\n' >"$work/esc/"$'evil\033[31m.zip'
"$APPDIAG" fleet "$work/esc" -o "$null_dev" --summary "$work/esc-summary.txt" 2>/dev/null
check "summary escapes names" bash -c "grep -qF 'evil\\x1b[31m.zip' '$work/esc-summary.txt' && ! grep -q $'\033' '$work/esc-summary.txt'"

finish
