#!/usr/bin/env bash
# Installs everything meterd needs to build, test and run, from Debian bookworm packages
# and (for the dashboard front end) the npm registry. Safe to run again.
set -euo pipefail

# --cross ARCH: also what cross-building for ARCH (e.g. arm64) and running its tests under
# qemu needs: the cross compiler, the :ARCH libraries (multiarch) and qemu-user-static.
cross=""
if [ "${1:-}" = "--cross" ]; then cross="${2:?--cross needs an architecture, e.g. arm64}"; fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PACKAGES=(
  build-essential cmake pkg-config git ca-certificates
  libboost1.81-dev libboost-program-options1.81-dev libboost-filesystem1.81-dev
  libboost-system1.81-dev
  libprotobuf-dev protobuf-compiler
  libzmq3-dev cppzmq-dev
  libcurl4-openssl-dev libssl-dev zlib1g-dev
  libsqlite3-dev sqlite3 nlohmann-json3-dev tzdata
  libmosquitto-dev
  libgtest-dev libgmock-dev googletest
  clang libclang-rt-14-dev
  socat ccache openssl nginx
  mosquitto mosquitto-clients influxdb python3-aiosmtpd
  chromium
  debootstrap lintian fakeroot
)
# Node.js may come from elsewhere (e.g. a newer nodejs that bundles npm); only add Debian's if absent.
command -v node >/dev/null || PACKAGES+=(nodejs)
command -v npm >/dev/null || PACKAGES+=(npm)

if [ -n "$cross" ]; then
  PACKAGES+=(crossbuild-essential-"$cross" qemu-user-static)
  for lib in libboost1.81-dev libboost-program-options1.81-dev libboost-filesystem1.81-dev \
      libboost-system1.81-dev libprotobuf-dev libzmq3-dev libcurl4-openssl-dev libssl-dev zlib1g-dev \
      libsqlite3-dev libmosquitto-dev libgtest-dev libgmock-dev pkg-config; do
    PACKAGES+=("$lib:$cross")
  done
fi

export DEBIAN_FRONTEND=noninteractive
if [ -n "$cross" ] && ! dpkg --print-foreign-architectures | grep -qx "$cross"; then
  $SUDO dpkg --add-architecture "$cross"
fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "meterd: installing ${missing[*]}"
  $SUDO apt-get update -qq
  # Debian starts packaged servers on install where it can; meterd's tests start their own.
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "meterd: dependencies present"
