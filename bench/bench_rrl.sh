#!/usr/bin/env bash
# The cost of response rate limiting on the UDP path: apexd serving the generated hosting
# data set (as bench_vs_nsd.sh), pinned to CPU 0 with dnsperf pinned to CPU 1, in interleaved
# runs without RRL and with RRL at limits far above the load (every response is accounted,
# none limited). Prints the QPS of each and the with/without ratio (median of per-pair
# ratios), and checks from apexd's shutdown stats line that nothing was limited. Not part
# of CI.
#
# Usage: bench/bench_rrl.sh            (from the repository root, after a build)
# Environment (defaults in brackets):
#   BENCH_DURATION  seconds of dnsperf per run [10]    BENCH_RUNS  runs per setting [3]
#   BENCH_ZONES     hosting zones [10000]              BENCH_CLIENTS  dnsperf -c [20]
#   BENCH_DIR       work directory, data shared with bench_vs_nsd.sh [/tmp/apexdns-bench]
#   APEX_BUILD_DIR  where apexd/apexctl are [<repo>/build]
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
source "$REPO/bench/bench_lib.sh"
DIR=${BENCH_DIR:-/tmp/apexdns-bench}
PORT=${BENCH_PORT:-$((20000 + RANDOM % 20000))}
SERVER_PGID=""

cleanup() {
  [ -n "$SERVER_PGID" ] && stop_group "$SERVER_PGID"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

prepare() {  # the data set of bench_vs_nsd.sh (100,000 names in big.test), and two configs
  hosting_data "$ZONES" 100000
  [ -f "$DIR/rrl.db" ] || import_apex_db "$DIR/rrl.db" "$DIR/data/zones"
  printf '[server]\nstats_interval_s = 0\n' >"$DIR/rrl-off.toml"
  printf '[server]\nstats_interval_s = 0\n[rrl]\nresponses_per_second = 100000\n' >"$DIR/rrl-on.toml"
}

run_once() {  # SETTING (off|on): prints the QPS dnsperf measured
  local log="$DIR/apexd-rrl-$1.log" out
  setsid taskset -c 0 "$APEXD" --db "$DIR/rrl.db" --listen "127.0.0.1:$PORT" --threads 1 \
    --config "$DIR/rrl-$1.toml" >"$log" 2>&1 &
  SERVER_PGID=$!
  for _ in $(seq 1200); do
    dig @127.0.0.1 -p "$PORT" +tries=1 +time=1 big.test. SOA 2>/dev/null | grep -q NOERROR && break
    sleep 0.1
  done
  out=$(taskset -c 1 dnsperf -s 127.0.0.1 -p "$PORT" -d "$DIR/data/queries.txt" -c "$CLIENTS" \
    -T 1 -l "$DURATION" -t 2 2>&1)
  stop_group "$SERVER_PGID"
  SERVER_PGID=""
  grep -q "RRL 0 slipped/0 dropped/0 log-only" "$log" || die "RRL limited something: see $log"
  awk '/Queries per second:/ { print $4 }' <<<"$out"
}

require_tools dnsperf taskset dig setsid
prepare
off=() on=()
for run in $(seq "$RUNS"); do
  off+=("$(run_once off)")
  on+=("$(run_once on)")
  printf 'run %d: RRL off %.0f qps, RRL on %.0f qps\n' "$run" "${off[-1]}" "${on[-1]}"
done
ratios=$(for i in "${!off[@]}"; do echo "scale=4; ${on[$i]} / ${off[$i]}" | bc; done)
echo "RRL on/off QPS ratio per run: $(tr "\n" " " <<<"$ratios")"
echo "RRL on/off QPS ratio (median): $(echo "$ratios" | median)"
