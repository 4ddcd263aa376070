#!/usr/bin/env bash
# The ALIAS pace benchmark. Measures, in interleaved runs with the same dnsperf settings
# (server pinned to CPU 0, dnsperf pinned to CPU 1, as in bench_vs_nsd.sh):
#   apexd-alias   apexd serving N zones whose apex is an ALIAS (N zones over T distinct
#                 targets in cdn.example.net.), queried for apex A and AAAA (50/50);
#   apexd-static  the same apexd binary serving N zones whose apex holds the same addresses
#                 as static A/AAAA records (otherwise identical zones), same query mix;
#   pdns          PowerDNS Authoritative (Debian's 4.7, gsqlite3 backend) serving the same N
#                 ALIAS zones with expand-alias=yes, same queries as apexd-alias;
# and prints the QPS of each, the ALIAS/static ratio within apexd (goal >= 0.95: an ALIAS
# answer must cost no more than a static one) and the apexd/PowerDNS ratio on the ALIAS
# queries, each the median of per-run ratios, plus server CPU time per query (and the
# ALIAS/static ratio of that: when dnsperf rather than apexd is the bottleneck, the QPS
# ratio only compares dnsperf with itself, CPU time per query still tells the costs apart).
#
# The targets live upstream, the realistic path: NSD serves cdn.example.net. and a private
# Unbound (iterator only, stub zones for cdn.example.net. and the root pointing at that NSD,
# so no query leaves the machine) resolves them. apexd flattens through that Unbound in the
# background and is measured only once `apexctl alias status --json` shows every alias
# fresh. PowerDNS uses the same Unbound as its `resolver=`; it expands ALIAS at query time,
# so Unbound is on its query path: that is the point of the comparison. Unbound and NSD are
# pinned to CPU 1 with dnsperf, leaving CPU 0 to the server measured; for apexd they are idle
# during the measurement (the flattener's refreshes are rare: target TTLs are 300 s), for
# PowerDNS Unbound's cost is shown separately (its CPU per query). PowerDNS's packet and
# query caches are left at their defaults (printed, with their hit counts, in the output).
# Every run is preceded by a check that a sample of answers is NOERROR, AA and exactly the
# expected addresses (the first apexd-alias run checks every query), then BENCH_WARMUP seconds
# of the same load, not measured (without it the first run after a restart was often the
# slowest by several %, whichever its kind). Each run also reports the CPU time that
# processes outside the benchmark took on CPU 0 and CPU 1 (/proc/stat minus what the
# benchmark's own processes used): above 5 % the run is marked disturbed, since its QPS then
# measures the neighbours too, and the ratios are also given over the undisturbed runs.
# Not part of CI.
#
# Usage: bench/bench_alias.sh            (from the repository root, after a build)
# Environment (defaults in brackets):
#   BENCH_DURATION  seconds of dnsperf per run [10]
#   BENCH_RUNS      runs per server, interleaved: apexd-alias, apexd-static, pdns, then
#                   apexd-static, apexd-alias, pdns, and so on [3]
#   BENCH_ZONES     zones of each kind [10000]   BENCH_TARGETS  distinct ALIAS targets [50]
#   BENCH_CLIENTS   dnsperf -c [20]              BENCH_QPS_LIMIT  dnsperf -Q, 0 = none [0]
#   BENCH_SAMPLE    answers checked before each run [500]
#   BENCH_WARMUP    seconds of unmeasured dnsperf load before each run, 0 = none [2]
#   BENCH_DIR       work directory (zone files are reused when parameters match)
#                   [/tmp/apexdns-bench-alias]
#   APEX_BUILD_DIR  where apexd/apexctl are [<repo>/build]
# Needs: nsd, unbound, pdns-server, pdns-backend-sqlite3, dnsperf, dig, python3-dnspython
# (scripts/setup.sh installs them) and 2 CPUs.
# Total time with the defaults: about 2.5 minutes on 2 cores (20 s more the first time, to
# write the zone files).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
source "$REPO/bench/bench_lib.sh"
TARGETS=${BENCH_TARGETS:-50}
QPS_LIMIT=${BENCH_QPS_LIMIT:-0}
SAMPLE=${BENCH_SAMPLE:-500}
WARMUP=${BENCH_WARMUP:-2}
DIR=${BENCH_DIR:-/tmp/apexdns-bench-alias}
HELPER=$REPO/bench/bench_alias.py
SERVER_CPU=0
CLIENT_CPU=1
STARTUP_LIMIT=120   # seconds a server may take to answer its first query
FRESH_LIMIT=120     # seconds apexd may take to flatten every alias
CLK_TCK=$(getconf CLK_TCK)

