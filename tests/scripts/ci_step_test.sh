#!/usr/bin/env bash
# The CI steps others use — action.yml (composite GitHub Action) and
# .azure-pipelines/appdiag.yml — run by ci_steps.py as the runners would, with
# the environment variables GitHub and Azure set pointing into the temp folder:
# exit codes, SARIF, the job summary, outputs, and both install branches.
source "$(dirname "$0")/common.sh"
here=$(cd "$(dirname "$0")" && pwd)
python3 -c 'import yaml' 2>/dev/null || { echo "FAIL: python3 yaml missing (tests/scripts/setup.sh installs python3-yaml)" >&2; exit 1; }

mkdir -p "$work/bin" "$work/ws"
ln -s "$APPDIAG" "$work/bin/appdiag"
base_path=$PATH
case_no=0
# github_step [NAME=VALUE...]: runs action.yml in a fresh workspace as GitHub
# would; output in $ws/log, $ws/err; sets $rc.
github_step() {
  case_no=$((case_no + 1)); ws=$work/ws/$case_no; mkdir -p "$ws/runner"
  (cd "$ws" && env -i PATH="${STEP_PATH:-$work/bin:$base_path}" HOME="$ws" GITHUB_ACTIONS=true CI=true \
    GITHUB_WORKSPACE="$ws" RUNNER_TEMP="$ws/runner" GITHUB_STEP_SUMMARY="$ws/runner/summary.md" \
    GITHUB_OUTPUT="$ws/runner/output" GITHUB_PATH="$ws/runner/path" GITHUB_ENV="$ws/runner/env" \
    ${APPDIAG_BUILD:+APPDIAG_BUILD="$APPDIAG_BUILD"} ${APPDIAG_PREFIX:+APPDIAG_PREFIX="$APPDIAG_PREFIX"} \
    python3 "$here/ci_steps.py" github "$APPDIAG_SOURCE_DIR/action.yml" "$@" >"$ws/log" 2>"$ws/err")
  rc=$?
}
azure_step() {
  case_no=$((case_no + 1)); ws=$work/ws/$case_no; mkdir -p "$ws/agent" "$ws/staging" "$ws/sources"
  (cd "$ws/sources" && env -i PATH="$work/bin:$base_path" HOME="$ws" TF_BUILD=True \
    BUILD_SOURCESDIRECTORY="$ws/sources" BUILD_ARTIFACTSTAGINGDIRECTORY="$ws/staging" AGENT_TEMPDIRECTORY="$ws/agent" \
    python3 "$here/ci_steps.py" azure "$APPDIAG_SOURCE_DIR/.azure-pipelines/appdiag.yml" source="$APPDIAG_SOURCE_DIR" "$@" >"$ws/log" 2>"$ws/err")
  rc=$?
}
sarif_names() {  # SARIF FILE RULE: the file is SARIF 2.1.0 with a result for RULE
  python3 - "$1" "$2" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["version"] == "2.1.0", doc.get("version")
assert sys.argv[2] in [r["ruleId"] for r in doc["runs"][0]["results"]]
PY
}

# A failing bundle with the defaults: the step fails, annotations in the log,
# SARIF where asked, the Markdown report in the job summary, outputs set.
github_step logs="$failing"
check "github: failing bundle fails the step (rc $rc)" test "$rc" = 1
check "github: annotations in the job log" grep -q '^::error.*module-not-found' "$ws/log"
check "github: SARIF written relative to the workspace" sarif_names "$ws/appdiag.sarif" module-not-found
check "github: summary holds the Markdown report" grep -q 'module-not-found' "$ws/runner/summary.md"
check "github: summary is Markdown" grep -q '^#' "$ws/runner/summary.md"
check "github: outputs" grep -qx 'exit-code=1' "$ws/runner/output"
check "github: sarif-file output" grep -qx 'sarif-file=appdiag.sarif' "$ws/runner/output"
check "github: install step used appdiag on PATH" grep -q "appdiag: using $work/bin/appdiag" "$ws/log"

github_step logs="$healthy"
check "github: healthy bundle passes (rc $rc)" test "$rc" = 0
check "github: healthy summary written" test -s "$ws/runner/summary.md"
check "github: exit-code 0" grep -qx 'exit-code=0' "$ws/runner/output"

github_step logs="$failing" fail-on=never sarif-file=x.sarif format=text
check "github: fail-on never passes (rc $rc)" test "$rc" = 0
check "github: format text in the log" grep -q 'ROOT CAUSE' "$ws/log"
check "github: sarif-file input honoured" sarif_names "$ws/x.sarif" module-not-found

# Globs and several files, separated by newlines and spaces.
github_step logs="$failing/LogFiles/*.log
$failing/deployments/*/log.log"
check "github: globbed logs fail the step (rc $rc)" test "$rc" = 1
check "github: globbed logs reach SARIF" sarif_names "$ws/appdiag.sarif" module-not-found

github_step logs="$work/no-such.log"
check "github: missing log is exit 2 (rc $rc)" test "$rc" = 2
check "github: missing log is a one-line error" grep -q '^appdiag: .*no-such.log' "$ws/log" "$ws/err"

github_step
check "github: logs is required (structure error $rc)" test "$rc" = 3
github_step logs=x bogus=1
check "github: undeclared input refused ($rc)" test "$rc" = 3

# Azure Pipelines: the same scripts; summary and variables through ##vso commands.
azure_step logs="$failing"
check "azure: failing bundle fails the step (rc $rc)" test "$rc" = 1
check "azure: summary attached" grep -qx "##vso\[task.uploadsummary\]$ws/agent/appdiag-report.md" "$ws/log"
check "azure: summary is the Markdown report" grep -q 'module-not-found' "$ws/agent/appdiag-report.md"
check "azure: SARIF in the staging folder" sarif_names "$ws/staging/appdiag.sarif" module-not-found
check "azure: exit code variable" grep -qx '##vso\[task.setvariable variable=appdiagExitCode;isoutput=true\]1' "$ws/log"
check "azure: text report in the log" grep -q 'ROOT CAUSE' "$ws/log"
azure_step logs="$healthy" failOn=warning
check "azure: healthy bundle passes (rc $rc)" test "$rc" = 0
azure_step logs="$failing" failOn=sometimes
check "azure: failOn outside its values refused (rc $rc)" test "$rc" = 3

# Install by building: no appdiag on PATH, the test's build folder reused;
# installed into a prefix in the temp folder and put on the next step's PATH.
# (package_test.sh may have /usr/bin/appdiag installed for a moment: take its lock.)
exec 9>"$APPDIAG_BUILD_DIR/package_test.lock"
flock 9
if ! command -v appdiag >/dev/null; then
  STEP_PATH=$base_path APPDIAG_BUILD=$APPDIAG_BUILD_DIR APPDIAG_PREFIX=$work/prefix github_step logs="$failing"
  check "github build branch: step result (rc $rc)" test "$rc" = 1
  check "github build branch: installed into the prefix" test -x "$work/prefix/bin/appdiag"
  check "github build branch: bin added to GITHUB_PATH" grep -qx "$work/prefix/bin" "$ws/runner/path"
  check "github build branch: installed binary ran the scan" sarif_names "$ws/appdiag.sarif" module-not-found
else
  echo "an appdiag is installed on PATH ($(command -v appdiag)): build branch not checked"
fi
flock -u 9

finish
