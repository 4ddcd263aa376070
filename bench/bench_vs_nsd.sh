#!/usr/bin/env bash
# The "Pace" benchmark: apexd and NSD serve the same generated hosting data set
# (10,000 hosting zones + one zone of 100,000 names), each pinned to CPU 0 with
# dnsperf pinned to CPU 1, in interleaved runs. Prints QPS of each, the apexd/NSD
# QPS ratio (median of per-pair ratios), server CPU time per query, memory per record
# and startup time (start -> first answer) for both. Not part of CI.
#
# Usage: bench/bench_vs_nsd.sh            (from the repository root, after a build)
# Environment (defaults in brackets):
#   BENCH_DURATION  seconds of dnsperf per run [10]
#   BENCH_RUNS      runs per server, interleaved apexd, nsd, apexd, … [3]
#   BENCH_ZONES     hosting zones [10000]      BENCH_BIG_NAMES  names in big.test [100000]
#   BENCH_CLIENTS   dnsperf -c [20]            BENCH_QPS_LIMIT  dnsperf -Q, 0 = none [0]
#   BENCH_DIR       work directory (data is reused when parameters match) [/tmp/apexdns-bench]
#   APEX_BUILD_DIR  where apexd/apexctl are [<repo>/build]
# Total time with the defaults: about 3-5 minutes on 2 cores.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
source "$REPO/bench/bench_lib.sh"
BIG_NAMES=${BENCH_BIG_NAMES:-100000}
QPS_LIMIT=${BENCH_QPS_LIMIT:-0}
DIR=${BENCH_DIR:-/tmp/apexdns-bench}
PORT=${BENCH_PORT:-$((20000 + RANDOM % 20000))}
SERVER_CPU=0
CLIENT_CPU=1
STARTUP_LIMIT=120   # seconds a server may take to answer its first query
CLK_TCK=$(getconf CLK_TCK)

SERVER_PGID=""      # process group of the running server (it is started with setsid)


