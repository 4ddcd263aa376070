#!/usr/bin/env bash
# The signed shared-ALIAS benchmark: one ALIAS target used by every apex of BENCH_ZONES
# signed zones changes address; how long until every zone answers the new address signed,
# what it costs in signatures and memory, and whether answering slows meanwhile
# (ARCHITECTURE.md §4 "Signed ALIAS answers": N zone rebuilds in the background).
#
# Data: BENCH_ZONES customer zones (SOA, 2 NS, apex ALIAS to lb.provider.test., MX, TXT,
# www CNAME to the apex, mail A), each signed with `apexctl dnssec enable` (CSK, ECDSA P-256,
# NSEC; the database is staged on /dev/shm, where a commit skips the disk flush), and the
# unsigned provider zone provider.test. (`zone import --provider`) holding lb's A, served by
# the same apexd: the target resolves locally, so the time measured is apexd's own (an
# upstream resolver's cache would add up to the target's TTL, whatever the server does).
# apexd (one worker; its threads all pinned to CPU 0) serves a copy of that database, with
# no upstream resolver. Then, on CPU 1:
#   1. a poller (bench_dnssec_alias.py: UDP, 200 queries in flight, DO=1) sweeps every zone's
#      apex A for 20 s after apexd answers and reports the zones not serving the zone files'
#      address (START) signed by then; then a warm-up change START -> OLD, unmeasured, after
#      which every zone must serve OLD with an RRSIG (so the measured change starts from
#      flattened addresses whose signatures are stored, as any later change does);
#   2. dnsperf -D -c BENCH_CLIENTS runs BENCH_DURATION s over a query list of the apexes and
#      other names (www CNAME, mail A, AAAA NODATA, NXDOMAIN) while the poller sweeps every
#      zone: the "before" window;
#   3. dnsperf starts again for BENCH_DURATION s and, 0.3 s in, `apexctl record set
#      lb.provider.test. A NEW`; the poller sweeps the zones not yet answering NEW signed
#      until all do, then the whole set again until dnsperf ends: the "during" window.
# Printed: seconds from the change (apexctl's start) until 50 %, 99 % and 100 % of the
# zones answer NEW with an RRSIG (each zone's time is the first sweep that saw it, so the
# resolution is one sweep); apexd_dnssec_signatures_total before and after (metrics
# endpoint) and the made/reused counts of apexd's log; QPS, worst latency and per-second
# QPS of both dnsperf windows and their ratio; apexd's RSS before and after; and a sample
# of answers whose RRSIG dnspython validates against the zone's DNSKEY.
# Not part of CI.
#
# Usage: bench/bench_dnssec_alias.sh [--quick]   (from the repository root, after a build)
#   --quick   1,000 zones, 3 s windows (checks that the script works)
# Environment (defaults in brackets):
#   BENCH_ZONES     signed customer zones [10000]
#   BENCH_DURATION  seconds of each dnsperf window [30: longer than the re-signing of 10,000
#                   zones, so the second window covers all of it]
#   BENCH_CLIENTS   dnsperf -c [20]
#   BENCH_PACE      0 < f < 1: both windows run dnsperf at f times the QPS apexd answers as
#                   fast as it can (measured in a first window), leaving apexd CPU time to
#                   spare, as a server with headroom has [empty: as fast as apexd answers,
#                   where the re-signing gets only what the worker leaves: it runs at the
#                   lowest CPU priority]
#   BENCH_TIMEOUT   seconds the poller waits for every zone to answer the new address [300]
#   BENCH_VERIFY    answers validated with dnspython after the change [50]
#   BENCH_DIR       work directory (signed database reused when parameters match)
#                   [/tmp/apexdns-bench-dnssec-alias]
#   APEX_BUILD_DIR  where apexd/apexctl are [<repo>/build]
# Needs: dnsperf, taskset, dig, python3 with dnspython and cryptography, 2 CPUs.
# Total time with the defaults: about 2.5 minutes (apexd's start signing 120,000 RRSIGs, the
# warm-up change, two 30 s windows), plus 1-1.5 minutes the first time for the 10,000
# `apexctl dnssec enable` (on /dev/shm); `--quick` about 40 s.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" = "--quick" ]; then
  BENCH_ZONES=${BENCH_ZONES:-1000}
  BENCH_DURATION=${BENCH_DURATION:-3}
elif [ -n "${1:-}" ]; then
  echo "usage: bench/bench_dnssec_alias.sh [--quick]" >&2
  exit 2
