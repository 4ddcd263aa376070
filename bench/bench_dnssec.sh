#!/usr/bin/env bash
# The DNSSEC pace benchmark, on the hosting zones of gen_hosting_data.py (without big.test.),
# every zone signed with `apexctl dnssec enable` (CSK, ECDSA P-256, NSEC). apexd, Knot and
# openssl's reference run are pinned to CPU 0, dnsperf to CPU 1:
#   a. serving: one apexd serving the signed zones, the same query list sent with DO=1
#      (dnsperf -D) and without, in interleaved runs: QPS of each and the DO=1/DO=0 ratio
#      (median of per-pair ratios; goal >= 0.8). apexd_dnssec_signatures_total is scraped
#      before and after every DO=1 run: nothing is signed per query, so it must not move
#      (the script fails if it does). A sample of DO=1 answers is checked for RRSIGs first.
#   b. signing from scratch: apexd's own load time ("loaded N zones ... in X ms") of the
#      signed zones vs the same zones unsigned, and the signatures it made (the counter);
#      signatures per second on one core = signatures / (signed - unsigned load time), next
#      to `openssl speed -seconds 3 ecdsap256 ed25519` sign/s on the same CPU.
#   c. memory: apexd's RSS serving the signed zones less its RSS serving them unsigned,
#      per signature made. apexd keeps no signature in the database (every load signs
#      anew), so the database grows only by the keys: its size signed vs unsigned is shown.
#   d. the anchor: Knot 3.2 signing the same zone files (automatic signing, ECDSA P-256 CSK,
#      NSEC, no CDS/CDNSKEY; one background worker, pinned to CPU 0; its databases on a
#      tmpfs and no journal, so like apexd it signs in memory): seconds from start until its
#      log says every zone is signed, first with the keys to make, then again after a
#      restart with the keys there (apexd's case: its keys were made by apexctl), and its
#      QPS on the same DO=1 queries.
# Prints a table at the end. Not part of CI.
#
# Usage: bench/bench_dnssec.sh [--quick]   (from the repository root, after a build)
#   --quick   1,000 zones, 1 run of 3 s each way (checks that the script works)
# Environment (defaults in brackets):
#   BENCH_ZONES     hosting zones [10000]        BENCH_RUNS      runs each way [3]
#   BENCH_DURATION  seconds of dnsperf per run [10]   BENCH_CLIENTS  dnsperf -c [20]
#   BENCH_WARMUP    seconds of unmeasured load before each run [2]
#   BENCH_KNOT      0 to leave out phase d [1]
#   BENCH_DIR       work directory (zone files are reused when parameters match)
#                   [/tmp/apexdns-bench-dnssec]
#   APEX_BUILD_DIR  where apexd/apexctl are [<repo>/build]
# Needs: dnsperf, knot, openssl, dig, curl (scripts/setup.sh) and 2 CPUs.
# Total time with the defaults: about 6-8 minutes on 2 cores, 1-3 of them the 10,000
# `apexctl dnssec enable` (the first time also 20 s to write the zone files).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" = "--quick" ]; then
  BENCH_ZONES=${BENCH_ZONES:-1000}
  BENCH_RUNS=${BENCH_RUNS:-1}
  BENCH_DURATION=${BENCH_DURATION:-3}
elif [ -n "${1:-}" ]; then
  echo "usage: bench/bench_dnssec.sh [--quick]" >&2
  exit 2
fi
source "$REPO/bench/bench_lib.sh"
WARMUP=${BENCH_WARMUP:-2}
WITH_KNOT=${BENCH_KNOT:-1}
DIR=${BENCH_DIR:-/tmp/apexdns-bench-dnssec}
SERVER_CPU=0
CLIENT_CPU=1
STARTUP_LIMIT=300   # seconds a server may take to load (and sign) its zones
SIGNED_LIMIT=600    # seconds Knot may take to sign every zone
SAMPLE=200          # DO=1 answers checked for RRSIGs before the serving runs
CLK_TCK=$(getconf CLK_TCK)

SERVER_PGID=""      # process group of the running server (started with setsid)
STAGE=""            # a tmpfs directory the signed database is made in

