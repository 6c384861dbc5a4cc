#!/usr/bin/env bash
# Installs what appdiag needs to build *and test* on Debian 12 (run as root):
# setup_build.sh's packages plus the test tools, in one apt call.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
packages=(
  python3 python3-yaml zip unzip catch2
  zipcmp zipmerge ziptool
  openssh-server openssh-client
  ripgrep hyperfine libxml2-utils time
  clang libclang-rt-14-dev
  chromium
  dpkg-dev file man-db zsh   # package_test (shlibdeps, strip) and the man page / completion checks
)
# Node.js may come from another repository; only ask Debian for it when absent.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
bash "$here/setup_build.sh" "${packages[@]}"
