#!/usr/bin/env bash
# Many E450 CII meters read over TCP by one meterd: CPU, memory and stop time of the reading
# process. A second meterd plays the meters: N simulator instances, each a TCP "gateway"
# sending real encrypted CII pushes (HDLC + GBT, AES-GCM) every --interval seconds. The
# reading meterd runs N e450_cii sources (one per meter, as configured by an owner of N
# meters) into the file sink.
#
# Printed: CPU-seconds the reader used over the measuring window (and per 1,000 pushes), its
# share of one core, peak and current RSS, its threads (/proc/PID/status Threads:, which shows
# whether the meters share the event loop or have a thread each), readings written, and how
# long SIGTERM took.
# With --interval 3600 the meters are connected but idle: what idle readers cost.
#
# usage: cii_scale.sh [--build DIR] [--meters N] [--interval S] [--seconds S]
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
build="$here/../../build"
meters=1000
interval=5
seconds=60
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --meters) meters="$2"; shift 2 ;;
    --interval) interval="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
meterd="$build/meterd"
[ -x "$meterd" ] || { echo "build meterd first ($meterd not found)" >&2; exit 2; }
ulimit -n 65536 2>/dev/null || true

work="$(mktemp -d /tmp/meterd-cii-scale.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
key=000102030405060708090A0B0C0D0E0F

# The meters: one simulator instance each, listening on a free loopback port.
{
  echo "[meterd]"
  echo "state_dir = $work/meters-state"
  for i in $(seq 1 "$meters"); do
    printf '[source.m%d]\nplugin = simulator\nmeters = house=LGZ%013d\noutput = cii\ncii_transport = tcp\n' "$i" "$i"
    printf 'cii_link = %s/link-%d\nkey = %s\ninterval_ms = %d\n' "$work" "$i" "$key" $(( interval * 1000 ))
  done
  echo "[sink.none]"
  echo "plugin = file"
  echo "directory = $work/meters-out"
} > "$work/meters.conf"
"$meterd" --config "$work/meters.conf" > "$work/meters.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do
  [ "$(find "$work" -maxdepth 1 -name 'link-*' -size +0 2>/dev/null | wc -l)" -ge "$meters" ] && break
  sleep 0.2
done
[ "$(find "$work" -maxdepth 1 -name 'link-*' -size +0 2>/dev/null | wc -l)" -ge "$meters" ] || { echo "meters did not start"; tail "$work/meters.log"; exit 1; }

# The reader.
{
  echo "[meterd]"
  echo "state_dir = $work/reader-state"
  for i in $(seq 1 "$meters"); do
    printf '[source.m%d]\nplugin = e450_cii\ntransport = tcp\naddress = %s\nkey = %s\n' "$i" "$(cat "$work/link-$i")" "$key"
  done
  echo "[sink.out]"
  echo "plugin = file"
  echo "directory = $work/out"
} > "$work/reader.conf"
"$meterd" --config "$work/reader.conf" > "$work/reader.log" 2>&1 &
reader=$!
pids+=($reader)

cpu_s() { awk -v t="$(getconf CLK_TCK)" '{print ($14 + $15) / t}' "/proc/$1/stat"; }
written() { { cat "$work"/out/*.jsonl 2>/dev/null || true; } | wc -l; }
# Warm up: every meter connected and pushing (or, idle, connected).
sleep $(( interval < 30 ? 2 * interval + 5 : 15 ))
c0=$(cpu_s "$reader"); w0=$(written); t0=$(date +%s.%N)
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
sleep "$seconds"
c1=$(cpu_s "$reader"); w1=$(written); t1=$(date +%s.%N)
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$reader/status")
hwm_kb=$(awk '/VmHWM/ {print $2}' "/proc/$reader/status")
threads=$(awk '/Threads/ {print $2}' "/proc/$reader/status")
s0=$(date +%s.%N)
kill -TERM "$reader"
wait "$reader" || true
s1=$(date +%s.%N)
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$meters" "$interval" "$c0" "$c1" "$t0" "$t1" "$w0" "$w1" "$rss_kb" "$hwm_kb" "$s0" "$s1" "$threads" <<'EOF'
import sys
m, iv, c0, c1, t0, t1, w0, w1, rss, hwm, s0, s1, th = sys.argv[1:]
cpu, wall, pushes = float(c1) - float(c0), float(t1) - float(t0), int(w1) - int(w0)
print(f"meters {m}, a push every {iv} s each; reader threads {th}")
print(f"readings written in {wall:.0f} s: {pushes} (expected about {int(m) * wall / float(iv):.0f})")
print(f"reader CPU: {cpu:.2f} s = {100 * cpu / wall:.1f} % of one core"
      + (f", {1000 * cpu / pushes:.3f} CPU-s per 1,000 pushes" if pushes else ""))
print(f"reader RSS {int(rss) / 1024:.1f} MB (peak {int(hwm) / 1024:.1f} MB); SIGTERM to exit {float(s1) - float(s0):.2f} s")
EOF
