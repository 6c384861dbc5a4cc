#!/usr/bin/env bash
# The same input gives byte-identical reports for any --jobs: sources are
# scanned in parallel, but results are merged in source order (the first
# occurrence of an unrecognised error depended on thread timing).
source "$(dirname "$0")/common.sh"

# Two logs with the same unrecognised error: its first occurrence is in the first source.
mkdir -p "$work/two/LogFiles"
for name in A B; do
  python3 - "$work/two/LogFiles/2024_03_15_ln0${name}_default_docker.log" "$name" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(20000):
        f.write("2024-03-15T10:%02d:%02d.000Z INFO request %d ok\n" % (i // 600 % 60, i // 10 % 60, i))
        if i % 1000 == 999:
            f.write("2024-03-15T10:00:00.000Z ERROR: cache unavailable after %d requests\n" % i)
PY
done
# Every format, in one run per --jobs value (--format NAME=FILE writes several).
formats="text json markdown html sarif junit github"
for dir in "$work/two" "$samples"/*/; do
  name=$(basename "$dir")
  for j in 1 4; do
    args=()
    for format in $formats; do args+=(--format "$format=$work/$name.$j.$format"); done
    run 0 "$APPDIAG" analyze "$dir" --jobs "$j" --fail-on never --verbose "${args[@]}"
  done
  for format in $formats; do
    check "$name: -j 1 and -j 4 give identical $format" cmp -s "$work/$name.1.$format" "$work/$name.4.$format"
  done
done
check "the unrecognised error's first occurrence is in the first source" \
  grep -q "ln0A_default_docker.log" "$work/two.4.text"

# --jobs 1000 under an address-space limit on 300 sources: a scan thread that
# cannot start (its stack does not fit) leaves the work to those that did;
# never an abort (exit 134). ASan reserves terabytes of shadow: no ulimit -v there.
if ! grep -qs 'APPDIAG_SANITIZE:BOOL=ON' "$APPDIAG_BUILD_DIR/CMakeCache.txt"; then
  mkdir -p "$work/many/LogFiles"
  for i in $(seq 100 399); do
    printf '2024-03-15T10:00:00.000Z INFO request %s ok\n' "$i" >"$work/many/LogFiles/2024_03_15_ln${i}_default_docker.log"
  done
  "$APPDIAG" analyze "$work/many" --jobs 1 --fail-on never -f json -o "$work/many.1.json" 2>/dev/null
  for n in 1 2 3; do
    rc=0
    (ulimit -v 300000; exec "$APPDIAG" analyze "$work/many" --jobs 1000 --fail-on never -f json -o "$work/many.limited.json") \
      2>"$work/many.err" || rc=$?
    check "analyze --jobs 1000 under ulimit -v, run $n: the same report, or a one-line out-of-memory (rc $rc: $(head -c 200 "$work/many.err"))" \
      bash -c "{ [ $rc = 0 ] && python3 -c 'import json,sys; a,b=(json.load(open(f)) for f in sys.argv[1:]); [d.pop(\"report\",None) for d in (a,b)]; sys.exit(a!=b)' '$work/many.1.json' '$work/many.limited.json'; } ||
               { [ $rc = 2 ] && [ \$(wc -l <'$work/many.err') = 1 ] && grep -q '^appdiag: out of memory' '$work/many.err'; }"
  done
fi

finish
