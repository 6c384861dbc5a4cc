# bash completion for appdiag. Installed as
# share/bash-completion/completions/appdiag; tests/scripts/install_test.sh
# checks that each subcommand offers exactly the options its --help lists.

_appdiag_options() {  # the options of one (sub)command path
  local common="--as --rules -j --jobs --no-redact -i --identity --known-hosts --accept-new-host-key
    --site-root --logs-root --deployments-root --max-log-bytes --byte-budget --connect-timeout --timeout
    --save-bundle -h --help"
  case $1 in
    analyze) echo "$common -f --format -o --output --fail-on --baseline --only --skip --since --until --instance" ;;
    scan) echo "--as --rules -j --jobs --no-redact -f --format -o --output --fail-on --follow --baseline --only --skip -h --help" ;;
    explain | startup) echo "$common" ;;
    rules) echo "-h --help" ;;
    "rules check") echo "-h --help" ;;
    "rules list" | "rules patterns" | "rules show") echo "--rules -h --help" ;;
    help) echo "-h --help" ;;
    "rules new") echo "--rules-dir --samples-dir -h --help" ;;
    "rules export") echo "--format --rules --only -o --output -h --help" ;;
    fleet) echo "-j --jobs --rules -o --output --summary --fail-on --progress -h --help" ;;
    diff) echo "-f --format -o --output --fail-on --rules -j --jobs -h --help" ;;
    *) echo "-h --help --version" ;;
  esac
}

_appdiag() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} cmd="" i w
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    case $w in
      -*) ;;
      analyze | scan | explain | startup | rules | fleet | diff | help) [[ -z $cmd ]] && cmd=$w ;;
      check | list | show | patterns | new | export) [[ $cmd == rules ]] && cmd="rules $w" ;;
    esac
  done
  case $prev in
    -f | --format)
      if [[ $cmd == "rules export" ]]; then COMPREPLY=($(compgen -W kql -- "$cur")); return; fi
      if [[ $cmd == diff ]]; then COMPREPLY=($(compgen -W "text json" -- "$cur")); return; fi
      COMPREPLY=($(compgen -W "text json markdown html sarif junit github" -- "$cur")); return ;;
    --fail-on) COMPREPLY=($(compgen -W "error warning info never" -- "$cur")); return ;;
    --progress) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
    --as) COMPREPLY=($(compgen -W "deploy= platform= app= listing= settings=" -- "$cur")); compopt -o nospace 2>/dev/null; return ;;
    --rules | --rules-dir | --samples-dir | --save-bundle | --site-root | --logs-root | --deployments-root)
      COMPREPLY=($(compgen -d -- "$cur")); return ;;
    -o | --output | --baseline | -i | --identity | --known-hosts | --summary)
      COMPREPLY=($(compgen -f -- "$cur")); return ;;
    -j | --jobs | --max-log-bytes | --byte-budget | --connect-timeout | --timeout | --only | --skip | --since | --until | --instance) return ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_appdiag_options "$cmd")" -- "$cur"))
  elif [[ -z $cmd ]]; then
    COMPREPLY=($(compgen -W "analyze scan explain startup rules fleet diff help" -- "$cur"))
  elif [[ $cmd == rules ]]; then
    COMPREPLY=($(compgen -W "check list show patterns new export" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))  # sources, files, bundles
  fi
}
complete -F _appdiag appdiag