SERVER_PGID=""      # process groups (everything is started with setsid)
NSD_PGID=""
UNBOUND_PGID=""


cleanup() {
  local g
  for g in "$SERVER_PGID" "$UNBOUND_PGID" "$NSD_PGID"; do
    [ -n "$g" ] && stop_group "$g"
  done
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check_tools() {
  require_tools nsd unbound unbound-control pdns_server pdns_control dnsperf taskset dig setsid ss bc
  PDNS_SCHEMA=$(dpkg -L pdns-backend-sqlite3 2>/dev/null | grep '/schema\.sqlite3\.sql$' | head -1)
  [ -r "${PDNS_SCHEMA:-/nonexistent}" ] ||
    die "PowerDNS gsqlite3 schema not found: run scripts/setup.sh (pdns-backend-sqlite3)"
  "$PY" -c 'import dns.message' 2>/dev/null || die "python3-dnspython missing: run scripts/setup.sh"
  [ "$(nproc)" -ge 2 ] || die "needs 2 CPUs (server and dnsperf pinned apart)"
}

port_free() {  # PORT: nothing listens on it (UDP or TCP)
  [ -z "$(ss -Hlntu "sport = :$1" 2>/dev/null)" ]
}

pick_ports() {  # three distinct free ports: the server's, Unbound's and NSD's
  local picked=() p
  while [ ${#picked[@]} -lt 3 ]; do
    p=$((20000 + RANDOM % 40000))
    port_free "$p" && [[ " ${picked[*]} " != *" $p "* ]] && picked+=("$p")
  done
  PORT=${BENCH_PORT:-${picked[0]}}
  UNBOUND_PORT=${picked[1]}
  NSD_PORT=${picked[2]}
}

# --- data -------------------------------------------------------------------------

generate_data() {  # zone files are reused; databases are always rebuilt
  local stamp="zones=$ZONES targets=$TARGETS v1"
  if [ "$(cat "$DIR/stamp" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$DIR/data" "$DIR/stamp"
    "$PY" "$HELPER" gen "$DIR/data" --zones "$ZONES" --targets "$TARGETS"
    echo "$stamp" >"$DIR/stamp"
  fi
  import_apex_db "$DIR/alias.db" "$DIR/data/alias"
  import_apex_db "$DIR/static.db" "$DIR/data/static"
  "$PY" "$HELPER" pdns-db "$DIR/pdns/pdns.sqlite3" --schema "$PDNS_SCHEMA" \
    --zones "$ZONES" --targets "$TARGETS"
}

# --- the upstream: NSD serving the targets, Unbound resolving them ------------------------

write_nsd_conf() {  # NSD 4.6: foreground, no RRL, no database, 1 server
  mkdir -p "$DIR/nsd"
  cat >"$DIR/nsd/nsd.conf" <<EOF
server:
    ip-address: 127.0.0.1
    port: $NSD_PORT
    do-ip6: no
    server-count: 1
    reuseport: no
    database: ""
    zonelistfile: "$DIR/nsd/zone.list"
    xfrdfile: "$DIR/nsd/xfrd.state"
    xfrdir: "$DIR/nsd"
    pidfile: "$DIR/nsd/nsd.pid"
    username: ""
    chroot: ""
    verbosity: 0
    zonefiles-check: no
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
remote-control:
    control-enable: no
zone:
    name: "cdn.example.net."
    zonefile: "$DIR/data/target/cdn.example.net.zone"
EOF
  rm -f "$DIR/nsd/zone.list"
}

write_unbound_conf() {  # iterator only; the target zone and the root are stubs to NSD
  mkdir -p "$DIR/unbound"
  cat >"$DIR/unbound/unbound.conf" <<EOF
server:
    interface: 127.0.0.1
    port: $UNBOUND_PORT
    do-ip6: no
    num-threads: 1
    so-reuseport: no
    username: ""
    chroot: ""
    directory: "$DIR/unbound"
    pidfile: "$DIR/unbound/unbound.pid"
    logfile: ""
    use-syslog: no
    verbosity: 0
    do-not-query-localhost: no
    module-config: "iterator"
    access-control: 127.0.0.0/8 allow
    qname-minimisation: no
    target-fetch-policy: "0 0 0 0 0"
    harden-referral-path: no
    msg-cache-size: 64m
    rrset-cache-size: 128m
stub-zone:
    name: "cdn.example.net."
    stub-addr: 127.0.0.1@$NSD_PORT
    stub-prime: no
stub-zone:
    name: "."
    stub-addr: 127.0.0.1@$NSD_PORT
    stub-prime: no
remote-control:
    control-enable: yes
    control-interface: "$DIR/unbound/unbound.ctl"
    control-use-cert: no
EOF
}

start_upstream() {
  write_nsd_conf
  write_unbound_conf
  setsid taskset -c $CLIENT_CPU nsd -d -c "$DIR/nsd/nsd.conf" >"$DIR/nsd.log" 2>&1 &
  NSD_PGID=$!
  wait_answer "$NSD_PORT" "$NSD_PGID" norec cdn.example.net. SOA ||
    { cat "$DIR/nsd.log" >&2; die "NSD did not start"; }
  setsid taskset -c $CLIENT_CPU unbound -d -c "$DIR/unbound/unbound.conf" \
    >"$DIR/unbound.log" 2>&1 &
  UNBOUND_PGID=$!
  wait_answer "$UNBOUND_PORT" "$UNBOUND_PGID" rec lb0.cdn.example.net. A ||
    { cat "$DIR/unbound.log" >&2; die "Unbound did not start"; }
  echo "upstream: NSD on 127.0.0.1:$NSD_PORT, Unbound on 127.0.0.1:$UNBOUND_PORT (CPU $CLIENT_CPU)"
}

unbound_queries() {  # queries Unbound has received since it started
  unbound-control -c "$DIR/unbound/unbound.conf" stats_noreset 2>/dev/null |
    awk -F= '$1 == "total.num.queries" { print $2 }'
}

# --- servers ----------------------------------------------------------------------

wait_answer() {  # PORT PGID rec|norec NAME TYPE: poll until a NOERROR answer (bounded)
  local deadline=$((SECONDS + STARTUP_LIMIT))
  while [ $SECONDS -lt $deadline ]; do
    kill -0 "$2" 2>/dev/null || return 1
    if dig @127.0.0.1 -p "$1" +tries=1 +time=1 "+$3" "$4" "$5" 2>/dev/null |
        grep -q 'status: NOERROR'; then
      return 0
    fi
    sleep 0.01
  done
  return 1
}

write_apexd_conf() {  # the flattener's resolver; everything else at its default
  cat >"$DIR/apexd.toml" <<EOF
[flatten]
resolvers = ["127.0.0.1:$UNBOUND_PORT"]
EOF
}

start_server() {  # KIND; sets SERVER_PGID, STARTUP
  local kind=$1 start
  start=$(date +%s.%N)
  case $kind in
    apexd-alias|apexd-static)
      setsid taskset -c $SERVER_CPU "$APEXD" --db "$DIR/${kind#apexd-}.db" \
        --config "$DIR/apexd.toml" --listen "127.0.0.1:$PORT" --threads 1 \
        >"$DIR/$kind.log" 2>&1 &
      ;;
    pdns)
      # Own config dir (an empty pdns.conf): nothing from /etc/powerdns applies.
      setsid taskset -c $SERVER_CPU pdns_server --config-dir="$DIR/pdns" --daemon=no \
        --guardian=no --disable-syslog=yes --socket-dir="$DIR/pdns" \
        --local-address=127.0.0.1 --local-port="$PORT" --launch=gsqlite3 \
        --gsqlite3-database="$DIR/pdns/pdns.sqlite3" --expand-alias=yes \
        --resolver="127.0.0.1:$UNBOUND_PORT" --webserver=no --api=no \
        --distributor-threads=1 --receiver-threads=1 --security-poll-suffix= \
        --loglevel=3 >"$DIR/$kind.log" 2>&1 &
      ;;
  esac
  SERVER_PGID=$!
  wait_answer "$PORT" "$SERVER_PGID" norec "$(probe_zone "$kind")" SOA ||
    { cat "$DIR/$kind.log" >&2; die "$kind did not start"; }
  STARTUP=$(echo "$(date +%s.%N) - $start" | bc)
}

probe_zone() {  # KIND
  case $1 in apexd-static) echo static00001.example. ;; *) echo alias00001.example. ;; esac
}

