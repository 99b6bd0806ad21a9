#!/usr/bin/env bash
# Disk of the dashboard store for the simulator's meters (a household and a heat pump, 17
# values a push: power, registers, voltages, currents, power factors with their decimals),
# written through the real meterd: --days of pushes every --interval-ms as fast as the sink
# takes them, every tier kept (raw_days = minute_days = quarter_days = 0). Reported after
# meterd stopped (which checkpoints the write-ahead log): allocated blocks of everything in
# the sink's state folder (du -s -B1), bytes per value for the raw chunks and for the whole
# file, and each tier's payload.
# Then the two real data sets of --data (a heat pump's 15-min energy over 2.6 years, a
# household's 1-min power, reactive power, voltage and current over two days), each imported
# by `meterd import` with its shipped mapping into a store of its own, reported the same way
# (interval energy counts as values, one per interval). --data none skips them.
# Usage: bash bench/scale/disk_bench.sh [--build build] [--days 30] [--interval-ms 5000] [--keep DIR]
#          [--data ../shared/data]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=build days=30 interval=5000 keep="" data=../shared/data
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --days) days="$2"; shift 2 ;;
    --interval-ms) interval="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    *) echo "disk_bench: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -x "$build/meterd" ] || { echo "disk_bench: no $build/meterd; build first" >&2; exit 2; }
work=${keep:-$(mktemp -d)}
mkdir -p "$work"
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT
b="$PWD/$build"
pushes=$((days * 86400000 / interval))
start=$(date -u -d "-$((days + 1)) days" +%Y-%m-%dT00:00:00)
# The sink, every tier kept.
store_conf() {
  cat <<CONF
[sink.dashboard]
plugin = dashboard
listen = 127.0.0.1
port = 0
raw_days = 0
minute_days = 0
quarter_days = 0
CONF
}
{ cat <<CONF
[meterd]
log_level = warning
state_dir = state
time_zone = Europe/Zurich
exit_when_sources_done = true
[bus]
block_ms = 600000
[source.sim]
plugin = simulator
meters = house=LGZ1030000000001,heat_pump=LGZ1030000000002
interval_ms = $interval
speed = 0
count = $pushes
start = $start
CONF
  store_conf; } > "$work/meterd.conf"
t0=$(date +%s.%N)
(cd "$work" && "$b/meterd" --plugin-dir "$b/plugins" --config meterd.conf > meterd.log 2>&1)
took=$(echo "$(date +%s.%N) - $t0" | bc)
db=$(find "$work/state" -name history.sqlite | head -n 1)
values=$(sqlite3 "$db" "SELECT SUM(points) FROM raw_chunk")
raw=$(sqlite3 "$db" "SELECT SUM(LENGTH(data)) FROM raw_chunk")
allocated=$(du -s -B1 "$(dirname "$db")"/history.sqlite* | awk '{ s += $1 } END { print s }')
echo "simulator: 2 meters, $days days every $interval ms, $values values, written in $took s"
awk -v v="$values" -v r="$raw" -v a="$allocated" 'BEGIN {
  printf "raw chunks            %.3f bytes/value (%d bytes)\n", r / v, r
  printf "whole file, allocated %.3f bytes/value (%d bytes, history.sqlite and its -wal)\n", a / v, a }'
sqlite3 "$db" "SELECT CASE tier WHEN 1 THEN '1m' WHEN 2 THEN '15m' WHEN 3 THEN '1h' ELSE '1d' END, COUNT(*), SUM(LENGTH(data)) FROM rollup GROUP BY tier" |
  awk -F'|' -v v="$values" '{ printf "rollup %-4s %8d blobs %10d bytes  %.3f bytes/value\n", $1, $2, $3, $3 / v }'
echo "sqlite pages: $(sqlite3 "$db" 'PRAGMA page_count') of $(sqlite3 "$db" 'PRAGMA page_size') bytes, $(sqlite3 "$db" 'PRAGMA freelist_count') free"
grep -i 'dropped' "$work/meterd.log" || true

# The real data sets, each through `meterd import` into a store of its own.
import_real() {  # name, mapping, file
  local dir="$work/real-$1" db values raw allocated
  mkdir -p "$dir"
  { cat "$2"; printf '[meterd]\nlog_level = warning\nstate_dir = state\n'; store_conf; } > "$dir/import.conf"
  (cd "$dir" && "$b/meterd" import --plugin-dir "$b/plugins" --config import.conf "$3" > import.log 2>&1) ||
    { echo "disk_bench: import of $3 failed:"; cat "$dir/import.log"; exit 1; }
  db=$(find "$dir/state" -name history.sqlite | head -n 1)
  values=$(sqlite3 "$db" "SELECT (SELECT COALESCE(SUM(points),0) FROM raw_chunk) + (SELECT COUNT(*) FROM interval_energy)")
  raw=$(sqlite3 "$db" "SELECT COALESCE(SUM(LENGTH(data)),0) FROM raw_chunk")
  allocated=$(du -s -B1 "$(dirname "$db")"/history.sqlite* | awk '{ s += $1 } END { print s }')
  awk -v n="$1" -v v="$values" -v r="$raw" -v a="$allocated" 'BEGIN {
    printf "%-10s %8d values  raw chunks %.3f bytes/value  whole file, allocated %.3f bytes/value (%d bytes)\n", n, v, (v ? r / v : 0), a / v, a }'
}
if [ "$data" != none ]; then
  [ -d "$data" ] || { echo "disk_bench: no data folder $data (--data none skips the real data sets)" >&2; exit 2; }
  maps="$PWD/plugins/sources/ekz_history/examples"
  echo "real data sets through meterd import:"
  import_real heatpump "$maps/heatpump-15min.conf" "$(cd "$data" && pwd)/ch-heatpump-15min-2021-2023.csv"
  import_real household "$maps/household-1min.conf" "$(cd "$data" && pwd)/household-1min-2007-02-01_02.txt"
fi
echo "machine: $(nproc) cores, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
