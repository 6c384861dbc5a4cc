#!/usr/bin/env bash
# The Debian package: cpack builds it from this build folder (into the temp
# folder), its metadata is checked, it is installed with apt-get through the
# CI step's install script (.ci/action/install.sh), the installed
# /usr/bin/appdiag runs a sample, the man page and completions are where the
# system looks for them, and the package is removed again.
# Needs root and dpkg (skipped otherwise); skipped too when an appdiag package
# or /usr/bin/appdiag is already there, which the test must not replace.
source "$(dirname "$0")/common.sh"
[ "$(id -u)" = 0 ] || { echo "skipped: installing a package needs root"; exit 77; }
command -v dpkg >/dev/null && command -v apt-get >/dev/null || { echo "skipped: no dpkg/apt-get"; exit 77; }
for tool in cpack dpkg-shlibdeps file; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool missing (tests/scripts/setup.sh installs dpkg-dev, file)" >&2; exit 1; }
done
# ci_step_test.sh checks its build branch with no appdiag on PATH: one at a time.
exec 9>"$APPDIAG_BUILD_DIR/package_test.lock"
flock 9
if dpkg-query -W appdiag >/dev/null 2>&1 || [ -e /usr/bin/appdiag ]; then
  echo "skipped: appdiag is already installed on this machine"; exit 77
fi

(cd "$APPDIAG_BUILD_DIR" && cpack -G DEB -B "$work/pkg") >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log" >&2; echo "FAIL: cpack" >&2; exit 1; }
deb=$(ls "$work"/pkg/appdiag_*.deb)
version=$("$APPDIAG" --version | awk '{print $2}')
arch=$(dpkg --print-architecture)
check "package file name is appdiag_<version>_<arch>.deb" test "$(basename "$deb")" = "appdiag_${version}_${arch}.deb"
dpkg-deb -f "$deb" >"$work/control"
check "Depends computed from the shared libraries (libre2, libzip, libssh)" \
  bash -c "grep '^Depends:' '$work/control' | grep -q 'libre2-' && grep '^Depends:' '$work/control' | grep -q 'libzip' && grep '^Depends:' '$work/control' | grep -q 'libssh'"
dpkg-deb -c "$deb" | awk '{print $6}' >"$work/contents"
for f in ./usr/bin/appdiag ./usr/share/man/man1/appdiag.1 ./usr/share/bash-completion/completions/appdiag \
  ./usr/share/zsh/vendor-completions/_appdiag ./usr/share/doc/appdiag/README.md ./usr/share/doc/appdiag/LICENSE; do
  check "package holds $f" grep -qx -- "$f" "$work/contents"
done
mkdir "$work/extract" && dpkg-deb -x "$deb" "$work/extract"
check "packaged binary is stripped" bash -c "! readelf -S '$work/extract/usr/bin/appdiag' | grep -q '\.debug_info\|\.symtab'"
if grep -q 'CMAKE_BUILD_TYPE:STRING=\(RelWithDebInfo\|Debug\)' "$APPDIAG_BUILD_DIR/CMakeCache.txt"; then
  dbg=$(ls "$work"/pkg/appdiag-dbgsym_*.ddeb 2>/dev/null)
  check "debug symbols package from a build with debug info" test -n "$dbg"
  [ -n "$dbg" ] && check "debug symbols package holds the binary's debug info" \
    bash -c "dpkg-deb -c '$dbg' | grep -q '/usr/lib/debug/.build-id/.*\.debug$'"
fi

installed=0
APPDIAG_DEB=$deb bash "$APPDIAG_SOURCE_DIR/.ci/action/install.sh" >"$work/install.log" 2>&1 && installed=1
check "apt-get installs the package (offline: dependencies already there)" test "$installed" = 1
[ "$installed" = 1 ] || cat "$work/install.log" >&2
if [ "$installed" = 1 ]; then
  check "/usr/bin/appdiag --version is the build's" test "$(/usr/bin/appdiag --version)" = "$("$APPDIAG" --version)"
  /usr/bin/appdiag analyze "$failing" >"$work/report.txt"
  check "/usr/bin/appdiag diagnoses a sample (exit 1)" test $? = 1
  check "/usr/bin/appdiag names the root cause" grep -q "ROOT CAUSE \[error\] module-not-found" "$work/report.txt"
  check "man finds the page" bash -c "LC_ALL=C.UTF-8 MANWIDTH=80 man -P cat appdiag 2>&1 | grep -q 'appdiag analyze'"
  check "bash completion installed" test -s /usr/share/bash-completion/completions/appdiag
  check "zsh completion installed" test -s /usr/share/zsh/vendor-completions/_appdiag
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=120 appdiag >"$work/remove.log" 2>&1
  check "apt-get purges the package" test $? = 0
fi
check "machine left as found: no package" bash -c "! dpkg-query -W -f='\${Status}' appdiag 2>/dev/null | grep -q 'install ok installed'"
check "machine left as found: no /usr/bin/appdiag" test ! -e /usr/bin/appdiag
finish