fi
BENCH_DURATION=${BENCH_DURATION:-30}
source "$REPO/bench/bench_lib.sh"
DIR=${BENCH_DIR:-/tmp/apexdns-bench-dnssec-alias}
VERIFY=${BENCH_VERIFY:-50}
HELPER=$REPO/bench/bench_dnssec_alias.py
START=192.0.2.10  # the target's address in the zone files
OLD=192.0.2.1     # after the warm-up change
NEW=192.0.2.2     # after the measured change
SERVER_CPU=0
CLIENT_CPU=1
SERVER_PGID=""
STAGE=""

cleanup() {
  [ -n "$SERVER_PGID" ] && stop_group "$SERVER_PGID"
  [ -n "$STAGE" ] && rm -rf "$STAGE"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

require_tools dnsperf taskset dig setsid ss
[ "$(nproc)" -ge 2 ] || die "needs 2 CPUs (server and clients pinned apart)"
[ "$ZONES" -le 65535 ] || die "at most 65,535 zones (the poller's query ID is the zone's index)"
"$PY" -c 'import dns.dnssec, cryptography' 2>/dev/null || die "python3 needs dnspython and cryptography"
mkdir -p "$DIR"

# --- data: zone files, import and keys once per parameter set ------------------------
stamp="zones=$ZONES v2"
if [ "$(cat "$DIR/stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$DIR/data" "$DIR"/*.db* "$DIR/stamp"
  "$PY" "$HELPER" gen "$DIR/data" --zones "$ZONES" --address "$START"
  STAGE=$DIR
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then STAGE=$(mktemp -d /dev/shm/apexdns-bench-dnssec-alias.XXXXXX); fi
  import_apex_db "$STAGE/pristine.db" "$DIR/data/customers"
  "$APEXCTL" --db "$STAGE/pristine.db" zone import "$DIR/data/provider" --provider >/dev/null
  start=$(date +%s.%N)
  for f in "$DIR"/data/customers/*.zone; do
    "$APEXCTL" --db "$STAGE/pristine.db" dnssec enable "$(basename "$f" .zone)" >/dev/null 2>&1 ||
      die "apexctl dnssec enable $(basename "$f" .zone) failed"
  done
  printf 'apexctl dnssec enable, %s zones one by one: %.1f s\n' "$ZONES" \
    "$(echo "$(date +%s.%N) - $start" | bc)"
  if [ "$STAGE" != "$DIR" ]; then
    mv "$STAGE"/pristine.db* "$DIR/"
    rm -rf "$STAGE"
  fi
  STAGE=""
  echo "$stamp" >"$DIR/stamp"
fi
# Every run starts from the same signed zones, with nothing flattened or signed yet.
rm -f "$DIR/run.db" "$DIR/run.db-wal" "$DIR/run.db-shm"
for f in "$DIR"/pristine.db*; do cp "$f" "$DIR/run.db${f#"$DIR/pristine.db"}"; done

# --- apexd ----------------------------------------------------------------------------
free_dns_and_metrics_ports
echo "bench: $ZONES signed zones, data in $DIR, port $PORT, apexd on CPU $SERVER_CPU"
start=$(date +%s.%N)
# No upstream resolver (port 9, discard): the one target is in the provider zone.
setsid taskset -c $SERVER_CPU "$APEXD" --db "$DIR/run.db" --listen "127.0.0.1:$PORT" \
  --threads 1 --metrics "127.0.0.1:$METRICS_PORT" --resolver 127.0.0.1:9 \
  >"$DIR/apexd.log" 2>&1 &
SERVER_PGID=$!
deadline=$((SECONDS + 300))
until dig @127.0.0.1 -p "$PORT" +tries=1 +time=1 +norec "$(printf 'cust%05d.example.' 0)" SOA 2>/dev/null |
    grep -q 'status: NOERROR'; do
  kill -0 "$SERVER_PGID" 2>/dev/null || { cat "$DIR/apexd.log" >&2; die "apexd did not start"; }
  [ $SECONDS -lt $deadline ] || die "apexd did not answer within 300 s"
  sleep 0.05
done
printf 'apexd answering %.2f s after its start\n' "$(echo "$(date +%s.%N) - $start" | bc)"
taskset -c $CLIENT_CPU "$PY" "$HELPER" startup --port "$PORT" --zones "$ZONES" --address "$START"

"$PY" "$HELPER" measure --port "$PORT" --metrics-port "$METRICS_PORT" --zones "$ZONES" \
  --pid "$SERVER_PGID" --clients "$CLIENTS" --server-cpu $SERVER_CPU --client-cpu $CLIENT_CPU \
  --verify "$VERIFY" --start "$START" --old "$OLD" --new "$NEW" --apexctl "$APEXCTL" --db "$DIR/run.db" \
  --queries "$DIR/data/queries.txt" --log "$DIR/apexd.log" --dir "$DIR" \
  --duration "$DURATION" --rate-fraction "${BENCH_PACE:-0}" --timeout "${BENCH_TIMEOUT:-300}"
