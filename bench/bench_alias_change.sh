#!/usr/bin/env bash
# The ALIAS change benchmark: how long one alias change takes to reach apexd's answers when
# many aliases are served, and what an alias costs in memory (ARCHITECTURE.md §3.6: the cost
# of a change follows the change, not the number of aliases).
#
# Data: BENCH_ZONES customer zones, each with an apex ALIAS to one of BENCH_TARGETS targets
# in a provider zone (`--provider`) that apexd serves itself, so every target resolves
# locally and at once. Then BENCH_CHANGES times: `apexctl alias set` re-points a random
# alias to another (already resolved) target, while a UDP client polls apexd in a tight loop
# until the answer shows the new target's address; printed: p50/p90/p99/max of that latency,
# from apexctl's start (its own run included) and from its exit (the commit).
# Memory: apexd's RSS once serving the data set, less its RSS serving the same database with
# the ALIAS records deleted (the zones stay), divided by the number of aliases.
# Not part of CI.
#
# Usage: bench/bench_alias_change.sh     (from the repository root, after a build)
# Environment (defaults in brackets):
#   BENCH_ZONES    customer zones, one alias each [100000]
#   BENCH_TARGETS  distinct targets in the provider zone [300]
#   BENCH_CHANGES  alias changes measured [200]
#   BENCH_THREADS  apexd worker threads [1]
#   BENCH_DIR      work directory (data and database reused when parameters match)
#                  [/tmp/apexdns-bench-alias-change]
#   APEX_BUILD_DIR where apexd/apexctl are [<repo>/build]
# Needs: python3, dig. Total time with the defaults: about 3 minutes on 2 cores the first
# time (writing and importing the zones), about 1 minute after that.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
source "$REPO/bench/bench_lib.sh"
ZONES=${BENCH_ZONES:-100000}
TARGETS=${BENCH_TARGETS:-300}
CHANGES=${BENCH_CHANGES:-200}
THREADS=${BENCH_THREADS:-1}
DIR=${BENCH_DIR:-/tmp/apexdns-bench-alias-change}
HELPER=$REPO/bench/bench_alias_change.py
PORT=${BENCH_PORT:-15399}
SERVER_PGID=""

cleanup() { [ -n "$SERVER_PGID" ] && stop_group "$SERVER_PGID"; return 0; }
trap cleanup EXIT
trap 'exit 130' INT TERM

require_tools dig
mkdir -p "$DIR"

# --- data: written and imported once per parameter set ----------------------------------
stamp="zones=$ZONES targets=$TARGETS v1"
if [ "$(cat "$DIR/stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$DIR/data" "$DIR"/*.db*
  "$PY" "$HELPER" gen "$DIR/data" --zones "$ZONES" --targets "$TARGETS"
  import_apex_db "$DIR/pristine.db" "$DIR/data/customers"
  "$APEXCTL" --db "$DIR/pristine.db" zone import "$DIR/data/provider" --provider >/dev/null
  cp "$DIR/pristine.db" "$DIR/no-alias.db"
  "$PY" "$HELPER" strip "$DIR/no-alias.db"
  echo "$stamp" >"$DIR/stamp"
fi
# Every run starts from the same aliases.
rm -f "$DIR/alias.db" "$DIR/alias.db-wal" "$DIR/alias.db-shm"
cp "$DIR/pristine.db" "$DIR/alias.db"

# --- apexd ------------------------------------------------------------------------------
start_apexd() {  # DB: sets SERVER_PGID once it answers
  setsid "$APEXD" --db "$1" --listen "127.0.0.1:$PORT" --threads "$THREADS" \
    >"$DIR/apexd.log" 2>&1 &
  SERVER_PGID=$!
  local deadline=$((SECONDS + 300))
  until dig @127.0.0.1 -p "$PORT" +tries=1 +time=1 +norec cust000000.example. SOA 2>/dev/null |
      grep -q 'status: NOERROR'; do
    kill -0 "$SERVER_PGID" 2>/dev/null || { cat "$DIR/apexd.log" >&2; die "apexd did not start"; }
    [ $SECONDS -lt $deadline ] || die "apexd did not answer within 300 s"
    sleep 0.1
  done
}

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PGID/status"; }

stop_apexd() { stop_group "$SERVER_PGID"; SERVER_PGID=""; }

start_apexd "$DIR/no-alias.db"
sleep 2
RSS_BASE=$(rss_kib)
stop_apexd

start_apexd "$DIR/alias.db"
"$PY" "$HELPER" wait --port "$PORT" --zones "$ZONES" --targets "$TARGETS"
sleep 2
RSS_ALIAS=$(rss_kib)
echo "apexd RSS: $RSS_BASE KiB without the aliases, $RSS_ALIAS KiB with $ZONES aliases" \
  "over $TARGETS targets: $(( (RSS_ALIAS - RSS_BASE) * 1024 / ZONES )) bytes per alias"

"$PY" "$HELPER" changes --port "$PORT" --zones "$ZONES" --targets "$TARGETS" \
  --apexctl "$APEXCTL" --db "$DIR/alias.db" --changes "$CHANGES"
echo "apexd: $(grep -c . "$DIR/apexd.log") log lines ($DIR/apexd.log)"
