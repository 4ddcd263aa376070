# Shell functions and knobs the benchmark scripts share; sourced, not run, by a script that
# has set REPO. Each script documents the knobs it reads in its header.
BUILD=${APEX_BUILD_DIR:-$REPO/build}
APEXD=$BUILD/server/apexd
APEXCTL=$BUILD/admin/apexctl
DURATION=${BENCH_DURATION:-10}
RUNS=${BENCH_RUNS:-3}
ZONES=${BENCH_ZONES:-10000}
CLIENTS=${BENCH_CLIENTS:-20}
PY=/usr/bin/python3

die() { echo "bench: $*" >&2; exit 1; }

require_tools() {  # TOOL...: apexd and apexctl built, and every TOOL on the PATH
  local f t
  for f in "$APEXD" "$APEXCTL"; do [ -x "$f" ] || die "$f missing: build first (see README)"; done
  for t in "$@"; do command -v "$t" >/dev/null || die "$t missing: run scripts/setup.sh"; done
}

import_apex_db() {  # DB SOURCE: a fresh apexd database holding the zone files of SOURCE
  local start end
  rm -f "$1" "$1-wal" "$1-shm"
  start=$(date +%s.%N)
  "$APEXCTL" --db "$1" init >/dev/null
  timeout 600 "$APEXCTL" --db "$1" zone import "$2" >/dev/null
  end=$(date +%s.%N)
  printf 'apexctl zone import %s: %.2f s\n' "$2" "$(echo "$end - $start" | bc)"
}

# The hosting data set (gen_hosting_data.py) in $DIR/data, generated again only when the
# parameters changed, so the serving benchmarks share it.
hosting_data() {  # ZONES BIG_NAMES
  local stamp="zones=$1 big=$2 v1"
  if [ "$(cat "$DIR/stamp" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$DIR/data" "$DIR/stamp"
    mkdir -p "$DIR/data"
    "$PY" "$REPO/bench/gen_hosting_data.py" "$DIR/data" --zones "$1" --big-names "$2"
    echo "$stamp" >"$DIR/stamp"
  fi
}

stop_group() {  # PGID: SIGTERM, then SIGKILL after 5 s
  kill -TERM -- "-$1" 2>/dev/null || true
  for _ in $(seq 50); do
    kill -0 -- "-$1" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL -- "-$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

group_pids() {  # PGID: every process in that process group
  local stat
  for stat in /proc/[0-9]*/stat; do
    awk -v g="$1" '{ sub(/^.*\) /, ""); if ($3 == g) { split(FILENAME, p, "/"); print p[3] } }' \
      "$stat" 2>/dev/null || true
  done
}

group_cpu_ticks() {  # PGID: utime + stime of the group's processes (all threads)
  local total=0 pid t
  for pid in $(group_pids "$1"); do
    t=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat" 2>/dev/null || echo 0)
    total=$((total + t))
  done
  echo "$total"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Sets PORT and METRICS_PORT: a free DNS port and a free metrics port, distinct.
free_dns_and_metrics_ports() {
  local p picked=()
  while [ ${#picked[@]} -lt 2 ]; do
    p=$((20000 + RANDOM % 40000))
    [ -z "$(ss -Hlntu "sport = :$p" 2>/dev/null)" ] && [[ " ${picked[*]} " != *" $p "* ]] &&
      picked+=("$p")
  done
  PORT=${picked[0]}
  METRICS_PORT=${picked[1]}
}
