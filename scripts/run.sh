#!/usr/bin/env bash
# Quick start: installs what is missing, builds, creates ./apexdns.db from examples/zones if
# there is none yet, and runs apexd on 127.0.0.1:5353 (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh release --target apexd apexctl >/dev/null
if [ ! -e apexdns.db ]; then
  build/admin/apexctl --db apexdns.db init
  build/admin/apexctl --db apexdns.db zone import examples/zones
  build/admin/apexctl --db apexdns.db zone import examples/alias
fi
exec build/server/apexd --db apexdns.db "$@"
