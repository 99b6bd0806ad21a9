#!/usr/bin/env bash
# meterd's dashboard against InfluxDB 1.x as a careful InfluxDB user runs it, on the same data
# and the same three questions, both asked over loopback HTTP the way their dashboards ask:
#   1. daily energy for a year (2 meters)   2. a week of power at 1 min   3. one day of raw power
#
# - The data: a year (or --days N) of 5-second power and energy-register readings of two
#   meters, written by dashboard_store_bench into meterd's store and as line protocol for
#   InfluxDB (the same values to the Wh and W).
# - meterd: the real `meterd` binary with the dashboard sink serving that store; queries go to
#   its HTTP API with an admin session, exactly as the front end sends them.
# - InfluxDB: Debian's influxd with its own pre-aggregation, filled with `SELECT ... INTO` into
#   a daily and a 1-minute measurement (what continuous queries keep up to date); the year and
#   the week are answered from those, the raw day from the points. Both "raw" InfluxDB times are
#   printed too, for reference.
# - Rounds are interleaved (one query of each kind on each side per round), so a busy moment
#   on the machine hits both sides alike; the tables give medians and the min-max range.
# - Each question is asked twice per round: as a dashboard refreshing a view asks it (the same
#   range every round), and shifted (each round's range ends one day earlier than the round
#   before), so no answer of an earlier round can be reused on either side.
# - Disk: after InfluxDB has compacted (cold-write durations set short, then waiting until the
#   write-ahead log is empty) and after meterd stopped (SQLite checkpointed), counted as
#   allocated blocks (`du -s -B1`, not apparent sizes), everything each keeps on disk.
#
# usage: compare_influxdb.sh [--build DIR] [--days N] [--rounds N] [--keep] [--work DIR]
#   --work DIR keeps the data in DIR and, when DIR holds a finished earlier run's data (same
#   --days), queries it again instead of writing it anew (for profiling; disk is re-measured).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
build="$here/../../build"
days=365
rounds=21
keep=0
work=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --days) days="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --work) work="$2"; keep=1; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
bench="$build/bench/dashboard/dashboard_store_bench"
meterd="$build/meterd"
[ -x "$bench" ] || { echo "build dashboard_store_bench first ($bench not found)" >&2; exit 2; }
[ -x "$meterd" ] || { echo "build meterd first ($meterd not found)" >&2; exit 2; }
command -v influxd >/dev/null || { echo "influxd not installed (apt install influxdb)" >&2; exit 2; }

if [ -z "$work" ]; then work="$(mktemp -d /tmp/meterd-compare.XXXXXX)"; else mkdir -p "$work"; fi
reuse=0
[ -f "$work/ready" ] && [ "$(cat "$work/ready")" = "$days" ] && reuse=1
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  [ "$keep" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 150); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done; return 1; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

if [ "$reuse" = 0 ]; then
  rm -rf "$work/state" "$work/influx" "$work/ready"
  echo "== data: $days days, every 5 s, 2 meters x (power, energy register)"
  mkdir -p "$work/state/sink.dash"
  "$bench" --dir "$work/state/sink.dash" --days "$days" --lines "$work/lines.txt" | tee "$work/store.txt"
else
  echo "== reusing the data in $work"
fi

# ---- InfluxDB, set up to compact soon after writes stop --------------------------------------
http_port="$(free_port)"
cat > "$work/influxdb.conf" <<EOF
reporting-disabled = true
bind-address = "127.0.0.1:$(free_port)"
[meta]
  dir = "$work/influx/meta"
[data]
  dir = "$work/influx/data"
  wal-dir = "$work/influx/wal"
  index-version = "tsi1"
  query-log-enabled = false
  cache-snapshot-write-cold-duration = "5s"
  compact-full-write-cold-duration = "15s"
[http]
  bind-address = "127.0.0.1:$http_port"
  log-enabled = false
[monitor]
  store-enabled = false
[continuous_queries]
  enabled = false
EOF
influxd -config "$work/influxdb.conf" > "$work/influxd.log" 2>&1 &
pids+=($!)
influx="http://127.0.0.1:$http_port"
wait_http "$influx/ping" || { echo "influxd did not start:"; cat "$work/influxd.log"; exit 1; }
iq() { curl -sf -XPOST "$influx/query" --data-urlencode "db=bench" --data-urlencode "q=$1" >/dev/null; }
t0=1672527600000  # 2023-01-01T00:00+01:00, where the bench's data starts
t_end=$(( t0 + days * 86400000 ))
if [ "$reuse" = 0 ]; then
  iq "CREATE DATABASE bench"
  echo "== InfluxDB $(influxd version 2>/dev/null | head -1): writing the same points over HTTP"
  split -l 50000 "$work/lines.txt" "$work/chunk."
  for f in "$work"/chunk.*; do curl -sf -XPOST "$influx/write?db=bench&precision=ms" --data-binary @"$f" >/dev/null; rm -f "$f"; done
  rm -f "$work/lines.txt"
  echo "== InfluxDB pre-aggregation: SELECT ... INTO a daily and a 1-minute measurement, a month at a time"
  for (( a = t0; a < t_end; a += 31 * 86400000 )); do
    b=$(( a + 31 * 86400000 < t_end ? a + 31 * 86400000 : t_end ))
    iq "SELECT mean(active_power_import) AS mean, min(active_power_import) AS min, max(active_power_import) AS max INTO reading_1m FROM reading WHERE time >= ${a}ms AND time < ${b}ms GROUP BY time(1m), meter"
  done
  iq "SELECT spread(active_energy_import) AS wh INTO reading_1d FROM reading WHERE time >= ${t0}ms AND time < ${t_end}ms GROUP BY time(1d), meter tz('Europe/Zurich')"
  echo "$days" > "$work/ready"
