#!/usr/bin/env bash
# Installs what appdiag needs to build and test on Debian 12 (run as root).
# Skips apt when everything is already there, so repeated runs are quick.
set -euo pipefail
packages=(
  cmake g++ make pkg-config python3 zip unzip
  libre2-dev nlohmann-json3-dev libcli11-dev libssh-dev catch2 libzip-dev
  zipcmp zipmerge ziptool
  openssh-server openssh-client
  ripgrep hyperfine libxml2-utils time
  clang libclang-rt-14-dev
  chromium
)
# Node.js may come from another repository; only ask Debian for it when absent.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
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
