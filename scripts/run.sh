#!/usr/bin/env bash
# Quick start: installs what is missing, builds, creates ./apexdns.db from examples/zones if
# there is none yet, and runs apexd on 127.0.0.1:5353 (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh release --target apexd apexctl >/dev/null
if [ ! -e apexdns.db ]; then
  build/admin/apexctl --db apexdns.db init
  # The hosting company's own zone, provider-owned: ALIAS targets inside it (cafe.example ->
  # www.hostco.example) resolve from this server's data; a customer's zone never answers
  # another customer's alias target.
  build/admin/apexctl --db apexdns.db zone import examples/zones
  build/admin/apexctl --db apexdns.db zone provider hostco.example on
  build/admin/apexctl --db apexdns.db zone import examples/alias
fi
exec build/server/apexd --db apexdns.db "$@"
