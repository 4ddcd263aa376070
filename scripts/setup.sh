#!/usr/bin/env bash
# Installs the Debian packages apexdns needs to build, test and benchmark.
# Idempotent: prints nothing and changes nothing when everything is present.
set -euo pipefail

packages=(
  # build
  g++ cmake make pkg-config clang-format
  libboost-dev libboost-system-dev libsqlite3-dev libssl-dev
  libtomlplusplus-dev doctest-dev sqlite3
  # fuzz targets (libFuzzer) and the clang build
  clang
  # apexctl: the Public Suffix List zone add/import check zones against
  publicsuffix
  # system tests and benchmarks: real peers and clients
  python3 python3-pytest python3-dnspython python3-yaml
  nsd knot knot-dnssecutils unbound dnsperf bind9 bind9-dnsutils knot-dnsutils util-linux procps
  pdns-server pdns-backend-sqlite3 bc iproute2 curl openssl
  # zone verifiers the signed test zones must pass (test_dnssec_sign.py); named-checkzone,
  # the reference apexctl check is compared with (test_check_differential.py)
  ldnsutils bind9-utils
  # signatures renewed across a simulated month (test_dnssec_resign.py)
  faketime
  # operations: metrics checked with promtool, dnstap query log (Frame Streams + protobuf-c)
  prometheus fstrm-bin libfstrm-dev libprotobuf-c-dev protobuf-c-compiler
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