cleanup() {
  [ -n "$SERVER_PGID" ] && stop_group "$SERVER_PGID"
  [ -n "$STAGE" ] && rm -rf "$STAGE"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check_tools() {
  require_tools dnsperf knotd knotc openssl taskset dig setsid curl bc ss
  [ "$(nproc)" -ge 2 ] || die "needs 2 CPUs (server and dnsperf pinned apart)"
}

elapsed() { echo "$(date +%s.%N) - $1" | bc; }

# --- data -------------------------------------------------------------------------

# The hosting zones only: big.test. (one name is the least gen_hosting_data.py writes) is
# left out of the databases, of Knot and of the queries, so every zone served is signed.
generate_data() {
  hosting_data "$ZONES" 1
  mkdir -p "$DIR/hosting"
  find "$DIR/hosting" -name '*.zone' -delete
  find "$DIR/data/zones" -name 'cust*.zone' -exec ln -s {} "$DIR/hosting/" \;
  grep -v 'big\.test\.' "$DIR/data/queries.txt" >"$DIR/queries.txt"
  import_apex_db "$DIR/unsigned.db" "$DIR/hosting"
  # One `dnssec enable` per zone, each its own committed transaction: on a tmpfs (when there
  # is one) the commits skip the disk flush, 12 ms rather than 30+ ms a zone.
  local stage=$DIR
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    STAGE=$(mktemp -d /dev/shm/apexdns-bench-dnssec.XXXXXX)
    stage=$STAGE
  fi
  import_apex_db "$stage/signed.db" "$DIR/hosting"
  local start f; start=$(date +%s.%N)
  for f in "$DIR"/hosting/*.zone; do
    "$APEXCTL" --db "$stage/signed.db" dnssec enable "$(basename "$f" .zone)" >/dev/null 2>&1 ||
      die "apexctl dnssec enable $(basename "$f" .zone) failed"
  done
  printf 'apexctl dnssec enable, %s zones one by one: %.1f s\n' "$ZONES" "$(elapsed "$start")"
  if [ "$stage" != "$DIR" ]; then
    rm -f "$DIR/signed.db" "$DIR/signed.db-wal" "$DIR/signed.db-shm"
    mv "$stage"/signed.db* "$DIR/"
    rm -rf "$STAGE"
    STAGE=""
  fi
}

db_bytes() {  # DB: size of the database file with its write-ahead log
  local total=0 f
  for f in "$1" "$1-wal"; do [ -f "$f" ] && total=$((total + $(stat -c %s "$f"))); done
  echo "$total"
}

# --- apexd ------------------------------------------------------------------------

start_apexd() {  # DB: sets SERVER_PGID and STARTUP (start -> first answer)
  local start; start=$(date +%s.%N)
  setsid taskset -c $SERVER_CPU "$APEXD" --db "$1" --listen "127.0.0.1:$PORT" --threads 1 \
    --metrics "127.0.0.1:$METRICS_PORT" >"$DIR/apexd.log" 2>&1 &
  SERVER_PGID=$!
  wait_answers "cust00001.example." || { cat "$DIR/apexd.log" >&2; die "apexd did not start"; }
  STARTUP=$(elapsed "$start")
}

wait_answers() {  # PROBE-NAME: poll with DNS queries until one is answered (bounded)
  local deadline=$((SECONDS + STARTUP_LIMIT))
  while [ $SECONDS -lt $deadline ]; do
    kill -0 "$SERVER_PGID" 2>/dev/null || return 1
    if dig @127.0.0.1 -p "$PORT" +tries=1 +time=1 +norec "$1" SOA 2>/dev/null |
        grep -q 'status: NOERROR'; then
      return 0
    fi
    sleep 0.02
  done
  return 1
}

stop_server() {
  stop_group "$SERVER_PGID"
  SERVER_PGID=""
}

signatures_total() {  # apexd_dnssec_signatures_total, scraped from /metrics
  curl -fsS --max-time 5 "http://127.0.0.1:$METRICS_PORT/metrics" |
    awk '$1 == "apexd_dnssec_signatures_total" { print $2; found = 1 }
         END { if (!found) exit 1 }' || die "no apexd_dnssec_signatures_total in /metrics"
}

load_ms() {  # apexd's own load time, from its "loaded N zones (...) in X ms" line
  sed -n 's/.*loaded [0-9]* zones (\([0-9]*\) signed).* in \([0-9]*\) ms.*/\1 \2/p' \
    "$DIR/apexd.log" | tail -1
}

group_rss_kib() {
  local total=0 pid k
  for pid in $(group_pids "$SERVER_PGID"); do
    k=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + ${k:-0}))
  done
  echo "$total"
}

