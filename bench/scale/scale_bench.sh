#!/usr/bin/env bash
# Many simulated meters pushing every 5 s into one sink: CPU per 1,000 pushes, peak RSS and
# how long SIGTERM takes to drain. Each case is a fresh meterd process:
#   simulator (N meters, half households, half heat pumps, 17 values a push, speed 1) -> sink.
# The CPU is measured over --seconds after --warmup, for the whole process and for the sink's
# thread alone (threads are named after their section, e.g. "sink.dashboard"). A sink thread
# below 100 % of a core keeps up: it waits on an empty queue between pushes.
# With --compare, the same cases run with a second build, interleaved round by round, so both
# see the same machine load.
# With --burst N, a second simulator stands for a gateway flushing its buffer as the case
# starts: N readings (N/100 meters, 100 pushes each, 17 values, from ten minutes ago) as fast
# as the bus takes them. The table then also shows how many of those values the store holds
# after the stop (dashboard sink): all of them, or the sink dropped some.
# Usage: bash bench/scale/scale_bench.sh [--build build] [--compare other-build] [--meters "1000 10000"]
#          [--sink dashboard|file] [--seconds 60] [--warmup 20] [--runs 1] [--burst 100000]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=build compare="" meters="1000 10000" sink=dashboard seconds=60 warmup=20 runs=1 burst=0
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --compare) compare="$2"; shift 2 ;;
    --meters) meters="$2"; shift 2 ;;
    --sink) sink="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --burst) burst="$2"; shift 2 ;;
    *) echo "scale_bench: unknown argument $1" >&2; exit 2 ;;
  esac
done
for b in $build $compare; do
  [ -x "$b/meterd" ] || { echo "scale_bench: no $b/meterd; build first" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
tick=$(getconf CLK_TCK)

# CPU ticks (user + system) of a process or of one of its threads.
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "$1" 2>/dev/null || echo 0; }
thread_stat() {
  local t
  for t in /proc/"$1"/task/*; do
    [ "$(cat "$t/comm" 2>/dev/null)" = "$2" ] && { echo "$t/stat"; return; }
  done
  echo /dev/null
}

write_config() {  # $1 meters, $2 directory
  local list
  list=$(awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) printf "%s%s=M%06d", (i > 1 ? "," : ""), (i % 2 ? "house" : "heat_pump"), i }')
  {
    printf '[meterd]\nlog_level = warning\nstate_dir = state\ntime_zone = Europe/Zurich\n'
    printf '[source.sim]\nplugin = simulator\ninterval_ms = 5000\nspeed = 1\nmeters = %s\n' "$list"
    if [ "$burst" -gt 0 ]; then
      local gateway
      gateway=$(awk -v n="$((burst / 100))" 'BEGIN { for (i = 1; i <= n; i++) printf "%s%s=G%06d", (i > 1 ? "," : ""), (i % 2 ? "house" : "heat_pump"), i }')
      printf '[source.gateway]\nplugin = simulator\ninterval_ms = 5000\nspeed = 0\ncount = 100\nseed = 2\nstart = %s\nmeters = %s\n' \
        "$(date -u -d '-10 min' +%Y-%m-%dT%H:%M:%S)" "$gateway"
    fi
    if [ "$sink" = dashboard ]; then
      printf '[sink.dashboard]\nplugin = dashboard\nlisten = 127.0.0.1\nport = 0\n'
    else
      printf '[sink.file]\nplugin = file\ndirectory = out\n'
    fi
  } > "$2/meterd.conf"
}

run_case() {  # $1 build, $2 meters -> "cpu% sink% cpu_s_per_1000 peak_mb stop_s drops"
  local dir="$work/run" b="$PWD/$1"
  rm -rf "$dir"; mkdir -p "$dir"; write_config "$2" "$dir"
  (cd "$dir" && exec "$b/meterd" --plugin-dir "$b/plugins" --config meterd.conf > meterd.log 2>&1) &
  local pid=$!
  sleep "$warmup"
  kill -0 "$pid" 2>/dev/null || { tail -n 20 "$dir/meterd.log" >&2; echo "scale_bench: meterd exited" >&2; exit 1; }
  local sink_stat; sink_stat=$(thread_stat "$pid" "sink.$sink")
  local p0 s0 p1 s1
  p0=$(ticks "/proc/$pid/stat"); s0=$(ticks "$sink_stat")
  sleep "$seconds"
  p1=$(ticks "/proc/$pid/stat"); s1=$(ticks "$sink_stat")
  local peak; peak=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$pid/status")
  local t0; t0=$(date +%s.%N)
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  local stop; stop=$(echo "$(date +%s.%N) - $t0" | bc)
  local drops; drops=$(grep -c 'readings dropped' "$dir/meterd.log" || true)
  local stored=-
  if [ "$burst" -gt 0 ] && [ "$sink" = dashboard ]; then
    stored=$(sqlite3 "$dir/state/sink.dashboard/history.sqlite" \
      "SELECT COALESCE(SUM(points), 0) FROM raw_chunk JOIN series ON series.id = raw_chunk.series WHERE meter LIKE 'G%'" 2>/dev/null || echo '?')
  fi
  awk -v p="$((p1 - p0))" -v s="$((s1 - s0))" -v hz="$tick" -v sec="$seconds" -v m="$2" -v kb="$peak" -v stop="$stop" -v d="$drops" -v st="$stored" \
    'BEGIN { pushes = m * sec / 5; printf "%.1f %.1f %.3f %.1f %.1f %d %s\n", 100 * p / hz / sec, 100 * s / hz / sec, (p / hz) / (pushes / 1000), kb / 1024, stop, d, st }'
}

printf '%-8s %-24s %-4s %8s %8s %14s %8s %7s %6s %12s\n' meters build run "cpu %" "sink %" "cpu-s/1k push" "peak MB" "stop s" "drops" "burst stored"
for run in $(seq 1 "$runs"); do
  for m in $meters; do
    for b in $build $compare; do
      read -r cpu sinkcpu per peak stop drops stored < <(run_case "$b" "$m")
      printf '%-8s %-24s %-4s %8s %8s %14s %8s %7s %6s %12s\n' "$m" "$b" "$run" "$cpu" "$sinkcpu" "$per" "$peak" "$stop" "$drops" "$stored"
    done
  done
done
[ "$burst" -gt 0 ] && echo "burst: $burst readings, $((burst * 17)) values"
echo "sink: $sink; machine: $(nproc) cores, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
