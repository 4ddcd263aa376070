#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: unit tests (optimised and under
# ASan+UBSan), a short run of every fuzz target from its seeds (clang is required: no clang,
# no pass) and the system tests against the real binaries and peers.
set -euo pipefail
cd "$(dirname "$0")/.."

phase() { echo "== $1 (at $((SECONDS / 60)) min $((SECONDS % 60)) s)"; }

# Each unit-test binary runs all its cases in one process: as one process per case (ctest,
# 1,250 of them) the ASan run alone took 2.5 minutes instead of 40 s. doctest prints each
# failing case and a summary per binary.
unit_tests() {
  local failed=()
  for binary in "$1"/tests/*_test; do
    echo "-- $binary"
    "$binary" || failed+=("$binary")
  done
  if [ ${#failed[@]} -ne 0 ]; then
    echo "unit tests failed: ${failed[*]}" >&2
    return 1
  fi
}

bash scripts/setup.sh
phase "build (release)"
bash scripts/build.sh release
phase "unit tests (release)"
unit_tests build
phase "build (ASan+UBSan)"
bash scripts/build.sh asan
phase "unit tests (ASan+UBSan)"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 unit_tests build-asan
phase "fuzz smoke (10 s per target)"
FUZZ_NICE=0 bash scripts/fuzz.sh 10
phase "system tests"
APEX_BUILD_DIR="$PWD/build" /usr/bin/python3 -m pytest tests/system -q
phase "done"