load_one() {  # KIND DB RESULTS: one start; appends "kind load_ms signed_zones sigs rss startup"
  local kind=$1 db=$2 signed ms sigs rss
  start_apexd "$db"
  sleep 1
  read -r signed ms <<<"$(load_ms)"
  [ -n "${ms:-}" ] || die "no 'loaded ... in X ms' line in $DIR/apexd.log"
  sigs=$(signatures_total)
  rss=$(group_rss_kib)
  stop_server
  echo "$kind $ms $signed $sigs $rss $STARTUP" >>"$3"
  printf '  %-8s load=%6d ms  signed zones=%-6s signatures=%-8s rss_kib=%-8s startup=%.2f s\n' \
    "$kind" "$ms" "$signed" "$sigs" "$rss" "$STARTUP"
}

# --- serving ----------------------------------------------------------------------

dnsperf_run() {  # SECONDS [dnsperf options]: prints "completed qps rcodes"
  local seconds=$1 out
  shift
  out=$(taskset -c $CLIENT_CPU dnsperf -s 127.0.0.1 -p "$PORT" -d "$DIR/queries.txt" \
    -c "$CLIENTS" -T 1 -l "$seconds" -t 2 "$@" 2>&1)
  echo "$out" >>"$DIR/dnsperf.log"
  awk '/Queries completed:/ { c = $3 } /Queries per second:/ { q = $4 }
       /Response codes:/ { sub(/^ *Response codes: */, ""); r = $0; gsub(/ [0-9]+ \(/, "=", r); gsub(/\)/, "", r); gsub(/ /, "", r) }
       END { print c, q, r }' <<<"$out"
}

check_signed_answers() {  # a sample of DO=1 answers with an answer section carries RRSIGs
  local name type answered=0 signed=0 out
  while read -r name type; do
    out=$(dig @127.0.0.1 -p "$PORT" +tries=1 +time=2 +norec +dnssec +bufsize=1232 \
      "$name" "$type" 2>/dev/null)
    grep -q 'status: NOERROR' <<<"$out" || continue
    grep -q 'ANSWER: [1-9]' <<<"$out" || continue
    answered=$((answered + 1))
    awk '/^;; ANSWER SECTION/ { a = 1; next } /^$/ { a = 0 } a && $4 == "RRSIG"' <<<"$out" |
      grep -q . && signed=$((signed + 1))
  done < <(head -n "$SAMPLE" "$DIR/queries.txt")
  echo "  sample: $answered of the first $SAMPLE queries answered with data, $signed with RRSIGs"
  [ "$answered" -gt 0 ] && [ "$signed" -eq "$answered" ] ||
    die "DO=1 answers without RRSIG: the zones are not served signed"
}

cpu_ticks() {  # CPU: user + nice + system ticks of that CPU since boot
  awk -v c="cpu$1" '$1 == c { print $2 + $3 + $4 }' /proc/stat
}

# RESULTS gets "kind qps rcodes signatures-made cpu-us-per-query other-load-%" per run: the
# server's CPU time per query is the cost even when dnsperf, or a neighbour, is the limit;
# other load is CPU 0's busy time not spent in apexd (above 5 % the run shared its core).
serve_runs() {  # RESULTS: interleaved DO=0 / DO=1 runs on one apexd
  start_apexd "$DIR/signed.db"
  check_signed_answers
  local run kind before after result do_flag t0 t1 c0 c1 w0 w1 cpu_us other
  for run in $(seq "$RUNS"); do
    for kind in do0 do1; do
      # Alternate which goes first, so neither always follows a rest.
      [ $((run % 2)) -eq 0 ] && kind=$([ "$kind" = do0 ] && echo do1 || echo do0)
      do_flag=(); [ "$kind" = do1 ] && do_flag=(-D)
      [ "$WARMUP" -gt 0 ] && dnsperf_run "$WARMUP" "${do_flag[@]}" >/dev/null
      before=$(signatures_total)
      t0=$(group_cpu_ticks "$SERVER_PGID"); c0=$(cpu_ticks $SERVER_CPU); w0=$(date +%s.%N)
      result=$(dnsperf_run "$DURATION" "${do_flag[@]}")
      t1=$(group_cpu_ticks "$SERVER_PGID"); c1=$(cpu_ticks $SERVER_CPU); w1=$(date +%s.%N)
      after=$(signatures_total)
      cpu_us=$(echo "scale=3; ($t1 - $t0) * 1000000 / $CLK_TCK / ${result%% *}" | bc)
      other=$(echo "$((c1 - c0 - t1 + t0)) $(echo "$w1 - $w0" | bc)" |
        awk -v hz="$CLK_TCK" '{ p = $1 * 100 / hz / $2; printf "%.1f", p < 0 ? 0 : p }')
      echo "$kind $(cut -d' ' -f2- <<<"$result") $((after - before)) $cpu_us $other" >>"$1"
      printf '  run %d %s: qps=%.0f cpu_us/query=%s other_load_cpu0=%s%% rcodes=%s signatures during the run: %d\n' \
        "$run" "$kind" "$(cut -d' ' -f2 <<<"$result")" "$cpu_us" "$other" \
        "$(cut -d' ' -f3 <<<"$result")" "$((after - before))"
    done
  done
  stop_server
}