fi

# ---- meterd serving the same store ---------------------------------------------------------
meterd_port="$(free_port)"
cat > "$work/meterd.conf" <<EOF
[meterd]
state_dir = $work/state
time_zone = Europe/Zurich
[bus]
# No source: the store already holds the data.
import = tcp://127.0.0.1:9
[sink.dash]
plugin = dashboard
listen = 127.0.0.1
port = $meterd_port
admin_password = compare-bench
# Everything kept, as in InfluxDB: the data lies years back, beyond the default retention.
raw_days = 0
minute_days = 0
quarter_days = 0
EOF
"$meterd" --config "$work/meterd.conf" > "$work/meterd.log" 2>&1 &
meterd_pid=$!
pids+=($meterd_pid)
api="http://127.0.0.1:$meterd_port"
wait_http "$api/" || { echo "meterd did not start:"; cat "$work/meterd.log"; exit 1; }
curl -sf -c "$work/cookies" -H 'Content-Type: application/json' -d '{"password":"compare-bench"}' "$api/api/login" >/dev/null

# ---- the questions, as each dashboard sends them -------------------------------------------
# Each takes the end of its range (the year starts where the data starts).
# Both meters in one request, as the dashboard asks for "All meters" (and InfluxDB with GROUP BY).
mq_year() { echo "$api/api/energy?meters=house,heatpump&from=$t0&to=$1&period=day"; }
mq_week() { echo "$api/api/series?meters=house,heatpump&quantity=active_power_import&from=$(( $1 - 7 * 86400000 ))&to=$1&resolution=1m"; }
mq_day() { echo "$api/api/series?meters=house,heatpump&quantity=active_power_import&from=$(( $1 - 86400000 ))&to=$1&resolution=raw"; }
iq_year_pre() { echo "SELECT wh FROM reading_1d WHERE time >= ${t0}ms AND time < ${1}ms GROUP BY meter"; }
iq_week_pre() { echo "SELECT mean, min, max FROM reading_1m WHERE time >= $(( $1 - 7 * 86400000 ))ms AND time < ${1}ms GROUP BY meter"; }
iq_day() { echo "SELECT active_power_import FROM reading WHERE time >= $(( $1 - 86400000 ))ms AND time < ${1}ms GROUP BY meter"; }
iq_year_raw="SELECT spread(active_energy_import) FROM reading WHERE time >= ${t0}ms AND time < ${t_end}ms GROUP BY time(1d), meter tz('Europe/Zurich')"
iq_week_raw="SELECT mean(active_power_import), min(active_power_import), max(active_power_import) FROM reading WHERE time >= $(( t_end - 7 * 86400000 ))ms AND time < ${t_end}ms GROUP BY time(1m), meter"

# One question is the wall time of its request (each side answers both meters in one), in ms,
# connection set-up included on both sides; a failed request ends the benchmark rather than
# timing an error page.
time_meterd() {
  local url t
  read -r url
  t=$(curl -sf -b "$work/cookies" -o /dev/null -w '%{time_total}' "$url") || { echo "meterd failed: $url" >&2; exit 1; }
  python3 -c "print($t * 1000)"
}
time_influx() {
  local t
  t=$(curl -sf -o "$work/reply" -w '%{time_total}' -G "$influx/query" --data-urlencode "db=bench" \
        --data-urlencode "epoch=ms" --data-urlencode "q=$1") || { echo "influxdb failed: $1" >&2; exit 1; }
  grep -q '"series"' "$work/reply" || { echo "influxdb answered no series: $1" >&2; exit 1; }
  python3 -c "print($t * 1000)"
}

# Warm both sides once (page cache, InfluxDB's index), checking that meterd answers in full:
# a day of energy for each day, a bucket for each minute of the week, each 5-s point of the day.
check_meterd() {
  local kind="$1" want="$2" url
  while read -r url; do
    curl -sf -b "$work/cookies" -o "$work/reply" "$url"
    python3 - "$work/reply" "$kind" "$want" <<'EOF'
import json, sys
replies, kind, want = json.load(open(sys.argv[1]))["meters"], sys.argv[2], int(sys.argv[3])
if [r["meter"] for r in replies] != ["house", "heatpump"]:
    sys.exit(f"meterd answered for {[r['meter'] for r in replies]}, expected house and heatpump")
for r in replies:
    n = sum(1 for p in r["periods"] if p["wh"] is not None) if kind == "energy" else len(r["t"])
    if n < want:
        sys.exit(f"meterd answered {n} {kind} entries for {r['meter']}, expected {want}")
EOF
  done
}
mq_year "$t_end" | check_meterd energy "$days"
mq_week "$t_end" | check_meterd series "$(( (days < 7 ? days : 7) * 1440 ))"
mq_day "$t_end" | check_meterd series 17280
for q in "$(iq_year_pre "$t_end")" "$(iq_week_pre "$t_end")" "$iq_year_raw" "$iq_week_raw" "$(iq_day "$t_end")"; do
  time_influx "$q" >/dev/null