stop_server() {
  stop_group "$SERVER_PGID"
  SERVER_PGID=""
}

pdns_counter() {  # NAME: a PowerDNS statistic via its control socket
  pdns_control --config-dir="$DIR/pdns" --socket-dir="$DIR/pdns" show "$1" 2>/dev/null || echo 0
}

# --- runs ---------------------------------------------------------------------------

queries_of() {  # KIND
  case $1 in apexd-static) echo "$DIR/data/queries-static.txt" ;; *) echo "$DIR/data/queries-alias.txt" ;; esac
}

check_answers() {  # KIND SAMPLE (0 = all)
  "$PY" "$HELPER" check --port "$PORT" --queries "$(queries_of "$1")" \
    --expected "$DIR/data/expected.tsv" --sample "$2" >/dev/null ||
    { cat "$DIR/$1.log" >&2; die "$1 answers wrong (see above)"; }
}

dnsperf_run() {  # KIND; prints "completed qps rcodes dnsperf-cpu-ticks"
  local limit=() out
  [ "$QPS_LIMIT" -gt 0 ] && limit=(-Q "$QPS_LIMIT")
  # `times` (last line: the children's user and system time) gives dnsperf's CPU time.
  out=$(taskset -c $CLIENT_CPU dnsperf -s 127.0.0.1 -p "$PORT" -d "$(queries_of "$1")" \
    -c "$CLIENTS" -T 1 -l "$DURATION" -t 2 "${limit[@]}" 2>&1; times)
  { echo "== $1"; echo "$out"; } >>"$DIR/dnsperf.log"
  awk -v hz="$CLK_TCK" '/Queries completed:/ { c = $3 } /Queries per second:/ { q = $4 }
       /Response codes:/ { sub(/^ *Response codes: */, ""); r = $0; gsub(/ [0-9]+ \(/, "=", r); gsub(/\)/, "", r); gsub(/ /, "", r) }
       function secs(t) { split(t, p, "m"); return p[1] * 60 + p[2] }
       /^[0-9]+m[0-9.]+s [0-9]+m[0-9.]+s$/ { d = int((secs($1) + secs($2)) * hz + 0.5) }
       END { print c, q, r, d }' <<<"$out"
}

