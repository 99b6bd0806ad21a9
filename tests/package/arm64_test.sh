#!/usr/bin/env bash
# The arm64 build, tested on this (amd64) machine: cross-built with Debian's multiarch
# toolchain, the decoder and store unit tests run under qemu-user, and `meterd decode` under
# qemu prints, for every hex vector in ../shared/vectors, exactly what the native build prints.
# This is the part of `bash scripts/package.sh --arch arm64` that fits the test suite's time:
# the same cross configuration, but only the targets these checks need.
#   bash tests/package/arm64_test.sh NATIVE_METERD
set -euo pipefail
cd "$(dirname "$0")/../.."
native="${1:?give the native meterd binary to compare with}"
arch=arm64
triplet=aarch64-linux-gnu
qemu=qemu-aarch64-static
bash scripts/install-deps.sh --cross "$arch" >/dev/null
build="${METERD_ARM64_BUILD_DIR:-build-$arch}"

launcher=()
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMETERD_WERROR=ON -DMETERD_BENCH=OFF \
  -DCMAKE_TOOLCHAIN_FILE="$PWD/scripts/package/cross-toolchain.cmake" -DMETERD_CROSS_TRIPLET="$triplet" \
  "${launcher[@]}" >/dev/null
targets=(meterd util_test dlms_tests dsmr_tests sml_tests dashboard_store_test)
cmake --build "$build" -j"${METERD_JOBS:-$(nproc)}" --target "${targets[@]}"
file "$build/meterd" | grep -q "ARM aarch64" || { echo "arm64_test: $build/meterd is not an arm64 binary" >&2; exit 1; }

echo "-- unit tests under $qemu"
failed=0
for t in util_test dlms_tests dsmr_tests sml_tests dashboard_store_test; do
  bin=$(find "$build/tests" -name "$t" -type f -perm -u+x | head -n1)
  if "$qemu" "$bin" --gtest_brief=1 > "$build/$t.log" 2>&1; then
    echo "$t: $(grep -Eo '[0-9]+ tests? from [0-9]+ test suites? ran' "$build/$t.log" | tail -n1), passed"
  else
    tail -n 30 "$build/$t.log"; echo "$t: FAILED under qemu"; failed=1
  fi
done

echo "-- meterd decode on the shared vectors, arm64 against $native"
vectors=../shared/vectors
if [ ! -d "$vectors" ]; then
  echo "arm64_test: SKIPPED the decode comparison: $vectors not found"
else
  compared=0
  for v in "$vectors"/*.json; do
    args=$(python3 - "$v" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
if d.get("encoding") != "hex": sys.exit(0)
keys = d.get("keys") or {}
out = ["--hex"]
if keys.get("encryption"): out += ["--key", keys["encryption"]]
if keys.get("authentication"): out += ["--auth-key", keys["authentication"]]
print(" ".join(out) + "\t" + d["data"])
PY
)
    [ -n "$args" ] || continue
    opts=${args%%$'\t'*}; data=${args#*$'\t'}
    # shellcheck disable=SC2086
    want=$(printf '%s' "$data" | "$native" decode $opts - 2>&1 || true)
    # shellcheck disable=SC2086
    got=$(printf '%s' "$data" | "$qemu" "$build/meterd" decode $opts - 2>&1 || true)
    if [ "$want" != "$got" ]; then
      echo "$(basename "$v"): arm64 output differs"; diff <(echo "$want") <(echo "$got") | head -n 10; failed=1
    fi
    compared=$((compared + 1))
  done
  echo "decode: $compared vectors, arm64 output identical to native"
fi
[ "$failed" = 0 ] || { echo "arm64_test: FAILED"; exit 1; }
echo "arm64_test: all checks passed"
