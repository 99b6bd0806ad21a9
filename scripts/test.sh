#!/usr/bin/env bash
# The README's second command: builds with warnings as errors and with AddressSanitizer and
# UndefinedBehaviorSanitizer, runs the whole suite under them, then runs each fuzzer for a
# bounded time, then builds the Debian package and installs it into a fresh Debian root, and
# tests the arm64 cross-build under qemu. Tests start the servers they need (mosquitto,
# influxd, Chromium) themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs="${METERD_JOBS:-$(nproc)}"
fuzz_seconds="${METERD_FUZZ_SECONDS:-60}"

echo "== build and test, under AddressSanitizer and UndefinedBehaviorSanitizer =="
# One build serves both: every test runs with the sanitizers watching, warnings are errors,
# and -O1 keeps it quick to compile and its stack traces readable.
METERD_BUILD_DIR=build-asan METERD_BUILD_TYPE=Debug bash scripts/build.sh -DMETERD_WERROR=ON \
  -DMETERD_SANITIZE=ON -DMETERD_BENCH=OFF -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"

echo "== fuzzing (${fuzz_seconds}s per target) =="
launcher=()
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DMETERD_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
cmake --build build-fuzz -j"$jobs"
for fuzzer in build-fuzz/tests/fuzz/*_fuzzer; do
  name=$(basename "$fuzzer")
  mkdir -p "build-fuzz/corpus/$name"
  echo "-- $name"
  if ! "$fuzzer" -max_total_time="$fuzz_seconds" -rss_limit_mb=1024 -max_len=8192 -print_final_stats=1 \
      "build-fuzz/corpus/$name" > "build-fuzz/$name.log" 2>&1; then
    tail -n 40 "build-fuzz/$name.log"
    echo "fuzzer $name found a problem (log: build-fuzz/$name.log)"
    exit 1
  fi
  grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "build-fuzz/$name.log" || true
done
echo "== Debian package: built, checked with lintian, installed into a fresh Debian root =="
bash scripts/package.sh
bash tests/package/install_test.sh
echo "== arm64: cross-built with Debian's multiarch toolchain, tested under qemu-user =="
bash tests/package/arm64_test.sh "build-pkg-$(dpkg --print-architecture)/meterd"
echo "all tests, sanitizer runs, fuzzers and package checks passed"
