#!/usr/bin/env bash
# Benchmark: appdiag analyze against `rg -c -f patterns` on the same files.
#
#   bash tests/bench/run.sh [SIZE_MB]        (default 200)
#
# Env: APPDIAG (binary; default build-rel/appdiag, else build/appdiag),
#      BENCH_DIR (generated data, kept between runs; default /tmp/appdiag-bench),
#      RUNS (repetitions per figure; best and spread are printed; default 3).
# Needs python3, ripgrep, hyperfine and GNU time (/usr/bin/time):
#   apt-get install -y python3 ripgrep hyperfine time
# Prints: throughput (MB/s) and ratio to rg, peak RSS (file and stdin),
# 1x/10x/100x rules, 1/2/4 files with --jobs 1/2, and a 100 KB bundle.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
size_mb=${1:-200}
runs=${RUNS:-3}
dir=${BENCH_DIR:-/tmp/appdiag-bench}
appdiag=${APPDIAG:-}
for candidate in "$src/build-rel/appdiag" "$src/build/appdiag"; do
  [[ -z "$appdiag" && -x "$candidate" ]] && appdiag=$candidate
done
[[ -x "$appdiag" ]] || { echo "run.sh: no appdiag binary; set APPDIAG" >&2; exit 2; }
for tool in rg hyperfine /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool missing (see the header)" >&2; exit 2; }
done
mkdir -p "$dir"

# Data is generated once per size: a bundle, its planted failures, patterns.
gen() { # NAME MB
  [[ -f "$dir/$1/planted.json" ]] && return
  mkdir -p "$dir/$1"
  python3 "$here/gen_bundle.py" "$dir/$1/bundle" --app-mb "$2"
}
gen "big-$size_mb" "$size_mb"
gen small 0.1
big=$dir/big-$size_mb
small=$dir/small
app_log=$(ls "$big"/bundle/LogFiles/*_default_docker.log)
"$appdiag" rules patterns > "$dir/patterns.txt"
# rg joins the patterns into one regex: duplicate group names are an error
# there, so named groups become plain groups, and Rust's regex rejects the
# escape \" that RE2 accepts (same matches).
sed -E -e 's/\(\?P<[A-Za-z_][A-Za-z0-9_]*>/(/g' -e 's/\\"/"/g' "$dir/patterns.txt" > "$dir/patterns.rg.txt"
for k in 10 100; do
  [[ -d "$dir/rules-x$k" ]] || python3 "$here/gen_rules.py" "$src/rules" "$dir/rules-x$k" $((k - 1))
done

bytes() { du -cb "$@" | tail -1 | cut -f1; }
# measure LABEL BYTES CMD...: runs CMD RUNS times; prints best wall, spread,
# MB/s at the best, peak RSS; sets $best (seconds) for ratios.
measure() {
  local label=$1 n=$2; shift 2
  local walls=() rss=0 line
  for _ in $(seq "$runs"); do
    # exit 1 is rg's "no match"; anything above is a failure
    /usr/bin/time -o "$dir/time.txt" -f '%e %M' "$@" >/dev/null 2>"$dir/stderr.txt" ||
      (( $? == 1 )) || { cat "$dir/stderr.txt" >&2; echo "run.sh: failed: $*" >&2; exit 1; }
    line=$(tail -1 "$dir/time.txt")
    walls+=("${line% *}")
    if (( ${line#* } > rss )); then rss=${line#* }; fi
  done
  read -r best worst < <(printf '%s\n' "${walls[@]}" | sort -g | sed -n '1p;$p' | paste -sd' ')
  awk -v l="$label" -v b="$best" -v w="$worst" -v n="$n" -v r="$rss" 'BEGIN {
    if (b < 0.01) b = 0.01
    printf "%-44s best %7.2fs (worst %6.2fs)  %8.1f MB/s  peak RSS %6.1f MiB\n", l, b, w, n / b / 1e6, r / 1024 }'
}
ratio() { awk -v a="$1" -v b="$2" -v l="$3" 'BEGIN { if (a < 0.01) a = 0.01; if (b < 0.01) b = 0.01; printf "  -> %s: %.2f\n", l, b / a }'; }

echo "machine: $(nproc) cores, $(uname -m); appdiag: $appdiag"
echo "hyperscan: $(grep -q '^APPDIAG_HYPERSCAN:BOOL=ON' "$(dirname "$appdiag")/CMakeCache.txt" 2>/dev/null && echo on || echo 'off or unknown')"
echo "bundle: $(bytes "$big/bundle") bytes; patterns: $(wc -l < "$dir/patterns.txt"); runs per figure: $runs"

# Correctness first: the numbers mean nothing if the planted failures are missed.
"$appdiag" analyze "$big/bundle" -f json --fail-on never | python3 "$here/check_planted.py" "$big/planted.json"
echo "planted failures found at their lines: yes"

echo "== full rule pack, whole bundle"
n=$(bytes "$big/bundle")
measure "rg -c -f patterns (bundle)" "$n" rg -c -f "$dir/patterns.rg.txt" "$big/bundle"; rg_best=$best
measure "appdiag analyze (bundle)" "$n" "$appdiag" analyze "$big/bundle" -f json --fail-on never; ad_best=$best
ratio "$ad_best" "$rg_best" "appdiag throughput / rg throughput (target >= 2)"
n=$(bytes "$app_log")
measure "appdiag analyze - < app log (stdin)" "$n" sh -c "exec '$appdiag' analyze - --as app=- -f json --fail-on never < '$app_log'"

echo "== rule count (app log; x10/x100 = generated variants of every rule)"
measure "rules x1" "$n" "$appdiag" analyze "$app_log" -f json --fail-on never; x1=$best
measure "rules x10" "$n" "$appdiag" analyze "$app_log" --rules "$dir/rules-x10" -f json --fail-on never; x10=$best
ratio "$x10" "$x1" "time x1 / time x10 (target >= 0.67, i.e. x10 <= 1.5x the time)"
measure "rules x100" "$n" "$appdiag" analyze "$app_log" --rules "$dir/rules-x100" -f json --fail-on never; x100=$best
ratio "$x100" "$x1" "time x1 / time x100 (target >= 0.33, i.e. x100 <= 3x the time)"

echo "== files in parallel (hard links to the app log, each read as an app log)"
for i in 1 2 3 4; do ln -f "$app_log" "$big/app$i.log"; done
for files in 1 2 4; do
  args=()
  for i in $(seq "$files"); do args+=("$big/app$i.log" --as "app=$big/app$i.log"); done
  measure "$files file(s) --jobs 1" $((n * files)) "$appdiag" analyze "${args[@]}" -j 1 -f json --fail-on never; j1=$best
  measure "$files file(s) --jobs 2" $((n * files)) "$appdiag" analyze "${args[@]}" -j 2 -f json --fail-on never
  ratio "$best" "$j1" "--jobs 2 speed-up (target >= 1.7 from 2 files)"
done

echo "== 100 KB bundle, rule compilation included (hyperfine, mean of many runs)"
hyperfine -N -w 3 -r 30 --export-json "$dir/small.json" \
  "rg -c -f $dir/patterns.rg.txt $small/bundle" \
  "$appdiag analyze $small/bundle -f json --fail-on never" >/dev/null
python3 - "$dir/small.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
for x in r:
    print(f"{x['command'].split()[0].split('/')[-1]:>8}: mean {x['mean']*1000:7.2f} ms  min {x['min']*1000:7.2f} ms  stddev {x['stddev']*1000:6.2f} ms")
print(f"  -> appdiag / rg wall time: {r[1]['mean'] / r[0]['mean']:.2f} (target < 2)")
PY
