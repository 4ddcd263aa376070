#!/usr/bin/env bash
# Fleet convergence: one NSD 4.6 and one Knot 3.2 secondary (TSIG, NOTIFY from the primary,
# SOA refresh 1 h so only NOTIFY moves them) of 10,000 hosting zones + one provider zone, all
# on 127.0.0.1 with free ports; seconds until both secondaries serve
#   - the initial transfer of every zone (secondaries started empty),
#   - 1,000 new records in 1,000 zones made by one command (`apexctl apply FILE`; Knot: one
#     knotc process: zone-begin with the 1,000 zones, one zone-set per record,
#     zone-commit with the 1,000 zones),
#   - 1,000 more in 1,000 other zones, one command per change (`apexctl record add`; Knot:
#     one knotc process per change),
#   - (apexd only; Knot has no ALIAS) the address of the ALIAS target every customer apex
#     points to changing: apexd raises all 10,000 serials ([notify] alias_serial_interval_s
#     = 1 here) and NOTIFY is paced by [notify] rate (apexd's default 1000 unless
#     BENCH_NOTIFY_RATE is set),
# with apexd and then Knot 3.2 as the primary of the same zones (each with freshly started,
# empty secondaries). Prints a table: scenario, apexd seconds, Knot seconds, ratio. Details in
# bench/bench_fleet.py. Nothing is pinned: primary, secondaries and the poller share the
# machine. Not part of CI.
#
# Usage: bench/bench_fleet.sh          (from the repository root, after a build)
# Environment (defaults in brackets):
#   BENCH_ZONES        customer zones [10000]      BENCH_CHANGES  records per change scenario [1000]
#   BENCH_SEPARATE     1: also the one-command-per-change scenario, 0: not [1]
#   BENCH_PRIMARIES    comma-separated subset of apexd,knot [apexd,knot]
#   BENCH_NOTIFY_RATE  apexd's [notify] rate, NOTIFY messages per second [1000]
#   BENCH_LIMIT        seconds a scenario may take before it is reported as not converged [120]
#   BENCH_DIR          work directory (zone files are reused when BENCH_ZONES matches)
#                      [/tmp/apexdns-bench-fleet]
#   APEX_BUILD_DIR     where apexd/apexctl are [<repo>/build]
# Needs: nsd, knot, python3-dnspython (scripts/setup.sh installs them).
# Total time with the defaults: about 5-7 minutes on 2 cores (a scenario that does not
# converge adds up to BENCH_LIMIT seconds).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
source "$REPO/bench/bench_lib.sh"

require_tools nsd knotd knotc
/usr/bin/python3 -c 'import dns' 2>/dev/null ||
  die "python3-dnspython missing: run scripts/setup.sh"

exec /usr/bin/python3 "$REPO/bench/bench_fleet.py" \
  --zones "${BENCH_ZONES:-10000}" --changes "${BENCH_CHANGES:-1000}" \
  --separate "${BENCH_SEPARATE:-1}" --primaries "${BENCH_PRIMARIES:-apexd,knot}" \
  --notify-rate "${BENCH_NOTIFY_RATE:-1000}" --limit "${BENCH_LIMIT:-120}" \
  --dir "${BENCH_DIR:-/tmp/apexdns-bench-fleet}" --build "$BUILD"
