#!/usr/bin/env bash
# Memory of meterd as a Raspberry Pi runs it: peak RSS (the kernel's VmHWM) and settled RSS
# for three workloads, each a fresh meterd process with the dashboard sink:
#   live      two simulated meters pushing every 5 s, for --live-seconds;
#   backfill  two meters first publishing a year of history at one reading a minute, then live:
#             settled = RSS 20 s after both meters went live;
#   import    `meterd import` of the real Swiss heat-pump file (2.6 years of 15-min energy);
#   burst     100,800 readings at once (35 days of two meters), with the default [bus] settings
#             (a publisher waits at most 10 s): absorbed by back-pressure, drops counted.
# Usage: bash bench/memory/rss_bench.sh [--build build] [--live-seconds 60] [--days 365] [--runs 1]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=build live_seconds=60 days=365 runs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --live-seconds) live_seconds="$2"; shift 2 ;;
    --days) days="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) echo "rss_bench: unknown argument $1" >&2; exit 2 ;;
  esac
done
meterd="$PWD/$build/meterd"
plugins="$PWD/$build/plugins"
[ -x "$meterd" ] || { echo "rss_bench: no $meterd; build first" >&2; exit 2; }
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

kib() { awk -v k="$1" '$1 == k":" { print $2 }' "/proc/$2/status" 2>/dev/null || echo 0; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# Writes a config with two simulated meters (history_days $1) into the dashboard; $2 the
# publisher's longest wait on a full queue (default: the bus's own).
write_config() {
  cat > "$work/run/meterd.conf" <<CONF
[meterd]
log_level = info
state_dir = state
time_zone = Europe/Zurich
[bus]
block_ms = ${2:-10000}
[source.sim]
plugin = simulator
meters = house=M-house, heat_pump=M-heatpump
interval_ms = 5000
speed = 1
history_days = $1
history_interval_ms = 60000
[sink.dashboard]
plugin = dashboard
listen = 127.0.0.1
port = 0
raw_days = 0
CONF
}

# Runs meterd on the config until `$1` (a shell condition) holds, then $2 more seconds.
measure() {
  local until="$1" extra="$2" started=$SECONDS
  (cd "$work/run" && exec "$meterd" --plugin-dir "$plugins" --config meterd.conf > meterd.log 2>&1) &
  local pid=$!
  sleep 0.5
  pid=$(pgrep -P "$pid" meterd || echo "$pid")
  while ! eval "$until"; do
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$work/run/meterd.log"; echo "rss_bench: meterd exited" >&2; exit 1; }
    sleep 0.5
  done
  local busy=$((SECONDS - started))
  sleep "$extra"
  local peak settled
  peak=$(kib VmHWM "$pid"); settled=$(kib VmRSS "$pid")
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  echo "$(mb "$peak") $(mb "$settled") $busy"
}

printf '%-10s %-4s %10s %12s %10s\n' workload run "peak MB" "settled MB" "seconds"
for run in $(seq 1 "$runs"); do
  rm -rf "$work/run"; mkdir -p "$work/run"; write_config 0
  read -r peak settled busy < <(measure "false || [ \$((SECONDS - started)) -ge $live_seconds ]" 0)
  printf '%-10s %-4s %10s %12s %10s\n' live "$run" "$peak" "$settled" "$busy"

  rm -rf "$work/run"; mkdir -p "$work/run"; write_config "$days" 60000
  read -r peak settled busy < <(measure "[ \$(grep -c 'live from here' $work/run/meterd.log) -ge 1 ]" 20)
  printf '%-10s %-4s %10s %12s %10s\n' backfill "$run" "$peak" "$settled" "$busy"

  data=../shared/data/ch-heatpump-15min-2021-2023.csv
  if [ -f "$data" ]; then
    rm -rf "$work/run"; mkdir -p "$work/run/state"
    { echo "[meterd]"; echo "state_dir = state"; echo "log_level = warning"; echo "time_zone = Europe/Zurich"
      sed -n '/^\[source/,$p' plugins/sources/ekz_history/examples/heatpump-15min.conf; echo "progress = never"
      printf '[sink.dashboard]\nplugin = dashboard\nlisten = 127.0.0.1\nport = 0\nraw_days = 0\n'; } > "$work/run/import.conf"
    started=$SECONDS
    /usr/bin/time -f '%M' -o "$work/run/maxrss" "$meterd" import --plugin-dir "$plugins" --config "$work/run/import.conf" "$PWD/$data" \
      > "$work/run/import.log" 2>&1 || { tail -n 20 "$work/run/import.log"; exit 1; }
    printf '%-10s %-4s %10s %12s %10s\n' import "$run" "$(mb "$(cat "$work/run/maxrss")")" "-" "$((SECONDS - started))"
  fi

  rm -rf "$work/run"; mkdir -p "$work/run"; write_config 35
  read -r peak settled busy < <(measure "[ \$(grep -c 'live from here' $work/run/meterd.log) -ge 1 ]" 5)
  # meterd's last line: "stopped: N messages published, M dropped".
  drops=$(grep -o '[0-9]* dropped' "$work/run/meterd.log" | tail -n 1)
  printf '%-10s %-4s %10s %12s %10s  %s\n' burst "$run" "$peak" "$settled" "$busy" "${drops:-? dropped}"
done
echo "machine: $(nproc) cores, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