# --- openssl reference --------------------------------------------------------------

openssl_reference() {  # sets SSL_P256 and SSL_ED25519 (sign/s on CPU 0)
  local out
  out=$(taskset -c $SERVER_CPU openssl speed -seconds 3 ecdsap256 ed25519 2>/dev/null)
  echo "$out" >"$DIR/openssl-speed.txt"
  SSL_P256=$(awk '/ecdsa \(nistp256\)/ { print $(NF - 1) }' <<<"$out" | tail -1)
  SSL_ED25519=$(awk '/EdDSA \(Ed25519\)/ { print $(NF - 1) }' <<<"$out" | tail -1)
  [ -n "$SSL_P256" ] && [ -n "$SSL_ED25519" ] || die "cannot read openssl speed's output"
  printf '  openssl speed (CPU %d): ecdsap256 %.0f sign/s, ed25519 %.0f sign/s\n' \
    $SERVER_CPU "$SSL_P256" "$SSL_ED25519"
}

# --- Knot ---------------------------------------------------------------------------

# Knot's databases (keys, timers; no journal: like apexd it keeps the signed zone in memory
# only) on a tmpfs when there is one, so disk flushes don't count in its signing time either.
write_knot_conf() {  # automatic signing: one ECDSA P-256 CSK per zone, NSEC, no CDS/CDNSKEY
  rm -rf "$DIR/knot"
  mkdir -p "$DIR/knot"
  KNOT_DB=$DIR/knot
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    STAGE=$(mktemp -d /dev/shm/apexdns-bench-knot.XXXXXX)
    KNOT_DB=$STAGE
  fi
  {
    cat <<EOF
server:
    rundir: "$KNOT_DB"
    listen: 127.0.0.1@$PORT
    background-workers: 1
    udp-workers: 1
    tcp-workers: 1
database:
    storage: "$KNOT_DB"
log:
  - target: "$DIR/knot/knot.log"
    any: info
policy:
  - id: csk
    algorithm: ecdsap256sha256
    single-type-signing: on
    nsec3: off
    cds-cdnskey-publish: none
template:
  - id: default
    storage: "$DIR/hosting"
    file: "%s.zone"
    dnssec-signing: on
    dnssec-policy: csk
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
zone:
EOF
    for f in "$DIR"/hosting/*.zone; do
      printf '  - domain: %s\n' "$(basename "$f" .zone)"
    done
  } >"$DIR/knot/knot.conf"
}

knot_signed_zones() {
  if [ -f "$DIR/knot/knot.log" ]; then grep -c 'DNSSEC, successfully signed' "$DIR/knot/knot.log" || true
  else echo 0; fi
}

knot_start_signed() {  # starts knotd (SERVER_PGID); KNOT_T: seconds until every zone is signed
  local start deadline
  rm -f "$DIR/knot/knot.log"
  start=$(date +%s.%N)
  setsid taskset -c $SERVER_CPU knotd -c "$DIR/knot/knot.conf" >"$DIR/knot/stdout.log" 2>&1 &
  SERVER_PGID=$!
  deadline=$((SECONDS + SIGNED_LIMIT))
  while [ "$(knot_signed_zones)" -lt "$ZONES" ]; do
    kill -0 "$SERVER_PGID" 2>/dev/null || { tail "$DIR/knot/stdout.log" >&2; die "knotd exited"; }
    [ $SECONDS -lt $deadline ] ||
      die "Knot signed $(knot_signed_zones) of $ZONES zones in ${SIGNED_LIMIT}s"
    sleep 0.1
  done
  KNOT_T=$(elapsed "$start")
}

knot_run() {  # sets KNOT_KEYS_S, KNOT_SIGN_S, KNOT_SIGS, KNOT_QPS, KNOT_RCODES
  write_knot_conf
  # First start: a key made for each zone, then the zone signed. Second start: the keys are
  # there and the zones (from their files, no journal) are signed again: apexd's case.
  knot_start_signed
  KNOT_KEYS_S=$KNOT_T
  stop_server
  knot_start_signed
  KNOT_SIGN_S=$KNOT_T
  # Knot logs no signature count: the RRSIGs of the first zone, times the zones (the
  # generated zones all have the same RRsets).
  local per_zone
  per_zone=$(knotc -s "$KNOT_DB/knot.sock" zone-read cust00001.example |
    awk '$4 == "RRSIG" { n++ } END { print n + 0 }')
  KNOT_SIGS=$((per_zone * ZONES))
  printf '  Knot: keys made and %d zones signed in %.2f s; restarted, signed again in %.2f s (%d RRSIGs a zone)\n' \
    "$ZONES" "$KNOT_KEYS_S" "$KNOT_SIGN_S" "$per_zone"
  [ "$WARMUP" -gt 0 ] && dnsperf_run "$WARMUP" -D >/dev/null
  local result; result=$(dnsperf_run "$DURATION" -D)
  KNOT_QPS=$(cut -d' ' -f2 <<<"$result")
  KNOT_RCODES=$(cut -d' ' -f3 <<<"$result")
  printf '  Knot DO=1: qps=%.0f rcodes=%s\n' "$KNOT_QPS" "$KNOT_RCODES"
  stop_server
  if [ -n "$STAGE" ]; then rm -rf "$STAGE"; STAGE=""; fi
}

# --- report -------------------------------------------------------------------------

column() { awk -v k="$2" -v c="$3" '$1 == k { print $c }' "$1" | median; }

report() {  # SERVE-RESULTS LOAD-RESULTS
  local serve=$1 load=$2
  local q0 q1 ratios moved
  q0=$(column "$serve" do0 2)
  q1=$(column "$serve" do1 2)
  ratios=$(paste <(awk '$1 == "do1" { print $2 }' "$serve") <(awk '$1 == "do0" { print $2 }' "$serve") |
    awk '{ printf "%.3f\n", $1 / $2 }')
  moved=$(awk '$1 == "do1" { s += $4 } END { print s + 0 }' "$serve")
  local c0 c1 cost
  c0=$(column "$serve" do0 5)
  c1=$(column "$serve" do1 5)
  cost=$(paste <(awk '$1 == "do1" { print $5 }' "$serve") <(awk '$1 == "do0" { print $5 }' "$serve") |
    awk '{ printf "%.3f\n", $1 / $2 }')
  local lu ls sigs ru rs su ss sign_s per_s
  lu=$(column "$load" unsigned 2); ls=$(column "$load" signed 2)
  sigs=$(column "$load" signed 4)
  ru=$(column "$load" unsigned 5); rs=$(column "$load" signed 5)
  su=$(column "$load" unsigned 6); ss=$(column "$load" signed 6)
  sign_s=$(echo "($ls - $lu) / 1000" | bc -l)
  per_s=$(echo "$sigs / $sign_s" | bc -l)
  local dbu dbs; dbu=$(db_bytes "$DIR/unsigned.db"); dbs=$(db_bytes "$DIR/signed.db")

  echo
  echo "== results: $ZONES signed hosting zones, apexd on CPU $SERVER_CPU, dnsperf -c $CLIENTS on CPU $CLIENT_CPU =="
  echo "a. serving ($RUNS interleaved runs of ${DURATION}s each way, same queries):"
  printf '   %-28s %10.0f\n' "QPS DO=0 (median)" "$q0"
  printf '   %-28s %10.0f\n' "QPS DO=1 (median)" "$q1"
  printf '   %-28s %10.3f   (runs: %s; goal >= 0.8)\n' "DO=1/DO=0 (median)" \
    "$(echo "$ratios" | median)" "$(tr '\n' ' ' <<<"$ratios" | sed 's/ $//')"
  printf '   %-28s %10.2f µs DO=0, %.2f µs DO=1: DO=1/DO=0 %.3f (runs: %s)\n' \
    "apexd CPU time per query" "$c0" "$c1" "$(echo "$cost" | median)" \
    "$(tr '\n' ' ' <<<"$cost" | sed 's/ $//')"
  printf '   %-28s %10d   (must be 0)\n' "signatures during DO=1 runs" "$moved"
  echo "   other load on CPU $SERVER_CPU per run (above 5 %: shared its core): $(awk '{ printf "%s %s%%; ", $1, $6 }' "$serve")"
  echo "   rcodes per run: $(awk '{ printf "%s %s; ", $1, $3 }' "$serve")"
  echo "b. signing from scratch (apexd's load time, median of $RUNS starts each):"
  printf '   %-28s %10.0f ms (start to first answer %.2f s)\n' "load unsigned" "$lu" "$su"
  printf '   %-28s %10.0f ms (start to first answer %.2f s)\n' "load signed" "$ls" "$ss"
  printf '   %-28s %10.0f   (%.1f per zone)\n' "signatures made" "$sigs" "$(echo "$sigs / $ZONES" | bc -l)"
  printf '   %-28s %10.0f   (= signatures / (signed - unsigned load time), one core)\n' \
    "signatures/s/core" "$per_s"
  printf '   %-28s %10.0f   (apexd/openssl %.2f)\n' "openssl ecdsap256 sign/s" "$SSL_P256" \
    "$(echo "$per_s / $SSL_P256" | bc -l)"
  printf '   %-28s %10.0f\n' "openssl ed25519 sign/s" "$SSL_ED25519"
  echo "c. memory:"
  printf '   %-28s %10d KiB unsigned, %d KiB signed\n' "apexd RSS after load" "$ru" "$rs"
  printf '   %-28s %10.0f B\n' "RSS per signature" "$(echo "($rs - $ru) * 1024 / $sigs" | bc -l)"
  printf '   %-28s %10d B unsigned, %d B signed (keys only: signatures are not stored)\n' \
    "database size" "$dbu" "$dbs"
  if [ "$WITH_KNOT" = 1 ]; then
    echo "d. Knot 3.2 (ECDSA P-256 CSK, NSEC, 1 background worker on CPU $SERVER_CPU):"
    printf '   %-28s %10.2f s\n' "start, keys made, signed" "$KNOT_KEYS_S"
    printf '   %-28s %10.2f s   (apexd: %.2f s from start to answering, signed)\n' \
      "restart, signed again" "$KNOT_SIGN_S" "$ss"
    printf '   %-28s %10.0f   (%d RRSIGs / restart time; apexd the same way: %.0f)\n' \
      "signatures/s, start included" "$(echo "$KNOT_SIGS / $KNOT_SIGN_S" | bc -l)" "$KNOT_SIGS" \
      "$(echo "$sigs / $ss" | bc -l)"
    printf '   %-28s %10.0f   (apexd/Knot %.2f) rcodes %s\n' "QPS DO=1, one ${DURATION}s run" \
      "$KNOT_QPS" "$(echo "$q1 / $KNOT_QPS" | bc -l)" "$KNOT_RCODES"
  fi
  [ "$moved" -eq 0 ] || die "apexd_dnssec_signatures_total moved by $moved under DO=1 load"
}

main() {
  check_tools
  free_dns_and_metrics_ports
  mkdir -p "$DIR"
  : >"$DIR/dnsperf.log"
  echo "bench: $ZONES zones, data in $DIR, port $PORT, server on CPU $SERVER_CPU, dnsperf on CPU $CLIENT_CPU"
  generate_data
  echo "b/c. loads, interleaved unsigned / signed:"
  local load="$DIR/load.txt" serve="$DIR/serve.txt"
  : >"$load"
  : >"$serve"
  for _ in $(seq "$RUNS"); do
    load_one unsigned "$DIR/unsigned.db" "$load"
    load_one signed "$DIR/signed.db" "$load"
  done
  echo "a. serving the signed zones, DO=0 / DO=1:"
  serve_runs "$serve"
  echo "b. reference:"
  openssl_reference
  if [ "$WITH_KNOT" = 1 ]; then
    echo "d. Knot:"
    knot_run
  fi
  report "$serve" "$load"
}

main "$@"
