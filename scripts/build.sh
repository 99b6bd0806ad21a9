#!/usr/bin/env bash
# Configures and builds meterd into ./build (or $METERD_BUILD_DIR), front end included.
# Extra arguments go to cmake's configure step, e.g. -DMETERD_SANITIZE=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${METERD_BUILD_DIR:-build}"
jobs="${METERD_JOBS:-$(nproc)}"
web=plugins/sinks/dashboard/web
if [ -f "$web/package.json" ] && [ "${METERD_SKIP_WEB:-0}" != 1 ]; then
  echo "meterd: building the dashboard front end"
  (cd "$web" && { [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; } && npm run --silent build)
fi
launcher=()
if command -v ccache >/dev/null; then
  # Rebuilds of the same sources (a second clone, the sanitizer build's unchanged parts) come
  # from the cache; paths are made relative to the clone so clones share entries.
  export CCACHE_BASEDIR="$PWD" CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-8G}" CCACHE_NOHASHDIR=1
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE="${METERD_BUILD_TYPE:-RelWithDebInfo}" "${launcher[@]}" "$@" >/dev/null
cmake --build "$build" -j"$jobs"