dnsperf_warmup() {  # KIND: the same load, not measured (caches, page faults, socket buffers)
  taskset -c $CLIENT_CPU dnsperf -s 127.0.0.1 -p "$PORT" -d "$(queries_of "$1")" \
    -c "$CLIENTS" -T 1 -l "$WARMUP" -t 2 >/dev/null 2>&1 || true
}

cpu_ticks() {  # CPU: user + nice + system ticks of that CPU since boot (IRQ time left out)
  awk -v c="cpu$1" '$1 == c { print $2 + $3 + $4 }' /proc/stat
}

foreign_pct() {  # CPU-TICKS OURS-TICKS SECONDS: % of one CPU used by processes not ours
  echo "$1 $2 $3" | awk -v hz="$CLK_TCK" '{ p = ($1 - $2) * 100 / hz / $3; printf "%.1f", p < 0 ? 0 : p }'
}

bench_one() {  # KIND SAMPLE RESULTS RUN: start, check, load with dnsperf, measure CPU
  local kind=$1 t0 t1 u0 u1 n0 n1 c0 c1 d0 d1 w0 w1 q0 q1 h0 h1 m0 m1 result
  start_server "$kind"
  if [ "$kind" = apexd-alias ]; then
    "$PY" "$HELPER" wait-fresh --apexctl "$APEXCTL" --db "$DIR/alias.db" --count "$ZONES" \
      --timeout "$FRESH_LIMIT" >"$DIR/fresh-$4.txt" ||
      { cat "$DIR/$kind.log" >&2; die "apexd did not flatten every alias"; }
  fi
  check_answers "$kind" "$2"
  sleep 1
  [ "$WARMUP" -gt 0 ] && dnsperf_warmup "$kind"
  [ "$kind" = pdns ] && { h0=$(pdns_counter packetcache-hit); m0=$(pdns_counter packetcache-miss); }
  q0=$(unbound_queries); u0=$(group_cpu_ticks "$UNBOUND_PGID"); n0=$(group_cpu_ticks "$NSD_PGID")
  t0=$(group_cpu_ticks "$SERVER_PGID"); c0=$(cpu_ticks $SERVER_CPU); d0=$(cpu_ticks $CLIENT_CPU)
  w0=$(date +%s.%N)
  result=$(dnsperf_run "$kind")
  w1=$(date +%s.%N)
  t1=$(group_cpu_ticks "$SERVER_PGID"); c1=$(cpu_ticks $SERVER_CPU); d1=$(cpu_ticks $CLIENT_CPU)
  u1=$(group_cpu_ticks "$UNBOUND_PGID"); n1=$(group_cpu_ticks "$NSD_PGID"); q1=$(unbound_queries)
  local hits="-"
  if [ "$kind" = pdns ]; then
    h1=$(pdns_counter packetcache-hit); m1=$(pdns_counter packetcache-miss)
    hits=$(awk -v h=$((h1 - h0)) -v m=$((m1 - m0)) 'BEGIN { printf "%.1f", h + m ? 100 * h / (h + m) : 0 }')
  fi
  stop_server
  local completed qps rcodes perf_ticks cpu_us busy up_per_k ub_us other0 other1 secs
  read -r completed qps rcodes perf_ticks <<<"$result"
  [ "${completed:-0}" -gt 0 ] || die "$kind: dnsperf completed no query"
  cpu_us=$(echo "scale=3; ($t1 - $t0) * 1000000 / $CLK_TCK / $completed" | bc)
  busy=$(echo "scale=1; ($t1 - $t0) * 100 / $CLK_TCK / $DURATION" | bc)
  up_per_k=$(echo "scale=2; ($q1 - $q0) * 1000 / $completed" | bc)
  ub_us=$(echo "scale=3; ($u1 - $u0) * 1000000 / $CLK_TCK / $completed" | bc)
  secs=$(echo "$w1 - $w0" | bc)
  other0=$(foreign_pct $((c1 - c0)) $((t1 - t0)) "$secs")
  other1=$(foreign_pct $((d1 - d0)) $((u1 - u0 + n1 - n0 + ${perf_ticks:-0})) "$secs")
  echo "$kind $qps $cpu_us $busy $STARTUP $rcodes $up_per_k $ub_us $hits $other0 $other1 $4" >>"$3"
  printf '  %-12s qps=%.0f cpu_us/query=%s server_cpu_busy=%s%% startup_s=%.3f unbound_queries/1k=%s%s other_load_cpu0/1=%s%%/%s%%\n' \
    "$kind" "$qps" "$cpu_us" "$busy" "$STARTUP" "$up_per_k" \
    "$([ "$kind" = pdns ] && echo " packetcache_hit=$hits%")" "$other0" "$other1"
}


