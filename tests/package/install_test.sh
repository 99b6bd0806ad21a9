#!/usr/bin/env bash
# Installs the Debian package into a fresh Debian bookworm root made with debootstrap and
# checks it the way a Raspberry Pi owner uses it:
#   - lintian reports no errors; the unit passes systemd-analyze verify and its exposure
#     (systemd-analyze security) is at most 2.5;
#   - `apt install ./meterd_*.deb` pulls in every dependency; the shipped config passes
#     --check-config; meterd runs as the meterd user with it and serves the dashboard's page;
#   - the state folder is 0700 and owned by meterd; a reinstall over a running meterd leaves
#     it running, keeps an edited config and the state, and the restart after it is clean;
#     remove keeps the state, purge deletes it.
# Needs root (debootstrap, chroot, mounts). Usage: bash tests/package/install_test.sh [DEB]
set -euo pipefail
cd "$(dirname "$0")/../.."
deb="${1:-$(ls -t dist/meterd_*_"$(dpkg --print-architecture)".deb 2>/dev/null | head -n1)}"
[ -f "$deb" ] || { echo "install_test: no package; run bash scripts/package.sh first" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "install_test: SKIPPED: needs root for debootstrap and chroot"; exit 0; }

fail() { echo "install_test: FAILED: $*" >&2; exit 1; }
step() { echo "-- $*"; }

step "lintian"
lintian --fail-on error --suppress-tags-from-file /dev/null "$deb" || fail "lintian reports errors"

step "systemd unit"
unit=$(mktemp -d)
dpkg-deb -x "$deb" "$unit"
exposure=$(systemd-analyze security --offline=true "$unit/lib/systemd/system/meterd.service" 2>/dev/null |
  sed -n 's/.*Overall exposure level for meterd.service: \([0-9.]*\).*/\1/p')
echo "exposure $exposure"
awk -v e="$exposure" 'BEGIN { exit !(e != "" && e <= 2.5) }' || fail "exposure '$exposure' above 2.5"

# A fresh root, cached between runs as a tarball of what debootstrap fetched.
cache=/var/cache/meterd-test
mkdir -p "$cache"
root=$(mktemp -d /var/tmp/meterd-root.XXXXXX)
chmod 0755 "$root"
cleanup() {
  for m in var/cache/apt/archives proc dev/pts dev; do umount -l "$root/$m" 2>/dev/null || true; done
  rm -rf "$root" "$unit"
}
trap cleanup EXIT
mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1)
mirror="${mirror:-http://deb.debian.org/debian}"
tarball="$cache/bookworm-minbase.tgz"
if [ ! -s "$tarball" ]; then
  step "debootstrap --make-tarball (first run only)"
  debootstrap --variant=minbase --make-tarball="$tarball.tmp" bookworm "$(mktemp -d)" "$mirror" >/dev/null
  mv "$tarball.tmp" "$tarball"
fi
step "debootstrap bookworm into $root"
debootstrap --variant=minbase --unpack-tarball="$tarball" bookworm "$root" "$mirror" >/dev/null
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
# Downloaded packages are kept between runs.
mkdir -p "$cache/archives/partial"
mount --bind "$cache/archives" "$root/var/cache/apt/archives"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"; }

step "apt install ./$(basename "$deb")"
cp "$deb" "$root/tmp/"
in_root apt-get update -qq
# systemd first, as on a Pi, so the maintainer scripts enable the unit; a chroot does not run
# systemd, so nothing is started and the test starts meterd itself.
in_root apt-get install -y -qq --no-install-recommends systemd >/dev/null
in_root apt-get install -y -qq --no-install-recommends "/tmp/$(basename "$deb")" >/dev/null
in_root test -x /usr/bin/meterd || fail "/usr/bin/meterd missing"
in_root getent passwd meterd >/dev/null || fail "no meterd user"
in_root id -nG meterd | grep -qw dialout || fail "meterd is not in dialout"
state_mode=$(in_root stat -c '%a %U' /var/lib/meterd)
[ "$state_mode" = "700 meterd" ] || fail "state folder is $state_mode, not 700 meterd"

step "systemd-analyze verify"
in_root systemd-analyze verify --man=false /lib/systemd/system/meterd.service || fail "unit does not verify"
[ "$(in_root systemctl is-enabled meterd.service 2>/dev/null)" = enabled ] || fail "meterd.service not enabled"

