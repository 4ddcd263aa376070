#!/usr/bin/env bash
# Configures and builds apexdns. Usage: scripts/build.sh [release|asan] [cmake --build args…]
#   release  build/       optimised binaries and unit tests (default): -O2, the optimisation the
#                         benchmarks are measured at, without debug information (a third of
#                         the compile time; the "dev" preset keeps it)
#   asan     build-asan/  unit tests under AddressSanitizer + UndefinedBehaviorSanitizer
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-release}
shift || true
case "$kind" in
  release) dir=build; flags=(-DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG"
                             -DAPEXDNS_WERROR=ON) ;;
  asan) dir=build-asan; flags=(-DCMAKE_BUILD_TYPE=Debug -DAPEXDNS_SANITIZE=ON -DAPEXDNS_WERROR=ON) ;;
  *) echo "usage: scripts/build.sh [release|asan]" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" "${flags[@]}" >/dev/null
cmake --build "$dir" -j "$(nproc)" "$@"
