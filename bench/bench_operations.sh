#!/usr/bin/env bash
# The cost of the operations features: apexd (one worker, pinned to CPU 0 with its fstrm
# writer thread) serves the generated hosting data set with them off and on, in interleaved
# runs, while dnsperf and the dnstap collector (fstrm_capture writing to /dev/null) share
# CPU 1. "On" is, with BENCH_FEATURES=all (the default): the metrics endpoint (scraped after
# each run), RRL with a limit far above the load, and the dnstap query log; with
# BENCH_FEATURES=dnstap the query log alone. Prints QPS and server CPU time per query of each,
# the on/off QPS ratio (median of per-pair ratios; the project's goal is >= 0.95 with all
# on) and the dnstap messages apexd counted as sent and dropped. Not part of CI.
#
# Usage: bench/bench_operations.sh        (from the repository root, after a build)
# Environment (defaults in brackets):
#   BENCH_FEATURES  all | dnstap [all]
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
FEATURES=${BENCH_FEATURES:-all}
METRICS_PORT=$((PORT + 1))
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
  hosting_data "$ZONES" "$BIG_NAMES"
  import_apex_db "$DIR/apex.db" "$DIR/data/zones"
  printf '[server]\nstats_interval_s = 0\n' >"$DIR/ops-off.toml"
  printf '[server]\nstats_interval_s = 0\n[dnstap]\nsocket = "%s"\n' "$SOCK" >"$DIR/ops-on.toml"
  if [ "$FEATURES" = all ]; then
    printf '[metrics]\nlisten = "127.0.0.1:%s"\n[rrl]\nresponses_per_second = 100000\n' \
      "$METRICS_PORT" >>"$DIR/ops-on.toml"
  fi
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
    --config "$DIR/ops-$1.toml" >"$DIR/apexd-$1.log" 2>&1 &
  SERVER_PGID=$!
  for _ in $(seq 1200); do
    dig @127.0.0.1 -p "$PORT" +tries=1 +time=1 +norec big.test. SOA 2>/dev/null |
      grep -q 'status: NOERROR' && return 0
    sleep 0.05
  done
  cat "$DIR/apexd-$1.log" >&2
  die "apexd did not start"
}

# One scrape, as Prometheus makes: the endpoint answers and counted the queries.
check_metrics() {
  local body
  exec 3<>"/dev/tcp/127.0.0.1/$METRICS_PORT"
  printf 'GET /metrics HTTP/1.1\r\nHost: bench\r\n\r\n' >&3
  body=$(cat <&3)
  exec 3<&-
  grep -q '^apexd_queries_total{transport="udp",family="ipv4"} [1-9]' <<<"$body" ||
    die "no queries counted in /metrics"
  grep -q '^apexd_rrl_dropped_total 0$' <<<"$body" || die "RRL limited during the benchmark"
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
  [ "$1" = on ] && [ "$FEATURES" = all ] && check_metrics
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
  printf '%-7s %12s %14s\n' "$FEATURES" "QPS(median)" "CPU µs/query"
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
  echo "bench: $FEATURES on/off, data in $DIR, port $PORT, apexd on CPU 0, dnsperf and"
  echo "       fstrm_capture on CPU 1"
  generate_data
  [ "$FEATURES" = all ] || [ "$FEATURES" = dnstap ] || die "BENCH_FEATURES: all or dnstap"
  local results="$DIR/ops-results.txt"
  : >"$results"
  for run in $(seq "$RUNS"); do
    echo "run $run:"
    bench_one off "$results"
    bench_one on "$results"
  done
  report "$results"
}

main "$@"