step "meterd --check-config /etc/meterd/meterd.conf"
in_root meterd --check-config /etc/meterd/meterd.conf || fail "shipped config does not validate"
in_root meterd --list-plugins | grep -q dashboard || fail "plugins not found without options"

step "meterd as the meterd user with the shipped config"
# Its own network namespace, so port 8081 is free whatever else runs on this machine.
unshare --net bash -c '
  set -e
  ip link set lo up
  umask 0077  # what the unit sets (UMask=0077)
  chroot "$1" /usr/sbin/runuser -u meterd -- /usr/bin/meterd --config /etc/meterd/meterd.conf > "$1/tmp/meterd.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    if page=$(curl -fsS http://127.0.0.1:8081/ 2>/dev/null) && grep -q "<html" <<<"$page"; then ok=1; break; fi
    sleep 0.2
  done
  kill -TERM $pid; wait $pid || true
  [ "${ok:-0}" = 1 ]' _ "$root" || { cat "$root/tmp/meterd.log"; fail "dashboard page not served"; }
grep -qi "password" "$root/tmp/meterd.log" || fail "no first-start password hint in the log"
[ -z "$(find "$root/var/lib/meterd" -perm /077 -print -quit)" ] || fail "state files readable by others"

step "reinstall over a running meterd keeps an edited config and the state, then it restarts cleanly"
sed -i 's/^price = 0.30/price = 0.27/' "$root/etc/meterd/meterd.conf"
: > "$root/tmp/meterd.log"
# What systemd does on an upgrade, without systemd (a chroot has none): the package is
# installed while meterd runs, the running process is left alone by the maintainer scripts,
# then try-restart stops it with SIGTERM (it must exit 0, drained) and starts the new binary.
grep -q "try-restart 'meterd.service'" "$root/var/lib/dpkg/info/meterd.postinst" || fail "postinst does not restart an upgraded service"
unshare --net bash -c '
  set -e
  root=$1 deb=$2
  ip link set lo up
  umask 0077
  serve() {
    for _ in $(seq 1 100); do
      if page=$(curl -fsS http://127.0.0.1:8081/ 2>/dev/null) && grep -q "<html" <<<"$page"; then return 0; fi
      sleep 0.2
    done
    return 1
  }
  # setpriv execs meterd in place (runuser would stay as its parent and answer SIGTERM itself).
  start() {
    chroot "$root" /usr/bin/setpriv --reuid=meterd --regid=meterd --init-groups \
      /usr/bin/meterd --config /etc/meterd/meterd.conf >> "$root/tmp/meterd.log" 2>&1 &
    pid=$!
  }
  start
  serve || { echo "not served before the upgrade"; exit 1; }
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive dpkg -i "/tmp/$deb" >/dev/null
  kill -0 $pid || { echo "the running meterd did not survive the maintainer scripts"; exit 1; }
  serve || { echo "not served during the upgrade"; exit 1; }
  kill -TERM $pid
  rc=0; wait $pid || rc=$?
  [ $rc = 0 ] || { echo "meterd exited $rc on SIGTERM"; exit 1; }
  start
  serve || { echo "not served after the restart"; exit 1; }
  kill -TERM $pid; wait $pid' _ "$root" "$(basename "$deb")" || { tail -20 "$root/tmp/meterd.log"; fail "upgrade over a running meterd"; }
grep -q '^price = 0.27' "$root/etc/meterd/meterd.conf" || fail "config edit lost on reinstall"
[ -n "$(ls -A "$root/var/lib/meterd")" ] || fail "state lost on reinstall"
# The admin password from the first start still holds: no new one was generated.
! grep -q "shown once" "$root/tmp/meterd.log" || fail "the upgrade lost the admin password (a new one was generated)"
grep -q "password printed at the first start" "$root/tmp/meterd.log" || fail "no sign the restarted meterd kept its access state"

step "remove keeps the state, purge deletes it"
in_root apt-get remove -y -qq meterd >/dev/null
[ -d "$root/var/lib/meterd" ] && [ -n "$(ls -A "$root/var/lib/meterd")" ] || fail "remove deleted the state"
in_root apt-get purge -y -qq meterd >/dev/null
[ ! -e "$root/var/lib/meterd" ] || fail "purge left /var/lib/meterd"
[ ! -e "$root/etc/meterd/meterd.conf" ] || fail "purge left the config"
echo "install_test: all checks passed"
