#!/usr/bin/env bash
# Builds the libFuzzer targets (CMake preset "fuzz", clang) and runs each for SECONDS (default
# 60) from its seed corpus in tests/fuzz/corpus/. Usage: scripts/fuzz.sh [SECONDS] [TARGET…]
# TARGET is a tests/fuzz/TARGET_fuzz.cpp stem (responder, message_decoder, …); default all.
# New corpus entries and crash inputs go to a temporary directory, kept when anything
# crashed; exits non-zero then. FUZZ_NICE (default 10) is the niceness the fuzzers run at.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found: the fuzz targets need clang's libFuzzer (scripts/setup.sh)" >&2
  exit 1
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in tests/fuzz/*_fuzz.cpp; do
    stem=$(basename "$f" .cpp)
    targets+=("${stem%_fuzz}")
  done
fi

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake --preset fuzz "${launcher[@]}" >/dev/null
cmake --build --preset fuzz -j "$(nproc)" --target "${targets[@]/#/fuzz_}"

work=$(mktemp -d /tmp/apexdns-fuzz.XXXXXX)
failed=0
for t in "${targets[@]}"; do
  mkdir -p "$work/corpus/$t" "$work/crashes"
  log="$work/$t.log"
  status=0
  started=$SECONDS
  # The first directory receives new inputs; the committed seeds are only read.
  nice -n "${FUZZ_NICE:-10}" "build-fuzz/tests/fuzz/fuzz_$t" -max_total_time="$seconds" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/crashes/$t-" \
    "$work/corpus/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  crashes=$(find "$work/crashes" -name "$t-*" | wc -l)
  printf 'fuzz %-20s %12s executions %8s/s  %s new inputs  %s crashes  %s s\n' "$t" \
    "${runs:-?}" "${speed:-?}" "$(find "$work/corpus/$t" -type f | wc -l)" "$crashes" \
    "$((SECONDS - started))"
  if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ]; then
    failed=1
    grep -E -m 5 'ERROR|invariant broken|SUMMARY|runtime error' "$log" >&2 || true
    echo "fuzz: $t failed (exit $status); log $log, inputs in $work/crashes" >&2
  fi
done
if [ "$failed" -ne 0 ]; then
  echo "fuzz: FAILED; kept $work" >&2
  exit 1
fi
rm -rf "$work"
