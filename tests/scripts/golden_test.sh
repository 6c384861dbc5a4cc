#!/usr/bin/env bash
# Golden outputs: each report format on several samples must match
# tests/golden/<sample>.<format> byte for byte. After an intended change,
# refresh them with:  APPDIAG_REFRESH_GOLDEN=1 ctest --test-dir BUILD -R golden
# and review the diff before committing.
source "$(dirname "$0")/common.sh"
golden=$APPDIAG_SOURCE_DIR/tests/golden
# "text" is the full text report (--verbose); "short" the default one.
formats=(text short json markdown html sarif junit github)
chosen=(module-not-found-three-attempts healthy-flask missing-requirements-2022-aka-link build-failed-pip-psycopg2 port-in-use-two-servers)

for name in "${chosen[@]}"; do
  for f in "${formats[@]}"; do
    # Run inside the bundle so file names in the report do not depend on where the checkout is.
    case $f in
      text) args=(--format text --verbose) ;;
      short) args=(--format text) ;;
      *) args=(--format "$f") ;;
    esac
    (cd "$samples/$name" && "$APPDIAG" analyze . --fail-on never "${args[@]}" -o "$work/$name.$f")
    if [ "${APPDIAG_REFRESH_GOLDEN:-0}" = 1 ]; then
      cp "$work/$name.$f" "$golden/$name.$f"
      echo "refreshed $golden/$name.$f"
    fi
    check "$name.$f matches tests/golden (refresh: APPDIAG_REFRESH_GOLDEN=1)" diff -u "$golden/$name.$f" "$work/$name.$f"
  done
done
finish
