#!/usr/bin/env bash
# `cmake --install` into a temporary prefix: the files land where they should,
# the installed binary is stripped and runs a sample, and the man page and both
# shell completions name exactly the options each command's --help lists.
source "$(dirname "$0")/common.sh"

prefix=$work/prefix
cmake --install "$APPDIAG_BUILD_DIR" --prefix "$prefix" --strip >"$work/install.log" 2>&1 ||
  { cat "$work/install.log" >&2; echo "FAIL: cmake --install" >&2; exit 1; }
man_page=$prefix/share/man/man1/appdiag.1
bash_completion=$prefix/share/bash-completion/completions/appdiag
zsh_completion=$prefix/share/zsh/vendor-completions/_appdiag
for f in bin/appdiag share/man/man1/appdiag.1 share/bash-completion/completions/appdiag \
  share/zsh/vendor-completions/_appdiag share/doc/appdiag/README.md share/doc/appdiag/LICENSE; do
  check "installed $f" test -s "$prefix/$f"
done
check "installed binary is stripped" bash -c "! readelf -S '$prefix/bin/appdiag' | grep -q '\.debug_info\|\.symtab'"
check "installed --version is the build's" test "$("$prefix/bin/appdiag" --version)" = "$("$APPDIAG" --version)"
check "--version names version, commit and Hyperscan" \
  grep -Eq '^appdiag [0-9]+\.[0-9]+\.[0-9]+ \(commit [0-9a-f]{12}|unknown, Hyperscan (on|off)\)$' <<<"$("$APPDIAG" --version)"
"$prefix/bin/appdiag" analyze "$failing" >"$work/report.txt"
check "installed binary diagnoses a sample (exit 1)" test $? = 1
check "installed binary names the root cause" grep -q "ROOT CAUSE \[error\] module-not-found" "$work/report.txt"

# The command paths and, for each, the options its --help lists.
paths=("" analyze scan explain startup rules "rules check" "rules list" "rules patterns" "rules show" "rules new" "rules export" fleet diff help)
help_options() {  # PATH -> one option per line, sorted
  # shellcheck disable=SC2086  # the path is words
  "$APPDIAG" $1 --help | grep -oE '^ +(-[A-Za-z],)?--[a-z][a-z-]*' | tr ',' '\n' | tr -d ' ' | sort -u
}
help_subcommands() {  # PATH -> its subcommands, from the Subcommands: section
  # shellcheck disable=SC2086
  "$APPDIAG" $1 --help | sed -n '/^Subcommands:/,$p' | grep -oE '^  [a-z]+' | tr -d ' ' | sort -u
}
for p in "${paths[@]}"; do help_options "$p" >"$work/help.${p// /_}"; done
check "help lists options (parser sanity)" grep -qx -- '--fail-on' "$work/help.analyze"
check "help lists subcommands (parser sanity)" grep -qx 'export' <(help_subcommands rules)

# Man page: renders without warnings, names every option of every --help, and no other.
LC_ALL=C.UTF-8 MANWIDTH=100 man --warnings -E UTF-8 -l "$man_page" >"$work/man.txt" 2>"$work/man.err"
check "man page renders" test -s "$work/man.txt"
check "man page renders without warnings" test ! -s "$work/man.err"
grep -oE '\\-\\-[a-z][a-z\\-]*|(^|[^\\a-z])\\-[a-zA-Z]\b' "$man_page" | sed -E 's/^[^\\]//; s/\\//g' | sort -u >"$work/man.options"
cat "$work"/help.* | sort -u >"$work/help.all"
missing=$(comm -23 "$work/help.all" "$work/man.options")
check "man page names every --help option (missing: ${missing//$'\n'/ })" test -z "$missing"
extra=$(comm -13 "$work/help.all" "$work/man.options")
check "man page names no option --help lacks (extra: ${extra//$'\n'/ })" test -z "$extra"
for p in analyze scan explain startup fleet diff "rules export" "rules new"; do
  check "man page has a section for $p" grep -qE "^\.(SS|SH|B|TP).*\b${p#rules }\b" "$man_page"
done

# bash: complete `appdiag PATH -` and `appdiag PATH ` through the real completion function.
bash_complete() {  # WORDS... -> candidates for the last word, sorted
  bash -c 'source "$1"; shift; COMP_WORDS=(appdiag "$@"); COMP_CWORD=$#; _appdiag; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$bash_completion" "$@" | sort -u
}
for p in "${paths[@]}"; do
  # shellcheck disable=SC2086
  got=$(bash_complete $p -)
  check "bash completes the options of '$p'" test "$got" = "$(cat "$work/help.${p// /_}")"
done
check "bash completes the subcommands" test "$(bash_complete '')" = "$(help_subcommands '')"
check "bash completes the rules subcommands" test "$(bash_complete rules '')" = "$(help_subcommands rules)"
check "bash completes format names" test "$(bash_complete analyze --format j)" = "$(printf 'json\njunit')"

# zsh: the file parses, and each command offers the options --help lists
# (_arguments and _describe replaced by stubs that print their specs).
if command -v zsh >/dev/null; then
  check "zsh completion parses" zsh -n "$zsh_completion"
  zsh_options() {  # WORDS... -> option names in the specs offered for the last word
    zsh -fc '_arguments() { print -rl -- "$@" }; _describe() { print -rl -- ${(P)2} }; _files() {}
      f=$1; shift; words=(appdiag "$@"); CURRENT=${#words}; source $f' _ "$zsh_completion" "$@" |
      sed -E 's/^\([^)]*\)//; s/^\*//' | grep -oE '^--?[A-Za-z][a-z-]*' | sort -u
  }
  for p in "${paths[@]}"; do
    [ -z "$p" ] && continue
    # shellcheck disable=SC2086
    got=$(zsh_options $p -)
    check "zsh offers the options of '$p'" test "$got" = "$(cat "$work/help.${p// /_}")"
  done
  check "zsh offers the top-level options" test "$(zsh_options -)" = "$(cat "$work/help.")"
else
  echo "zsh not installed: zsh completion not checked (tests/scripts/setup.sh installs it)"
fi

finish
