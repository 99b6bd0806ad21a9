#!/usr/bin/env bash
# Builds the Debian package dist/meterd_<version>_<arch>.deb: the binary, the plugins, the
# built front end, the service unit, /etc/meterd/meterd.conf as a conffile, the man page.
#   bash scripts/package.sh                 # for this machine's architecture
#   bash scripts/package.sh --arch arm64    # cross-built with Debian's multiarch toolchain
# Dependencies come from dpkg-shlibdeps, so `apt install ./dist/meterd_*.deb` pulls in what
# the binaries link.
set -euo pipefail
cd "$(dirname "$0")/.."
arch=$(dpkg --print-architecture)
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) arch="$2"; shift 2 ;;
    --arch=*) arch="${1#--arch=}"; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "package.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
native=$(dpkg --print-architecture)
bash scripts/install-deps.sh $([ "$arch" != "$native" ] && echo "--cross $arch")

multiarch=$(dpkg-architecture -a"$arch" -qDEB_HOST_MULTIARCH 2>/dev/null)
version=$(sed -n 's/^project(meterd VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
build="${METERD_PKG_BUILD_DIR:-build-pkg-$arch}"
stage="$build/stage"
cross=()
if [ "$arch" != "$native" ]; then
  cross=(-DCMAKE_TOOLCHAIN_FILE="$PWD/scripts/package/cross-toolchain.cmake" -DMETERD_CROSS_TRIPLET="$multiarch")
fi

echo "meterd: building $version for $arch ($multiarch) in $build"
METERD_BUILD_DIR="$build" METERD_BUILD_TYPE=RelWithDebInfo bash scripts/build.sh \
  -DCMAKE_INSTALL_PREFIX=/usr -DCMAKE_INSTALL_LIBDIR="lib/$multiarch" -DCMAKE_INSTALL_SYSCONFDIR=/etc \
  -DMETERD_PACKAGE=ON -DMETERD_TESTS=OFF -DMETERD_BENCH=OFF -DMETERD_WERROR=ON "${cross[@]}"

rm -rf "$stage"
DESTDIR="$PWD/$stage" cmake --install "$build" --strip >/dev/null
# The plugin SDK (headers, CMake package) is for building plugins, not for running meterd.
rm -rf "$stage/usr/include" "$stage/usr/lib/$multiarch/cmake"
# The libraries are meterd's own, found through the binaries' RUNPATH; link-time files stay out.
find "$stage/usr/lib/$multiarch/meterd" -maxdepth 1 \( -name 'libmeterd_*.so' -o -name '*.a' \) -delete

pkg=scripts/package
# Who built the package, as Debian's tools take it (DEBFULLNAME, DEBEMAIL), else git's user.
maintainer="${DEBFULLNAME:-$(git config user.name || true)} <${DEBEMAIL:-$(git config user.email || true)}>"
[ "$maintainer" != " <>" ] || maintainer="meterd developers <meterd@example.org>"
doc="$stage/usr/share/doc/meterd"
install -D -m 0644 configs/meterd.conf "$stage/etc/meterd/meterd.conf"
install -D -m 0644 "$pkg/meterd.service" "$stage/lib/systemd/system/meterd.service"
install -D -m 0644 "$pkg/99-meterd-serial.rules" "$doc/examples/99-meterd-serial.rules"
install -D -m 0644 README.md "$doc/README.md"
install -m 0644 docs/install-raspberry-pi.md docs/connect-your-meter.md docs/alerts.md "$doc/"
install -m 0644 "$pkg/copyright" "$doc/copyright"
printf 'meterd (%s) unstable; urgency=medium\n\n  * Built from commit %s.\n\n -- %s  %s\n' \
  "$version" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" "$maintainer" "$(date -R)" |
  gzip -9n > "$doc/changelog.gz"
install -d "$stage/usr/share/man/man1"
gzip -9n -c "$pkg/meterd.1" > "$stage/usr/share/man/man1/meterd.1.gz"
chmod 0644 "$doc"/*.md "$doc/changelog.gz" "$stage/usr/share/man/man1/meterd.1.gz"

# Dependencies from what the ELF files link (run where dpkg-shlibdeps expects debian/control).
libdir=$(readlink -f "$stage/usr/lib/$multiarch/meterd")
mapfile -t elfs < <(find "$PWD/$stage/usr/bin" "$libdir" -type f \( -name meterd -o -name '*.so*' \) | sort)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/debian"
printf 'Source: meterd\n\nPackage: meterd\nArchitecture: any\n' > "$work/debian/control"
shlibs=$(cd "$work" && DEB_HOST_ARCH="$arch" DEB_HOST_MULTIARCH="$multiarch" dpkg-shlibdeps -O -l"$libdir" --ignore-missing-info "${elfs[@]}" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "package.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

mkdir -p "$stage/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat > "$stage/DEBIAN/control" <<CONTROL
Package: meterd
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $size
Depends: $shlibs, adduser, tzdata
Suggests: mosquitto, influxdb
Section: net
Priority: optional
Description: read your own electricity smart meter and keep its history
 meterd reads a smart meter through its local customer interface (the Swiss
 CII of the Landis+Gyr E450 and its relatives, DSMR P1, SML), stores the
 readings, forwards them to MQTT, InfluxDB, Prometheus or files, and serves a
 dashboard with an admin login and revocable share links. It runs as the
 system service meterd.service, configured in /etc/meterd/meterd.conf.
CONTROL
echo /etc/meterd/meterd.conf > "$stage/DEBIAN/conffiles"
install -m 0755 "$pkg/postinst" "$pkg/prerm" "$pkg/postrm" "$stage/DEBIAN/"
(cd "$stage" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | sort -z | xargs -0 md5sum) > "$stage/DEBIAN/md5sums"
chmod 0644 "$stage/DEBIAN/control" "$stage/DEBIAN/conffiles" "$stage/DEBIAN/md5sums"
find "$stage" -type d -exec chmod 0755 {} +

mkdir -p dist
deb="dist/meterd_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "meterd: wrote $deb"
