#!/usr/bin/env bash
# The layers as the build and README state them: every #include of ours in a
# layer names only that layer or one below it. A lower layer never includes a
# higher one, and collectors/ sees only analyzer/core/.
source "$(dirname "$0")/common.sh"
cd "$APPDIAG_SOURCE_DIR"

allowed() {  # the folders a layer may include from
  case $1 in
    analyzer/core) echo "analyzer/core" ;;
    collectors) echo "analyzer/core collectors" ;;
    analyzer/pack) echo "analyzer/core analyzer/pack" ;;
    analyzer/engine) echo "analyzer/core analyzer/engine" ;;
    analyzer/report) echo "analyzer/core analyzer/engine analyzer/report" ;;
    analyzer/cli) echo "analyzer/core collectors analyzer/pack analyzer/engine analyzer/report analyzer/cli" ;;
  esac
}
layers="analyzer/core collectors analyzer/pack analyzer/engine analyzer/report analyzer/cli"
for layer in $layers; do
  check "$layer exists and has sources" bash -c "ls $layer/*.cpp >/dev/null"
  ok=$(allowed "$layer")
  while IFS= read -r line; do
    file=${line%%:*}
    inc=$(sed -E 's/.*#include "([^"]+)".*/\1/' <<<"$line")
    dir=$(dirname "$inc")
    if ! grep -qw -- "$dir" <<<"$ok"; then
      echo "FAIL: $file includes $inc ($layer may include only: $ok)" >&2
      failures=$((failures + 1))
    else
      pass=$((pass + 1))
    fi
  done < <(grep -H '#include "' "$layer"/*.h "$layer"/*.cpp)
done
# No source file outside the layers.
check "no source directly under analyzer/" bash -c "! ls analyzer/*.cpp analyzer/*.h 2>/dev/null | grep -q ."
# The build agrees: each layer's CMake library links only layers below it.
check "collectors link core only" bash -c "grep -A3 'target_link_libraries(appdiag_collectors' collectors/CMakeLists.txt | grep -vq 'appdiag_\(pack\|engine\|report\|cli\)'"
check "engine links core only" bash -c "! grep -A2 'target_link_libraries(appdiag_engine' analyzer/engine/CMakeLists.txt | grep -q 'appdiag_\(pack\|report\|cli\|collectors\)'"
finish
