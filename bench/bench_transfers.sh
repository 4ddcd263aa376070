#!/usr/bin/env bash
# Zone transfers under query load: apexd serves the bench_vs_nsd.sh data set (10,000 hosting
# zones + big.test. of 100,000 names) pinned to CPU 0 with one worker thread, dnsperf on
# CPU 1. Interleaved runs without and with a transfer load (transfer_load.py, also on CPU 1,
# for the whole run: cycles of one AXFR of big.test. and 1,000 IXFRs of random zones, each
# answered with the whole zone since no journal is kept). Prints the QPS of both, their ratio
# (goal >= 0.9), and how fast the transfers went. Not part of CI.
#
# Usage: bench/bench_transfers.sh          (from the repository root, after a build)
# Environment (defaults in brackets):
#   BENCH_DURATION  seconds of dnsperf per run [10]    BENCH_RUNS  runs of each kind [3]
#   BENCH_ZONES     hosting zones [10000]    BENCH_BIG_NAMES  names in big.test [100000]
#   BENCH_IXFRS     IXFRs per AXFR in the load [1000]         BENCH_CLIENTS  dnsperf -c [20]
#   BENCH_DIR       work directory (data is reused when parameters match) [/tmp/apexdns-bench]
#   APEX_BUILD_DIR  where apexd/apexctl are [<repo>/build]
# Total time with the defaults: about 2-3 minutes on 2 cores (plus data generation once).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
source "$REPO/bench/bench_lib.sh"
BIG_NAMES=${BENCH_BIG_NAMES:-100000}
IXFRS=${BENCH_IXFRS:-1000}
DIR=${BENCH_DIR:-/tmp/apexdns-bench}
PORT=${BENCH_PORT:-$((20000 + RANDOM % 20000))}
SERVER_PGID=""


cleanup() {
  [ -n "$SERVER_PGID" ] && stop_group "$SERVER_PGID"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

require_tools dnsperf taskset dig setsid
[ "$(nproc)" -ge 2 ] || die "needs 2 CPUs (server and clients pinned apart)"

mkdir -p "$DIR"
hosting_data "$ZONES" "$BIG_NAMES"
import_apex_db "$DIR/xfr.db" "$DIR/data/zones"
"$APEXCTL" --db "$DIR/xfr.db" secondary add 127.0.0.1:9 >/dev/null  # may transfer every zone

setsid taskset -c 0 "$APEXD" --db "$DIR/xfr.db" --listen "127.0.0.1:$PORT" --threads 1 \
  --resolver 127.0.0.1:9 >"$DIR/apexd-xfr.log" 2>&1 &
SERVER_PGID=$!
for _ in $(seq 600); do
  dig @127.0.0.1 -p "$PORT" +tries=1 +time=1 big.test. SOA 2>/dev/null | grep -q NOERROR && break
  sleep 0.1
done

dnsperf_qps() {
  taskset -c 1 dnsperf -s 127.0.0.1 -p "$PORT" -d "$DIR/data/queries.txt" -c "$CLIENTS" -T 1 \
    -l "$DURATION" -t 2 2>&1 | awk '/Queries per second:/ { print $4 }'
}

results=$DIR/transfers.results
: >"$results"
for run in $(seq "$RUNS"); do
  q=$(dnsperf_qps)
  echo "quiet $q" >>"$results"
  printf '  run %d without transfers: qps=%.0f\n' "$run" "$q"
  taskset -c 1 "$PY" "$REPO/bench/transfer_load.py" "$PORT" big.test. \
    "$DIR/data/zonelist.txt" "$IXFRS" "$DURATION" >"$DIR/load.out" &
  load=$!
  q=$(dnsperf_qps)
  wait "$load"
  read -r axfr_s axfr_msgs axfr_octets ixfrs ixfr_s axfrs <"$DIR/load.out"
  echo "loaded $q $axfr_s $axfr_msgs $axfr_octets $ixfrs $ixfr_s $axfrs" >>"$results"
  printf '  run %d with transfers:    qps=%.0f  %d AXFRs of big.test (median %.2f s, %d messages, %d octets), %d IXFRs in %.2f s\n' \
    "$run" "$q" "$axfrs" "$axfr_s" "$axfr_msgs" "$axfr_octets" "$ixfrs" "$ixfr_s"
done

quiet=$(awk '$1 == "quiet" { print $2 }' "$results" | median)
loaded=$(awk '$1 == "loaded" { print $2 }' "$results" | median)
axfr=$(awk '$1 == "loaded" { print $3 }' "$results" | median)
ixfr=$(awk '$1 == "loaded" { print $6 / $7 }' "$results" | median)
echo
echo "== results ($RUNS runs of ${DURATION}s each way) =="
printf 'QPS without transfers (median) %10.0f\n' "$quiet"
printf 'QPS with transfers (median)    %10.0f\n' "$loaded"
printf 'ratio (goal >= 0.9)            %10.2f\n' "$(echo "$loaded / $quiet" | bc -l)"
printf 'AXFR of big.test (median)      %10.2f s\n' "$axfr"
printf 'IXFRs per second (median)      %10.1f\n' "$ixfr"