cleanup() {
  [ -n "$SERVER_PGID" ] && stop_server
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check_tools() {
  require_tools nsd dnsperf taskset dig setsid
  [ "$(nproc)" -ge 2 ] || die "needs 2 CPUs (server and dnsperf pinned apart)"
}

# --- data -------------------------------------------------------------------------

generate_data() {  # zone files are reused; databases are always rebuilt by this apexctl
  hosting_data "$ZONES" "$BIG_NAMES"
  import_apex_db "$DIR/apex.db" "$DIR/data/zones"
  import_apex_db "$DIR/empty.db" "$DIR/data/empty"
  write_nsd_conf "$DIR/nsd" "$DIR/data/zonelist.txt"
  printf 'empty.test.\t%s\n' "$DIR/data/empty/empty.test.zone" >"$DIR/empty-zonelist.txt"
  write_nsd_conf "$DIR/nsd-empty" "$DIR/empty-zonelist.txt"
}

write_nsd_conf() {  # DIR ZONELIST — NSD 4.6: foreground, no RRL, no database, 1 server
  mkdir -p "$1"
  {
    cat <<EOF
server:
    ip-address: 127.0.0.1
    port: $PORT
    do-ip6: no
    server-count: 1
    reuseport: no
    database: ""
    zonelistfile: "$1/zone.list"
    xfrdfile: "$1/xfrd.state"
    xfrdir: "$1"
    pidfile: "$1/nsd.pid"
    username: ""
    chroot: ""
    verbosity: 0
    zonefiles-check: no
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
remote-control:
    control-enable: no
EOF
    while IFS=$'\t' read -r name path; do
      printf 'zone:\n    name: "%s"\n    zonefile: "%s"\n' "$name" "$path"
    done <"$2"
  } >"$1/nsd.conf"
}

# --- servers ----------------------------------------------------------------------

start_server() {  # KIND DATA(db file or nsd dir) PROBE-NAME; sets SERVER_PGID, STARTUP
  local kind=$1 data=$2 probe=$3 start
  start=$(date +%s.%N)
  if [ "$kind" = apexd ]; then
    setsid taskset -c $SERVER_CPU "$APEXD" --db "$data" --listen "127.0.0.1:$PORT" \
      --threads 1 >"$DIR/$kind.log" 2>&1 &
  else
    setsid taskset -c $SERVER_CPU nsd -d -c "$data/nsd.conf" >"$DIR/$kind.log" 2>&1 &
  fi
  SERVER_PGID=$!
  wait_ready "$probe" || { cat "$DIR/$kind.log" >&2; die "$kind did not start"; }
  STARTUP=$(echo "$(date +%s.%N) - $start" | bc)
}

wait_ready() {  # PROBE-NAME: poll with DNS queries until one is answered (bounded)
  local deadline=$((SECONDS + STARTUP_LIMIT))
  while [ $SECONDS -lt $deadline ]; do
    kill -0 "$SERVER_PGID" 2>/dev/null || return 1
    if dig @127.0.0.1 -p "$PORT" +tries=1 +time=1 +norec "$1" SOA 2>/dev/null |
        grep -q 'status: NOERROR'; then
      return 0
    fi
    sleep 0.01
  done
  return 1
}

stop_server() {
  stop_group "$SERVER_PGID"
  SERVER_PGID=""
}

group_pss_kib() {  # proportional set size (shared pages counted once) of the group
  local total=0 pid k
  for pid in $(group_pids "$SERVER_PGID"); do
    k=$(awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
    total=$((total + ${k:-0}))
  done
  echo "$total"
}

# --- runs ---------------------------------------------------------------------------

dnsperf_run() {  # prints "completed qps rcodes"
  local limit=() out
  [ "$QPS_LIMIT" -gt 0 ] && limit=(-Q "$QPS_LIMIT")
  out=$(taskset -c $CLIENT_CPU dnsperf -s 127.0.0.1 -p "$PORT" -d "$DIR/data/queries.txt" \
    -c "$CLIENTS" -T 1 -l "$DURATION" -t 2 "${limit[@]}" 2>&1)
  echo "$out" >>"$DIR/dnsperf.log"
  awk '/Queries completed:/ { c = $3 } /Queries per second:/ { q = $4 }
       /Response codes:/ { sub(/^ *Response codes: */, ""); r = $0; gsub(/ [0-9]+ \(/, "=", r); gsub(/\)/, "", r); gsub(/ /, "", r) }
       END { print c, q, r }' <<<"$out"
}

bench_one() {  # KIND DATA RESULTS: start, measure memory, load with dnsperf, measure CPU
  local kind=$1 data=$2 t0 t1 result line
  start_server "$kind" "$data" "big.test."
  sleep 1
  local pss; pss=$(group_pss_kib)
  t0=$(group_cpu_ticks "$SERVER_PGID")
  result=$(dnsperf_run)
  t1=$(group_cpu_ticks "$SERVER_PGID")
  stop_server
  local completed=${result%% *}
  local cpu_us busy
  cpu_us=$(echo "scale=3; ($t1 - $t0) * 1000000 / $CLK_TCK / $completed" | bc)
  busy=$(echo "scale=1; ($t1 - $t0) * 100 / $CLK_TCK / $DURATION" | bc)
  line="$kind $(echo "$result" | cut -d' ' -f2) $cpu_us $pss $STARTUP $(echo "$result" | cut -d' ' -f3) $busy"
  echo "$line" >>"$3"
  printf '  %-5s qps=%.0f cpu_us/query=%s server_cpu_busy=%s%% pss_kib=%s startup_s=%.3f\n' \
    "$kind" "$(echo "$line" | cut -d' ' -f2)" "$cpu_us" "$busy" "$pss" "$STARTUP"
}

baseline_pss() {  # KIND DATA: sets BASELINE to the memory of a server with one tiny zone
  start_server "$1" "$2" "empty.test."
  sleep 1
  BASELINE=$(group_pss_kib)
  stop_server
  printf '  %-5s one tiny zone: pss_kib=%s startup_s=%.3f\n' "$1" "$BASELINE" "$STARTUP"
}


report() {  # RESULTS-FILE RECORDS APEX-EMPTY-PSS NSD-EMPTY-PSS
  local f=$1 records=$2
  echo
  echo "== results ($RUNS interleaved runs of ${DURATION}s each, $records records) =="
  printf '%-6s %12s %14s %16s %12s\n' server "QPS(median)" "CPU µs/query" "bytes/record" "startup s"
  for kind in apexd nsd; do
    local base; [ "$kind" = apexd ] && base=$3 || base=$4
    local qps cpu pss start
    qps=$(awk -v k=$kind '$1 == k { print $2 }' "$f" | median)
    cpu=$(awk -v k=$kind '$1 == k { print $3 }' "$f" | median)
    pss=$(awk -v k=$kind '$1 == k { print $4 }' "$f" | median)
    start=$(awk -v k=$kind '$1 == k { print $5 }' "$f" | median)
    printf '%-6s %12.0f %14.2f %16.1f %12.3f\n' "$kind" "$qps" "$cpu" \
      "$(echo "($pss - $base) * 1024 / $records" | bc -l)" "$start"
  done
  local ratios
  ratios=$(paste <(awk '$1 == "apexd" { print $2 }' "$f") <(awk '$1 == "nsd" { print $2 }' "$f") |
    awk '{ print $1 / $2 }')
  echo "apexd/NSD QPS ratio per run: $(tr "\n" " " <<<"$ratios")"
  echo "apexd/NSD QPS ratio (median): $(echo "$ratios" | median)   (goal >= 1.0)"
  echo "response codes per run (same query file for both):"
  awk '{ print "  " $1 ": " $6 "  server CPU busy " $7 "%" }' "$f"
  echo "(memory: proportional set size of all server processes after load, minus a run"
  echo " serving one tiny zone; CPU: utime+stime of all server processes / queries completed."
  echo " A server below ~95% CPU busy was not the bottleneck: dnsperf was, and the QPS"
  echo " ratio then understates the difference; compare CPU time per query instead.)"
}

main() {
  check_tools
  mkdir -p "$DIR"
  : >"$DIR/dnsperf.log"
  echo "bench: data in $DIR, port $PORT, server on CPU $SERVER_CPU, dnsperf on CPU $CLIENT_CPU"
  generate_data
  local records; records=$(cat "$DIR/data/records.txt")
  local apex_empty nsd_empty
  echo "baselines:"
  baseline_pss apexd "$DIR/empty.db"; apex_empty=$BASELINE
  baseline_pss nsd "$DIR/nsd-empty"; nsd_empty=$BASELINE
  local results="$DIR/results.txt"
  : >"$results"
  for run in $(seq "$RUNS"); do
    echo "run $run:"
    for kind in apexd nsd; do
      local data; [ "$kind" = apexd ] && data=$DIR/apex.db || data=$DIR/nsd
      bench_one "$kind" "$data" "$results"
    done
  done
  report "$results" "$records" "$apex_empty" "$nsd_empty"
}

main "$@"
