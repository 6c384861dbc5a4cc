#!/usr/bin/env bash
# Benchmark by input shape: appdiag against `rg -c -f patterns` on the same
# files, and appdiag's two read paths (mapping vs read()), one table.
#
#   bash tests/bench/shapes.sh [SIZE_MB]        (default 256; shape f is always 2,000 x 50 KB)
#
# Shapes: (a) access-log dominated app log, (b) the mixed bundle of
# gen_bundle.py, (c) traceback-heavy app log, (d) Oryx build log with long
# lines, (e) `az webapp log tail` capture, (f) 2,000 files of 50 KB.
# Env: APPDIAG (binary; default build-rel/appdiag, else build/appdiag),
#      BENCH_DIR (generated data, kept; default /tmp/appdiag-bench),
#      RUNS (hyperfine runs per command; default 7), SHAPES (default "a b c d e f").
# Needs python3, ripgrep, hyperfine and GNU time: apt-get install -y python3 ripgrep hyperfine time
# Prints per shape: median and [min-max] wall time of rg, appdiag with the
# default read path, APPDIAG_MMAP=on and =off; throughput; ratio to rg; peak RSS.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
size_mb=${1:-256}
runs=${RUNS:-7}
dir=${BENCH_DIR:-/tmp/appdiag-bench}
appdiag=${APPDIAG:-}
for candidate in "$src/build-rel/appdiag" "$src/build/appdiag"; do
  [[ -z "$appdiag" && -x "$candidate" ]] && appdiag=$candidate
done
[[ -x "$appdiag" ]] || { echo "shapes.sh: no appdiag binary; set APPDIAG" >&2; exit 2; }
for tool in rg hyperfine /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "shapes.sh: $tool missing (see the header)" >&2; exit 2; }
done
mkdir -p "$dir/shapes"

# Patterns for rg as run.sh makes them: named groups become plain groups, \" becomes ".
"$appdiag" rules patterns | sed -E -e 's/\(\?P<[A-Za-z_][A-Za-z0-9_]*>/(/g' -e 's/\\"/"/g' >"$dir/patterns.rg.txt"

# shape_input SHAPE -> generates once, sets $input (what both tools read) and $expect (root cause).
shape_input() {
  local name=$1 out
  case $name in
    a) out=$dir/shapes/a-access-$size_mb ;;
    b) out=$dir/shapes/b-mixed-$size_mb ;;
    c) out=$dir/shapes/c-traceback-$size_mb ;;
    d) out=$dir/shapes/d-build-$size_mb ;;
    e) out=$dir/shapes/e-logtail-$size_mb ;;
    f) out=$dir/shapes/f-many ;;
  esac
  if [[ ! -f "$out/expect" ]]; then
    rm -rf "$out"
    case $name in
      a) python3 "$here/gen_shapes.py" access "$out" --mb "$size_mb" >"$out.expect" ;;
      b) python3 "$here/gen_bundle.py" "$out/bundle" --app-mb "$size_mb" && echo module-not-found >"$out.expect" ;;
      c) python3 "$here/gen_shapes.py" traceback "$out" --mb "$size_mb" >"$out.expect" ;;
      d) python3 "$here/gen_shapes.py" build "$out" --mb "$size_mb" >"$out.expect" ;;
      e) python3 "$here/gen_shapes.py" logtail "$out" --mb "$size_mb" >"$out.expect" ;;
      f) python3 "$here/gen_shapes.py" many "$out" >"$out.expect" ;;
    esac
    mv "$out.expect" "$out/expect"
  fi
  expect=$(cat "$out/expect")
  case $name in
    a | c) input=$(ls "$out"/LogFiles/*.log) ;;
    b) input=$out/bundle ;;
    d) input=$(ls "$out"/deployments/*/log.log) ;;
    e) input=$out/az-webapp-log-tail.txt ;;
    f) input=$out ;;
  esac
}

label() {
  case $1 in
    a) echo "(a) access log" ;; b) echo "(b) mixed bundle" ;; c) echo "(c) tracebacks" ;;
    d) echo "(d) build log" ;; e) echo "(e) log tail" ;; f) echo "(f) 2,000 files" ;;
  esac
}
peak_rss() {  # CMD... -> peak RSS in MiB of one run
  /usr/bin/time -o "$dir/time.txt" -f '%M' "$@" >"$dir/out.txt" 2>"$dir/err.txt" || (($? == 1)) ||
    { cat "$dir/err.txt" >&2; echo "shapes.sh: failed: $*" >&2; exit 1; }
  awk '{ printf "%.1f", $1 / 1024 }' "$dir/time.txt"
}

echo "date: $(date -u +%Y-%m-%d); machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "appdiag: $appdiag ($("$appdiag" --version)); $(rg --version | sed -n 1p); hyperfine runs per command: $runs"
echo
printf '| shape | MB | rg -c -f | appdiag (default) | speed vs rg | MB/s | CPU s appdiag (rg) | mmap | read() | mmap / read() | peak RSS appdiag (rg) |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
for shape in ${SHAPES:-a b c d e f}; do
  shape_input "$shape"
  mb=$(du -sbL "$input" | awk '{ printf "%.0f", $1 / 1e6 }')
  app=("$appdiag" analyze "$input" -f json --fail-on never)
  # Correctness first: the figures mean nothing if the failure is missed.
  got=$("${app[@]}" | python3 -c 'import json, sys; print(json.load(sys.stdin)["root_cause"])')
  [[ "$got" == "$expect" ]] || { echo "shapes.sh: $(label "$shape"): root cause $got, expected $expect" >&2; exit 1; }
  hyperfine -N -w 1 -r "$runs" -i --export-json "$dir/shape.json" \
    "rg -c -f $dir/patterns.rg.txt $input" "${app[*]}" \
    "env APPDIAG_MMAP=on ${app[*]}" "env APPDIAG_MMAP=off ${app[*]}" >"$dir/hyperfine.txt" 2>&1
  rss=$(peak_rss "${app[@]}")
  rg_rss=$(peak_rss rg -c -f "$dir/patterns.rg.txt" "$input")
  python3 - "$dir/shape.json" "$(label "$shape")" "$mb" "$rss" "$rg_rss" <<'PY'
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
label, mb, rss, rg_rss = sys.argv[2], float(sys.argv[3]), sys.argv[4], sys.argv[5]
med = [statistics.median(r["times"]) for r in results]
span = [f"{m:.3f} s [{min(r['times']):.3f}-{max(r['times']):.3f}]" for m, r in zip(med, results)]
cpu = [r["user"] + r["system"] for r in results]  # means: less sensitive to a busy machine than wall time
print(f"| {label} | {mb:.0f} | {span[0]} | {span[1]} | **{med[0] / med[1]:.2f}x** | {mb / med[1]:.0f} "
      f"| {cpu[1]:.2f} ({cpu[0]:.2f}) | {med[2]:.3f} s | {med[3]:.3f} s | {med[2] / med[3]:.2f} | {rss} ({rg_rss}) MiB |")
PY
done