done
(( rounds < days - 8 )) || { echo "--rounds must be below --days - 8 (each round shifts the range by a day)" >&2; exit 2; }
echo "load before the queries: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== $rounds interleaved rounds"
: > "$work/times.tsv"
for (( r = 1; r <= rounds; r++ )); do
  shifted=$(( t_end - r * 86400000 ))
  {
    for mode in same shifted; do
      [ "$mode" = same ] && end="$t_end" || end="$shifted"
      echo -e "m_year_$mode\t$(mq_year "$end" | time_meterd)"
      echo -e "i_year_$mode\t$(time_influx "$(iq_year_pre "$end")")"
      echo -e "m_week_$mode\t$(mq_week "$end" | time_meterd)"
      echo -e "i_week_$mode\t$(time_influx "$(iq_week_pre "$end")")"
      echo -e "m_day_$mode\t$(mq_day "$end" | time_meterd)"
      echo -e "i_day_$mode\t$(time_influx "$(iq_day "$end")")"
    done
    if (( r <= 5 )); then  # InfluxDB without pre-aggregation: slow, so fewer rounds
      echo -e "i_year_raw\t$(time_influx "$iq_year_raw")"
      echo -e "i_week_raw\t$(time_influx "$iq_week_raw")"
    fi
  } >> "$work/times.tsv"
done
echo "load after the queries: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- disk, each side settled ---------------------------------------------------------------
kill -TERM "$meterd_pid"; wait "$meterd_pid" 2>/dev/null || true
echo "== waiting for InfluxDB to compact (write-ahead log empty, no compaction running)"
for _ in $(seq 1 120); do
  wal=$(find "$work/influx/wal" -name '*.wal' -size +0 2>/dev/null | wc -l)
  [ "$wal" = 0 ] && ! find "$work/influx/data" -name '*.tmp' 2>/dev/null | grep -q . && break
  sleep 5
done
sleep 20  # a last full compaction after the cold duration
m_disk=$(du -s -B1 "$work/state/sink.dash" | cut -f1)
m_apparent=$(du -s -b "$work/state/sink.dash" | cut -f1)
i_apparent=$(du -s -b "$work/influx/data" "$work/influx/wal" "$work/influx/meta" | awk '{s += $1} END {print s}')
echo "apparent sizes (du -b): meterd $m_apparent bytes, InfluxDB $i_apparent bytes"
i_disk=$(du -s -B1 "$work/influx/data" "$work/influx/wal" "$work/influx/meta" | awk '{s += $1} END {print s}')
values=$(awk '/^values stored/ {print $3}' "$work/store.txt")

python3 - "$work/times.tsv" "$m_disk" "$i_disk" "$values" <<'EOF'
import sys, statistics
rows = {}
for line in open(sys.argv[1]):
    k, v = line.split("\t")
    rows.setdefault(k, []).append(float(v))
def stat(k):
    v = sorted(rows[k])
    return statistics.median(v), v[0], v[-1], len(v)
def cell(k):
    m, lo, hi, n = stat(k)
    return f"{m:.2f} ms ({lo:.2f}-{hi:.2f}, n={n})"
print()
print("median (min-max) of the interleaved rounds")
print("| question | asked | meterd over HTTP | InfluxDB, pre-aggregated | ratio | InfluxDB from raw points |")
print("|---|---|---|---|---|---|")
for name, q, raw in [("daily energy, year, 2 meters", "year", "i_year_raw"),
                     ("power at 1 min, week, 2 meters", "week", "i_week_raw"),
                     ("raw 5-s power, day, 2 meters", "day", None)]:
    for mode, label in [("same", "same range each round"), ("shifted", "range shifted a day each round")]:
        m, i = f"m_{q}_{mode}", f"i_{q}_{mode}"
        ratio = stat(i)[0] / stat(m)[0]
        ref = (cell(raw) if raw else "(same as pre-aggregated)") if mode == "same" else ""
        print(f"| {name} | {label} | {cell(m)} | {cell(i)} | {ratio:.1f}x | {ref} |")
m_disk, i_disk, values = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print()
print(f"disk (allocated blocks): meterd {m_disk/1e6:.1f} MB ({m_disk/values:.3f} B/value), "
      f"InfluxDB compacted with its pre-aggregation {i_disk/1e6:.1f} MB ({i_disk/values:.3f} B/value); "
      f"meterd/InfluxDB = {m_disk/i_disk:.2f}")
EOF
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
