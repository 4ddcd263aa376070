#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: unit tests (optimised and under
# ASan+UBSan), a short run of every fuzz target from its seeds (clang is required: no clang,
# no pass) and the system tests against the real binaries and peers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== build (release)"
bash scripts/build.sh release
echo "== unit tests (release)"
ctest --test-dir build --output-on-failure
echo "== build (ASan+UBSan)"
bash scripts/build.sh asan
echo "== unit tests (ASan+UBSan)"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure
echo "== fuzz smoke (20 s per target)"
FUZZ_NICE=0 bash scripts/fuzz.sh 20
echo "== system tests"
APEX_BUILD_DIR="$PWD/build" /usr/bin/python3 -m pytest tests/system -q
