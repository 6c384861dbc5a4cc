#!/usr/bin/env bash
# Installs the Node tools the tests use (ajv-cli + ajv-formats for SARIF,
# Microsoft's SARIF Multitool for SARIF as GitHub ingests it, the Kusto
# language service for exported KQL)
# once into $1 (default: build/node_tools) from the npm registry and prints
# the folder. Later runs reuse it.
set -euo pipefail
dir=${1:-${APPDIAG_BUILD_DIR:-build}/node_tools}
multitool=$dir/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ ! -x "$dir/node_modules/.bin/ajv" ] || [ ! -d "$dir/node_modules/ajv-formats" ] ||
   [ ! -d "$dir/node_modules/@kusto/language-service-next" ] || [ ! -f "$multitool" ]; then
  mkdir -p "$dir"
  npm install --silent --no-audit --no-fund --prefix "$dir" ajv-cli@5 ajv-formats@2 @kusto/language-service-next \
    @microsoft/sarif-multitool-linux@5 >&2
fi
# The package's postinstall only makes the binary executable, and npm may
# be set not to run install scripts: do it here.
[ -x "$multitool" ] || chmod u+x "$multitool"
echo "$dir"
