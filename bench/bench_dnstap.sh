#!/usr/bin/env bash
# The cost of the dnstap query log: apexd (one worker, pinned to CPU 0 with its fstrm writer
# thread) serves the generated hosting data set with [dnstap] off and on, in interleaved
# runs, while dnsperf and the collector (fstrm_capture writing to /dev/null) share CPU 1.
# Prints QPS and server CPU time per query of each, the on/off QPS ratio (median of per-pair
# ratios; the project's goal is >= 0.95 with metrics, RRL and dnstap all on) and the messages
# apexd counted as sent and dropped. Not part of CI.
#
# Usage: bench/bench_dnstap.sh            (from the repository root, after a build)
# Environment (defaults in brackets):
#   BENCH_DURATION  seconds of dnsperf per run [10]
#   BENCH_RUNS      runs per setting, interleaved off, on, off, … [3]
#   BENCH_ZONES     hosting zones [10000]      BENCH_BIG_NAMES  names in big.test [100000]
#   BENCH_CLIENTS   dnsperf -c [20]
#   BENCH_DIR       work directory (data is reused when parameters match) [/tmp/apexdns-bench]
#   APEX_BUILD_DIR  where apexd/apexctl are [<repo>/build]
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
source "$REPO/bench/bench_lib.sh"
BIG_NAMES=${BENCH_BIG_NAMES:-100000}
DIR=${BENCH_DIR:-/tmp/apexdns-bench}
PORT=${BENCH_PORT:-$((20000 + RANDOM % 20000))}
SOCK=$DIR/dnstap.sock
CLK_TCK=$(getconf CLK_TCK)
SERVER_PGID=""
COLLECTOR_PGID=""

cleanup() {
  [ -n "$SERVER_PGID" ] && stop_group "$SERVER_PGID"
  [ -n "$COLLECTOR_PGID" ] && stop_group "$COLLECTOR_PGID"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

generate_data() {  # the same data set as bench_vs_nsd.sh (shared when parameters match)
  local stamp="zones=$ZONES big=$BIG_NAMES v1"
  if [ "$(cat "$DIR/stamp" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$DIR/data" "$DIR/stamp"
    mkdir -p "$DIR/data"
    "$PY" "$REPO/bench/gen_hosting_data.py" "$DIR/data" --zones "$ZONES" --big-names "$BIG_NAMES"
    echo "$stamp" >"$DIR/stamp"
  fi
  import_apex_db "$DIR/apex.db" "$DIR/data/zones"
  printf '[server]\nstats_interval_s = 0\n' >"$DIR/dnstap-off.toml"
  printf '[server]\nstats_interval_s = 0\n[dnstap]\nsocket = "%s"\n' "$SOCK" >"$DIR/dnstap-on.toml"
}

start_collector() {
  rm -f "$SOCK"
  setsid taskset -c 1 fstrm_capture -t protobuf:dnstap.Dnstap -u "$SOCK" -w /dev/null \
    >"$DIR/fstrm_capture.log" 2>&1 &
  COLLECTOR_PGID=$!
  for _ in $(seq 100); do [ -S "$SOCK" ] && return 0; sleep 0.05; done
  die "fstrm_capture did not create $SOCK"
}

start_apexd() {  # SETTING (off|on)
  setsid taskset -c 0 "$APEXD" --db "$DIR/apex.db" --listen "127.0.0.1:$PORT" --threads 1 \
    --config "$DIR/dnstap-$1.toml" >"$DIR/apexd-$1.log" 2>&1 &
  SERVER_PGID=$!
  for _ in $(seq 1200); do
    dig @127.0.0.1 -p "$PORT" +tries=1 +time=1 +norec big.test. SOA 2>/dev/null |
      grep -q 'status: NOERROR' && return 0
    sleep 0.05
  done
  cat "$DIR/apexd-$1.log" >&2
  die "apexd did not start"
}

bench_one() {  # SETTING RESULTS
  [ "$1" = on ] && start_collector
  start_apexd "$1"
  sleep 1
  local t0 t1 out qps completed
  t0=$(group_cpu_ticks "$SERVER_PGID")
  out=$(taskset -c 1 dnsperf -s 127.0.0.1 -p "$PORT" -d "$DIR/data/queries.txt" -c "$CLIENTS" \
    -T 1 -l "$DURATION" -t 2 2>&1)
  t1=$(group_cpu_ticks "$SERVER_PGID")
  stop_group "$SERVER_PGID"
  SERVER_PGID=""
  if [ "$1" = on ]; then
    stop_group "$COLLECTOR_PGID"
    COLLECTOR_PGID=""
  fi
  completed=$(awk '/Queries completed:/ { print $3 }' <<<"$out")
  qps=$(awk '/Queries per second:/ { print $4 }' <<<"$out")
  local cpu_us busy tap
  cpu_us=$(echo "scale=3; ($t1 - $t0) * 1000000 / $CLK_TCK / $completed" | bc)
  busy=$(echo "scale=1; ($t1 - $t0) * 100 / $CLK_TCK / $DURATION" | bc)
  tap=$(grep -o 'dnstap [0-9]* sent/[0-9]* dropped' "$DIR/apexd-$1.log" | tail -1 || true)
  echo "$1 $qps $cpu_us $busy" >>"$2"
  printf '  %-3s qps=%.0f cpu_us/query=%s server_cpu_busy=%s%% %s\n' "$1" "$qps" "$cpu_us" \
    "$busy" "$tap"
}

report() {  # RESULTS-FILE
  local f=$1 setting
  echo
  echo "== results ($RUNS interleaved runs of ${DURATION}s each) =="
  printf '%-7s %12s %14s\n' dnstap "QPS(median)" "CPU µs/query"
  for setting in off on; do
    printf '%-7s %12.0f %14.2f\n' "$setting" \
      "$(awk -v k=$setting '$1 == k { print $2 }' "$f" | median)" \
      "$(awk -v k=$setting '$1 == k { print $3 }' "$f" | median)"
  done
  local ratios
  ratios=$(paste <(awk '$1 == "on" { print $2 }' "$f") <(awk '$1 == "off" { print $2 }' "$f") |
    awk '{ print $1 / $2 }')
  echo "on/off QPS ratio per run: $(tr "\n" " " <<<"$ratios")"
  echo "on/off QPS ratio (median): $(echo "$ratios" | median)"
  echo "(the server's CPU time includes the fstrm writer thread; below ~95% server CPU busy,"
  echo " dnsperf was the bottleneck and CPU time per query is the fairer comparison)"
}

main() {
  require_tools dnsperf taskset dig setsid fstrm_capture
  [ "$(nproc)" -ge 2 ] || die "needs 2 CPUs (server and dnsperf pinned apart)"
  mkdir -p "$DIR"
  echo "bench: data in $DIR, port $PORT, apexd on CPU 0, dnsperf and fstrm_capture on CPU 1"
  generate_data
  local results="$DIR/dnstap-results.txt"
  : >"$results"
  for run in $(seq "$RUNS"); do
    echo "run $run:"
    bench_one off "$results"
    bench_one on "$results"
  done
  report "$results"
}

main "$@"