col() { awk -v k="$2" -v c="$3" '$1 == k { print $c }' "$1"; }  # RESULTS KIND COLUMN

ratios() {  # RESULTS KIND-A KIND-B COLUMN [clean]: per-run ratios A/B of that column;
            # with "clean", only runs where neither was disturbed (other load > 5 %)
  awk -v a="$2" -v b="$3" -v c="$4" -v clean="${5:-}" '
    $1 == a || $1 == b { v[$1, $12] = $c; if ($10 > 5 || $11 > 5) bad[$12] = 1; runs[$12] = 1 }
    END { for (r = 1; r in runs; r++)
            if ((a, r) in v && (b, r) in v && !(clean && r in bad)) print v[a, r] / v[b, r] }' "$1"
}

ratio_lines() {  # RESULTS KIND-A KIND-B COLUMN LABEL GOAL: per run, median, clean median
  local r clean
  r=$(ratios "$1" "$2" "$3" "$4")
  clean=$(ratios "$1" "$2" "$3" "$4" clean)
  echo "$5 per run: $(tr "\n" " " <<<"$r")"
  echo "$5 (median): $(echo "$r" | median)$6"
  if [ "$(wc -l <<<"$clean")" != "$(wc -l <<<"$r")" ]; then
    if [ -n "$clean" ]; then
      echo "$5 (median of the $(wc -l <<<"$clean") undisturbed runs): $(echo "$clean" | median)"
    else
      echo "$5: every run was disturbed; rerun on a quiet machine"
    fi
  fi
}

