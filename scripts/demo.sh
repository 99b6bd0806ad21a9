#!/usr/bin/env bash
# The README's first command: installs what meterd needs, builds it and runs the demo
# pipeline in configs/demo.conf until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh -DMETERD_TESTS=OFF -DMETERD_BENCH=OFF
exec ./build/meterd --config configs/demo.conf
