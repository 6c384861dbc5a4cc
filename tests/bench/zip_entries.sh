#!/usr/bin/env bash
# A zip of many small logs must cost about what the same files cost as a
# folder (issue 17 item 1: reopening the archive per entry was quadratic).
# Prints both times (best of RUNS) and fails when the zip takes more than 3x.
#   bash tests/bench/zip_entries.sh [ENTRIES]    # default 5000
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
appdiag=${APPDIAG:-$root/build/appdiag}
entries=${1:-5000}
runs=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" "$entries" <<'PY'
import os, sys, zipfile
work, n = sys.argv[1], int(sys.argv[2])
os.makedirs(f"{work}/dir/LogFiles")
with zipfile.ZipFile(f"{work}/bundle.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for i in range(n):
        name = f"LogFiles/{i:06d}_default_docker.log"
        text = f"2024-03-15T10:21:{i % 60:02d}.000Z INFO worker {i} started\n2024-03-15T10:21:{i % 60:02d}.500Z INFO ok\n"
        z.writestr(name, text)
        with open(f"{work}/dir/{name}", "w") as f:
            f.write(text)
PY
best() {
  local best=
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N)
    "$appdiag" analyze "$1" >"$work/out" || [ $? -eq 1 ]
    end=$(date +%s.%N)
    best=$(python3 -c "import sys; t=$end-$start; b='$best'; print(t if not b else min(t, float(b)))")
  done
  echo "$best"
}
folder=$(best "$work/dir")
zipped=$(best "$work/bundle.zip")
ratio=$(python3 -c "print(f'{$zipped/$folder:.2f}')")
echo "$entries entries: folder ${folder}s, zip ${zipped}s, zip/folder ${ratio}x (limit 3x)"
python3 -c "import sys; sys.exit(0 if $zipped <= 3 * $folder else 1)"