report() {  # RESULTS
  local f=$1 kind
  echo
  echo "== results ($RUNS interleaved runs of ${DURATION}s each after ${WARMUP}s of warm-up," \
    "$ZONES zones per kind, $TARGETS ALIAS targets, dnsperf -c $CLIENTS, A/AAAA 50/50) =="
  printf '%-13s %12s %14s %11s %16s %18s\n' server "QPS(median)" "CPU µs/query" "startup s" \
    "Unbound q/1k" "Unbound µs/query"
  for kind in apexd-alias apexd-static pdns; do
    printf '%-13s %12.0f %14.2f %11.3f %16.2f %18.2f\n' "$kind" \
      "$(col "$f" $kind 2 | median)" "$(col "$f" $kind 3 | median)" \
      "$(col "$f" $kind 5 | median)" "$(col "$f" $kind 7 | median)" "$(col "$f" $kind 8 | median)"
  done
  ratio_lines "$f" apexd-alias apexd-static 2 "apexd ALIAS/static QPS ratio" "   (goal >= 0.95)"
  ratio_lines "$f" apexd-static apexd-alias 3 \
    "apexd ALIAS/static CPU-cost ratio" \
    "   (same goal; read this one when apexd was below ~95% CPU busy)"
  ratio_lines "$f" apexd-alias pdns 2 "apexd/PowerDNS QPS ratio on ALIAS queries" ""
  echo "response codes, server CPU busy and other processes' load per run:"
  awk '{ printf "  %-12s %s  server CPU busy %s%%  other load CPU0 %s%% CPU1 %s%%%s\n", $1, $6, $4,
         $10, $11, ($10 > 5 || $11 > 5) ? "  <- disturbed" : "" }' "$f"
  echo "PowerDNS $(pdns_server --version 2>&1 | grep -o 'Server [0-9.]*' | head -1)," \
    "distributor-threads=1 receiver-threads=1, caches at their defaults:" \
    "$(pdns_server --config=default 2>/dev/null |
       grep -E '^# (cache-ttl|query-cache-ttl|negquery-cache-ttl)=' | sed 's/^# //' | tr "\n" " ")"
  echo "  packet cache hit rate per run: $(col "$f" pdns 9 | sed 's/$/%/' | tr "\n" " ")"
  echo "(CPU: utime+stime of all server processes / queries completed; CPU-cost ratio: static"
  echo " CPU µs/query / ALIAS CPU µs/query, above 1 when an ALIAS answer is the cheaper one;"
  echo " Unbound q/1k: queries Unbound received per 1000 answers during the run, its CPU time"
  echo " per answer alongside;"
  echo " a server below ~95% CPU busy was not the bottleneck: dnsperf or the upstream was;"
  echo " other load: CPU time of processes outside the benchmark on the server's CPU 0 and the"
  echo " client's CPU 1: a run marked disturbed shared its CPUs and its QPS is low.)"
}

main() {
  check_tools
  mkdir -p "$DIR/pdns"
  : >"$DIR/pdns/pdns.conf"
  : >"$DIR/dnsperf.log"
  rm -f "$DIR"/fresh-*.txt
  pick_ports
  echo "bench: data in $DIR, port $PORT, server on CPU $SERVER_CPU, dnsperf on CPU $CLIENT_CPU"
  generate_data
  start_upstream
  write_apexd_conf
  local results="$DIR/results.txt" sample order
  : >"$results"
  for run in $(seq "$RUNS"); do
    echo "run $run:"
    order="apexd-alias apexd-static pdns"              # ABBA: drift hits both apexd kinds
    [ $((run % 2)) = 0 ] && order="apexd-static apexd-alias pdns"
    for kind in $order; do
      sample=$SAMPLE
      [ "$run" = 1 ] && [ "$kind" = apexd-alias ] && sample=0
      bench_one "$kind" "$sample" "$results" "$run"
    done
  done
  echo "apexd flattening: run 1 (empty alias state): $(cat "$DIR/fresh-1.txt")," \
    "run $RUNS (restart with saved state): $(cat "$DIR/fresh-$RUNS.txt")"
  report "$results"
}

main "$@"
