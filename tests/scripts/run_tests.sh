#!/usr/bin/env bash
# README's test command: installs what is missing, builds, and runs the whole
# suite through ctest — once in a normal build, once under ASan + UBSan.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tests/scripts/setup.sh
jobs=$(nproc)
# The suite runs as root: it must leave the machine's device files as they were.
devnull=$(stat -c '%F %t:%T' /dev/null)
devnull_intact() {
  [ "$(stat -c '%F %t:%T' /dev/null)" = "$devnull" ] || { echo "run_tests: /dev/null was replaced" >&2; exit 1; }
}
trap devnull_intact EXIT

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAPPDIAG_WERROR=ON -DBUILD_TESTING=ON
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DAPPDIAG_SANITIZE=ON -DAPPDIAG_WERROR=ON -DBUILD_TESTING=ON
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"

# Short fuzz run of every target (clang + libFuzzer, ASan/UBSan), seeded from samples/.
# A longer run: cmake ... -DAPPDIAG_FUZZ_SECONDS=600, or run build-fuzz/tests/fuzz/fuzz_X directly.
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DAPPDIAG_FUZZ=ON -DAPPDIAG_SANITIZE=ON \
  -DAPPDIAG_WERROR=ON -DAPPDIAG_FUZZ_SECONDS="${APPDIAG_FUZZ_SECONDS:-60}"
cmake --build build-fuzz -j"$jobs"
ctest --test-dir build-fuzz --output-on-failure -j"$jobs"
