#!/usr/bin/env bash
# Makes `appdiag` available to the next CI steps (the GitHub Action and the
# Azure Pipelines template both call this):
#   1. APPDIAG_DEB names a .deb: install it with apt-get (sudo when not root);
#   2. else an `appdiag` already on PATH is used as it is;
#   3. else build from this checkout (Release, no tests) and install it into
#      APPDIAG_PREFIX, whose bin/ is added to the job's PATH.
# Env: APPDIAG_DEB, APPDIAG_PREFIX (default $RUNNER_TEMP or
# $AGENT_TEMPDIRECTORY /appdiag), APPDIAG_BUILD (build folder, default
# APPDIAG_PREFIX-build; an existing configured folder is reused as it is).
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
temp=${RUNNER_TEMP:-${AGENT_TEMPDIRECTORY:-${TMPDIR:-/tmp}}}
prefix=${APPDIAG_PREFIX:-$temp/appdiag}
build=${APPDIAG_BUILD:-$prefix-build}
sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo)

add_to_path() {  # DIR: for the steps after this one, in the runner's own way
  if [ -n "${GITHUB_PATH:-}" ]; then echo "$1" >>"$GITHUB_PATH"
  elif [ -n "${TF_BUILD:-}" ]; then echo "##vso[task.prependpath]$1"
  fi
  export PATH="$1:$PATH"
}

if [ -n "${APPDIAG_DEB:-}" ]; then
  deb=$(realpath "$APPDIAG_DEB")  # apt-get takes a local package only as a path
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q -o DPkg::Lock::Timeout=120 "$deb"
elif command -v appdiag >/dev/null; then
  echo "appdiag: using $(command -v appdiag)"
else
  "${sudo[@]}" bash "$src/tests/scripts/setup_build.sh"
  [ -f "$build/CMakeCache.txt" ] ||
    cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DAPPDIAG_WERROR=OFF
  cmake --build "$build" -j"$(nproc)" --target appdiag
  cmake --install "$build" --prefix "$prefix" --strip
  add_to_path "$prefix/bin"
fi
appdiag --version
