#!/usr/bin/env sh
# Installs the workspace's dependencies on a machine that has only Node 20 and npm.
# Native modules (sqlite3) compile from source where no prebuilt binary can be fetched:
# when the system ships Node's headers, node-gyp is pointed at them instead of downloading.
set -eu
cd "$(dirname "$0")/.."
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm -v 2>/dev/null)" != "12.4.2" ]; then
  npm install -g pnpm@12.4.2
fi
if [ -z "${npm_config_nodedir:-}" ]; then
  prefix=$(dirname "$(dirname "$(command -v node)")")
  if [ -f "$prefix/include/node/node.h" ]; then
    npm_config_nodedir=$prefix
    export npm_config_nodedir
  fi
fi
export TURBO_TELEMETRY_DISABLED=1
exec pnpm install "$@"
