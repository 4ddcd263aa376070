#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: unit tests (optimised and under
# ASan+UBSan) and the system tests against the real binaries and peers.
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
echo "== system tests"
APEX_BUILD_DIR="$PWD/build" /usr/bin/python3 -m pytest tests/system -q
