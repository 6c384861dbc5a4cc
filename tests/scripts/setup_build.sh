#!/usr/bin/env bash
# Installs what appdiag needs to build and run on Debian 12 (run as root):
# compiler, CMake and the libraries — nothing for the tests (setup.sh adds
# those). Extra package names given as arguments are installed in the same
# apt call. Skips apt when everything is already there.
set -euo pipefail
packages=(
  cmake g++ make pkg-config
  libre2-dev nlohmann-json3-dev libcli11-dev libssh-dev libzip-dev
  "$@"
)
# Hyperscan (the literal prefilter) is packaged for amd64 only; without it the
# build falls back to RE2 alone (see README's Performance section).
case "$(dpkg --print-architecture)" in amd64) packages+=(libhyperscan-dev) ;; esac
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
