#!/usr/bin/env bash
# Benchmark: `appdiag fleet` over many bundles made from the samples.
#
#   bash tests/bench/fleet.sh [BUNDLES]       (default 1000)
#
# Copies the samples round-robin into BUNDLES bundles (one in four zipped)
# under BENCH_DIR (default /tmp/appdiag-bench/fleet-N, kept between runs),
# checks that every bundle's root cause is the one its sample's expect.json
# names, then prints bundles/s and peak RSS for --jobs 1 and --jobs 2, best of
# RUNS runs (default 3). Env: APPDIAG (binary; default build-rel/appdiag, else
# build/appdiag). Needs python3, zip and GNU time (/usr/bin/time).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
count=${1:-1000}
runs=${RUNS:-3}
dir=${BENCH_DIR:-/tmp/appdiag-bench}/fleet-$count
appdiag=${APPDIAG:-}
for candidate in "$src/build-rel/appdiag" "$src/build/appdiag"; do
  [[ -z "$appdiag" && -x "$candidate" ]] && appdiag=$candidate
done
[[ -x "$appdiag" ]] || { echo "fleet.sh: no appdiag binary; set APPDIAG" >&2; exit 2; }
for tool in python3 zip /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "fleet.sh: $tool missing (see the header)" >&2; exit 2; }
done

if [[ ! -f "$dir/expected.json" ]]; then
  rm -rf "$dir" && mkdir -p "$dir/bundles"
  python3 - "$src/samples" "$dir" "$count" <<'PY'
import json, os, shutil, subprocess, sys
samples, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
names = sorted(d for d in os.listdir(samples) if os.path.isfile(os.path.join(samples, d, "expect.json")))
expected = {}
for i in range(count):
    name = names[i % len(names)]
    bundle = f"b{i:05d}-{name}"
    path = os.path.join(out, "bundles", bundle)
    shutil.copytree(os.path.join(samples, name), path, ignore=shutil.ignore_patterns("expect.json"))
    if i % 4 == 3:  # a quarter as the zip `az webapp log download` writes
        subprocess.run(["zip", "-qr", path + ".zip", "."], cwd=path, check=True)
        shutil.rmtree(path)
        path += ".zip"
    expected[path] = json.load(open(os.path.join(samples, name, "expect.json")))["root_cause"]
json.dump(expected, open(os.path.join(out, "expected.json"), "w"))
PY
fi

echo "machine: $(nproc) cores, $(uname -m); appdiag: $appdiag"
echo "bundles: $count ($(du -sb "$dir/bundles" | cut -f1) bytes, one in four zipped)"
for jobs in 1 2; do
  best=
  for _ in $(seq "$runs"); do
    /usr/bin/time -o "$dir/time.txt" -f '%e %M' \
      "$appdiag" fleet "$dir/bundles" --jobs "$jobs" --fail-on never --progress never \
      -o "$dir/fleet.jsonl" --summary "$dir/summary.txt"
    read -r wall rss < <(tail -1 "$dir/time.txt")
    if [[ -z "$best" ]] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$wall best_rss=$rss; fi
  done
  # Every run must be right, not only fast.
  python3 - "$dir/expected.json" "$dir/fleet.jsonl" <<'PY'
import json, sys
expected = json.load(open(sys.argv[1]))
got = {}
for line in open(sys.argv[2]):
    r = json.loads(line)
    if not r["ok"]:
        sys.exit(f"fleet.sh: {r['bundle']} could not be read: {r.get('error')}")
    got[r["bundle"]] = r["root_cause"]
wrong = [b for b in expected if got.get(b, "missing") != expected[b]]
if wrong:
    sys.exit(f"fleet.sh: {len(wrong)} bundles with the wrong root cause, e.g. {wrong[0]}: "
             f"{got.get(wrong[0], 'missing')} (expected {expected[wrong[0]]})")
PY
  awk -v j="$jobs" -v n="$count" -v w="$best" -v r="$best_rss" -v runs="$runs" 'BEGIN {
    if (w < 0.01) w = 0.01
    printf "--jobs %d: best of %d %6.2f s, %7.1f bundles/s, peak RSS %5.1f MiB; every root cause as expected\n", j, runs, w, n / w, r / 1024 }'
done
