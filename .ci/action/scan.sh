#!/usr/bin/env bash
# Runs `appdiag scan` over the given logs for a CI step (the GitHub Action and
# the Azure Pipelines template both call this): findings in the job log,
# SARIF to APPDIAG_SARIF_FILE, the Markdown report as the job summary.
# Exits as appdiag does: 0 clean, 1 findings at or above APPDIAG_FAIL_ON, 2 bad input.
# Env: APPDIAG_LOGS (files, bundles or globs, separated by spaces or newlines),
#      APPDIAG_FORMAT (what the job log shows; default github on GitHub, else text),
#      APPDIAG_FAIL_ON (default error), APPDIAG_SARIF_FILE (default appdiag.sarif).
set -uo pipefail
: "${APPDIAG_LOGS:?appdiag: logs: no log files given}"
if [ -n "${GITHUB_ACTIONS:-}" ]; then format=${APPDIAG_FORMAT:-github}; else format=${APPDIAG_FORMAT:-text}; fi
sarif=${APPDIAG_SARIF_FILE:-appdiag.sarif}
temp=${RUNNER_TEMP:-${AGENT_TEMPDIRECTORY:-${TMPDIR:-/tmp}}}
markdown=$temp/appdiag-report.md

# Word splitting and globbing of the input are wanted: "LogFiles/*.log deploy.log".
# shellcheck disable=SC2206
logs=($APPDIAG_LOGS)
appdiag scan --follow "${logs[@]}" --fail-on "${APPDIAG_FAIL_ON:-error}" \
  --format "sarif=$sarif" --format "markdown=$markdown" --format "$format"
rc=$?

if [ -s "$markdown" ]; then
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$markdown" >>"$GITHUB_STEP_SUMMARY"
  elif [ -n "${TF_BUILD:-}" ]; then echo "##vso[task.uploadsummary]$markdown"
  fi
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  { echo "sarif-file=$sarif"; echo "markdown-file=$markdown"; echo "exit-code=$rc"; } >>"$GITHUB_OUTPUT"
elif [ -n "${TF_BUILD:-}" ]; then
  echo "##vso[task.setvariable variable=appdiagExitCode;isoutput=true]$rc"
fi
exit "$rc"
