#!/usr/bin/env bash
# Crash soak: N cycles of kill -9 of apexd and of apexctl in the middle of writes (record
# add and delete, apply files, zone import), apexd restarted every cycle. At the end it
# reports acknowledged changes lost (an apexctl that exited 0 whose change is not in the
# database: must be 0), PRAGMA integrity_check, whether apexd's answers match the database
# (a sample), and whether a served serial ever went backwards. Exit 1 when any check
# fails. Not part of CI.
#
# Usage: bench/soak_kill9.sh            (from the repository root, after a build)
# Environment (defaults in brackets):
#   SOAK_CYCLES    kill -9 cycles [1000]
#   SOAK_DIR       work directory, emptied first [/tmp/apexdns-soak]
#   SOAK_SEED      random seed, to replay a run [the time]
#   APEX_BUILD_DIR where apexd/apexctl are [<repo>/build]
# About 0.2 s per cycle (mostly apexd's restart).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${APEX_BUILD_DIR:-$REPO/build}
die() { echo "soak: $*" >&2; exit 1; }

for f in "$BUILD/server/apexd" "$BUILD/admin/apexctl"; do
  [ -x "$f" ] || die "$f missing: build first (see README)"
done
/usr/bin/python3 -c 'import dns' 2>/dev/null || die "python3-dnspython missing: run scripts/setup.sh"

exec /usr/bin/python3 "$REPO/bench/soak_kill9.py" --cycles "${SOAK_CYCLES:-1000}" \
  --dir "${SOAK_DIR:-/tmp/apexdns-soak}" --build "$BUILD" --repo "$REPO" \
  ${SOAK_SEED:+--seed "$SOAK_SEED"}
