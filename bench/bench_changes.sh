#!/usr/bin/env bash
# The operating benchmark (issue 3), side by side with NSD and Knot on the same data:
# time to import 100,000 zones / 1,000,000 records, startup time and memory with that
# data, and change-to-served latency p50/p99 over a few hundred changes. The server is
# pinned to CPU 0 and the measuring client to CPU 1. The output says how each server's
# change was applied. Not part of CI.
#
# Usage: bench/bench_changes.sh            (from the repository root, after a build)
# Environment (defaults in brackets):
#   BENCH_ZONES    hosting zones, 10 records each [100000]
#   BENCH_CHANGES  changes per server [300]
#   BENCH_SERVERS  comma-separated subset of apexd,nsd,knot-txn,knot-reload [all four]
#   BENCH_DIR      work directory (zone files are reused when BENCH_ZONES matches)
#                  [/tmp/apexdns-bench-changes]
#   BENCH_APEX_RELOAD_MS  apexd's [server] reload_interval_ms [apexd's default, 100]
#   APEX_BUILD_DIR where apexd/apexctl are [<repo>/build]
# Total time with the defaults: about 8 minutes on 2 cores (mostly the pauses between
# changes, Knot loading 100,000 zones twice and NSD's reloads).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
source "$REPO/bench/bench_lib.sh"

require_tools nsd nsd-control knotd knotc taskset
[ "$(nproc)" -ge 2 ] || die "needs 2 CPUs (server and client pinned apart)"
/usr/bin/python3 -c 'import dns' 2>/dev/null || die "python3-dnspython missing: run scripts/setup.sh"

exec /usr/bin/python3 "$REPO/bench/bench_changes.py" \
  --zones "${BENCH_ZONES:-100000}" --changes "${BENCH_CHANGES:-300}" \
  --servers "${BENCH_SERVERS:-apexd,nsd,knot-txn,knot-reload}" \
  --dir "${BENCH_DIR:-/tmp/apexdns-bench-changes}" --build "$BUILD" \
  ${BENCH_APEX_RELOAD_MS:+--apexd-reload-ms "$BENCH_APEX_RELOAD_MS"}
