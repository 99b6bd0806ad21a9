#!/usr/bin/env bash
# The dashboard store against InfluxDB 1.x on the same data and the same three questions:
#   1. daily energy for a year (2 meters)   2. a week of power at 1 min   3. one day of raw power
# Loads a year (or --days N) of 5-second data for two meters into both, prints the median of
# 11 runs of each query side by side, and the disk each needs.
#
# usage: compare_influxdb.sh [--build DIR] [--days N] [--keep]
#   DIR defaults to ../../build relative to this script; needs dashboard_store_bench built.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
build="$here/../../build"
days=365
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --days) days="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
bench="$build/bench/dashboard/dashboard_store_bench"
[ -x "$bench" ] || { echo "build dashboard_store_bench first ($bench not found)" >&2; exit 2; }
command -v influxd >/dev/null || { echo "influxd not installed" >&2; exit 2; }

work="$(mktemp -d /tmp/meterd-compare.XXXXXX)"
influx_pid=""
cleanup() {
  if [ -n "$influx_pid" ]; then kill "$influx_pid" 2>/dev/null || true; wait "$influx_pid" 2>/dev/null || true; fi
  [ "$keep" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT

# A free loopback port: ask the kernel for one.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http_port="$(free_port)"
rpc_port="$(free_port)"

echo "== meterd dashboard store ($days days, 5 s, 2 meters x power + energy register)"
"$bench" --dir "$work/meterd" --days "$days" --lines "$work/lines.txt" | tee "$work/meterd.txt"

cat > "$work/influxdb.conf" <<EOF
reporting-disabled = true
bind-address = "127.0.0.1:$rpc_port"
[meta]
  dir = "$work/influx/meta"
[data]
  dir = "$work/influx/data"
  wal-dir = "$work/influx/wal"
  index-version = "tsi1"
  query-log-enabled = false
  trace-logging-enabled = false
[http]
  bind-address = "127.0.0.1:$http_port"
  log-enabled = false
[monitor]
  store-enabled = false
[continuous_queries]
  enabled = false
EOF
influxd -config "$work/influxdb.conf" > "$work/influxd.log" 2>&1 &
influx_pid=$!
url="http://127.0.0.1:$http_port"
for _ in $(seq 1 100); do curl -sf "$url/ping" >/dev/null && break; sleep 0.2; done
curl -sf "$url/ping" >/dev/null || { echo "influxd did not start:"; cat "$work/influxd.log"; exit 1; }
curl -sf -XPOST "$url/query" --data-urlencode "q=CREATE DATABASE bench" >/dev/null

echo
echo "== InfluxDB $(influxd version 2>/dev/null | head -1)"
split -l 50000 "$work/lines.txt" "$work/chunk."
start=$(date +%s.%N)
for f in "$work"/chunk.*; do
  curl -sf -XPOST "$url/write?db=bench&precision=ms" --data-binary @"$f" >/dev/null
  rm -f "$f"
done
end=$(date +%s.%N)
values=$(( $(wc -l < "$work/lines.txt") * 2 ))
python3 -c "print('ingest                 %.0f values/s (%.1f s over HTTP)' % ($values/($end-$start), $end-$start))"
rm -f "$work/lines.txt"

# The bench's time range: from 2023-01-01T00:00+01:00 for $days days (ms).
t0=1672527600000
t_end=$(( t0 + days * 86400000 ))
q_year="SELECT spread(active_energy_import) FROM reading WHERE time >= ${t0}ms AND time < ${t_end}ms GROUP BY time(1d), meter tz('Europe/Zurich')"
q_week="SELECT mean(active_power_import), min(active_power_import), max(active_power_import) FROM reading WHERE time >= $(( t_end - 7 * 86400000 ))ms AND time < ${t_end}ms GROUP BY time(1m), meter"
q_day="SELECT active_power_import FROM reading WHERE time >= $(( t_end - 86400000 ))ms AND time < ${t_end}ms GROUP BY meter"

median_ms() {
  local q="$1" times=()
  for _ in $(seq 1 11); do
    times+=("$(curl -sf -o /dev/null -w '%{time_total}' -G "$url/query" --data-urlencode "db=bench" --data-urlencode "epoch=ms" --data-urlencode "q=$q")")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 6p | awk '{printf "%.2f", $1 * 1000}'
}
# One untimed run each so both sides are measured warm (the store's pages are cached too).
for q in "$q_year" "$q_week" "$q_day"; do curl -sf -o /dev/null -G "$url/query" --data-urlencode "db=bench" --data-urlencode "q=$q"; done
i_year=$(median_ms "$q_year")
i_week=$(median_ms "$q_week")
i_day=$(median_ms "$q_day")
# Give InfluxDB the chance to compact its write-ahead log into TSM files before measuring disk.
sleep 5
i_disk=$(du -sb "$work/influx/data" "$work/influx/wal" | awk '{s += $1} END {print s}')
m_disk=$(du -sb "$work/meterd" | awk '{print $1}')

m_year=$(awk '/daily energy, year/ {print $(NF-1)}' "$work/meterd.txt")
m_week=$(awk '/1-min, week/ {print $(NF-1)}' "$work/meterd.txt")
m_day=$(awk '/raw 5 s, day/ {print $(NF-1)}' "$work/meterd.txt")

echo
echo "== side by side (median of 11 runs; meterd in-process, InfluxDB over loopback HTTP)"
printf '%-40s %12s %12s %8s\n' "" "meterd" "InfluxDB" "ratio"
row() { printf '%-40s %10s%s %10s%s %7.1fx\n' "$1" "$2" "$4" "$3" "$4" "$(python3 -c "print($3/$2 if $2 > 0 else 0)")"; }
row "daily energy, year, 2 meters" "$m_year" "$i_year" "ms"
row "power 1 min, week, 2 meters" "$m_week" "$i_week" "ms"
row "power raw 5 s, day, 2 meters" "$m_day" "$i_day" "ms"
printf '%-40s %10.1fMB %10.1fMB %7.1fx\n' "disk" "$(python3 -c "print($m_disk/1e6)")" "$(python3 -c "print($i_disk/1e6)")" \
  "$(python3 -c "print($i_disk/$m_disk)")"
