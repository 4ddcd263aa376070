"""The catalog zone (RFC 9432, version 2) apexd produces, read by real consumers.

- Knot 3.2 (`catalog-role: interpret`) and BIND 9.18 (`catalog-zones`), configured with the
  catalog zone and the TSIG key alone, serve every stored zone with apexd's serial;
- a zone added with `apexctl zone add` is served by both within seconds (NOTIFY of the
  catalog, then of the member), and a deleted zone is dropped by both;
- apexd serves the catalog itself: SOA, NS invalid., version TXT "2", one PTR per zone, in
  AXFR; transfers of it are refused to a secondary limited to some zones.
NSD 4.6 knows no catalogs and is not tested here.

Run from the repository root:
  APEX_BUILD_DIR=$PWD/build /usr/bin/python3 -m pytest tests/system/test_catalog.py -q
"""

from __future__ import annotations

import base64
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import dns.rcode
import dns.rdatatype
import pytest

import dnsharness as h
import secondaries as S
from test_transfer import dns_key, distinct_free_ports, xfr

NOERROR, REFUSED = dns.rcode.NOERROR, dns.rcode.REFUSED
CATALOG = "catalog.apexdns.test."
CONSUMERS = ("knot", "bind")
PROVISIONED_WITHIN = 30.0  # seconds for both consumers to serve every zone at their start
FOLLOWS_WITHIN = 10.0      # a zone added or deleted reaches both consumers within this
LIVE = 1.0                 # apexd serves a committed change within this
ZONE_LIMITED = "127.0.0.2"  # a secondary allowed one zone only

KEY = S.TsigKey("xfr.catalog.test.", "hmac-sha256", base64.b64encode(os.urandom(32)).decode())


@dataclass
class Stack:
    db: Path
    apexd: h.Server
    consumers: dict[str, h.Server]

    def ctl(self, *args, check: bool = True):
        return h.apexctl(self.db, *args, check=check)

    def logs(self) -> str:
        return "".join(f"\n--- {k} log ---\n{s.log()[-3000:]}" for k, s in
                       self.consumers.items()) + f"\n--- apexd log ---\n{self.apexd.log()[-3000:]}"


def stored_zones(db: Path) -> list[str]:
    return [z["name"] for z in json.loads(h.apexctl(db, "zone", "list", "--json").stdout)]


def build_db(workdir: Path, ports: list[int]) -> Path:
    db = workdir / "apex.db"
    h.apexctl(db, "init")
    for zone in h.zone_files(h.EXAMPLES_DIR):
        h.apexctl(db, "zone", "import", zone.path)
    h.apexctl(db, "tsig", "add", KEY.name, "--algorithm", KEY.algorithm, "--secret", KEY.secret)
    for port in ports:
        h.apexctl(db, "secondary", "add", f"{h.LOOPBACK}:{port}", "--key", KEY.name)
    h.apexctl(db, "secondary", "add", ZONE_LIMITED, "--key", KEY.name, "--zone",
              stored_zones(db)[0])
    h.apexctl(db, "catalog", "set", CATALOG)
    return db


def wait_all(stack: Stack, zone: str, predicate, timeout: float) -> list[str]:
    """What each consumer failed to show of zone within timeout (empty: all did)."""
    deadline = time.monotonic() + timeout
    missing = []
    for kind, server in stack.consumers.items():
        left = max(0.1, deadline - time.monotonic())
        took, last = h.wait_served(server.addr, zone, "SOA", predicate, timeout=left,
                                   interval=0.1)
        if took is None:
            missing.append(f"{kind}: {zone}: last answer {last}")
    return missing


def serving(serial: int):
    return lambda s: s.rcode == NOERROR and s.aa and s.serial == serial


def not_serving(s: h.Served) -> bool:
    return s.rcode != -1 and not (s.rcode == NOERROR and s.aa)


def apexd_serial(stack: Stack, zone: str) -> int:
    s = h.served(stack.apexd.addr, zone, "SOA", timeout=1.0)
    assert s.rcode == NOERROR and s.serial is not None, f"{zone} from apexd: {s}"
    return s.serial


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("catalog")
    ports = distinct_free_ports(len(CONSUMERS))
    db = build_db(workdir, ports)
    apexd = h.start_apexd(workdir, db, CATALOG)
    started: dict[str, h.Server] = {}
    stack = None
    try:
        for kind, port in zip(CONSUMERS, ports):
            started[kind] = S.start_catalog_consumer(kind, workdir, port, apexd.port, KEY,
                                                     CATALOG)
        stack = Stack(db, apexd, started)
        yield stack
    finally:
        for server in started.values():
            server.stop()
        apexd = stack.apexd if stack else apexd  # a test may have restarted it
        code = apexd.stop()
    assert code == 0, f"apexd exited with {code} on SIGTERM:\n{apexd.log()}"


@pytest.mark.timeout_seconds(60)
def test_consumers_serve_every_zone_from_the_catalog_alone(stack, report):
    zones = stored_zones(stack.db)
    assert len(zones) >= 3
    started = time.monotonic()
    missing = []
    for zone in zones:
        left = PROVISIONED_WITHIN - (time.monotonic() - started)
        missing += wait_all(stack, zone, serving(apexd_serial(stack, zone)), left)
    assert not missing, "\n".join(missing) + stack.logs()
    report(f"{len(zones)} zones on {', '.join(CONSUMERS)} through the catalog within "
           f"{time.monotonic() - started:.1f} s")


@pytest.mark.timeout_seconds(60)
def test_added_zone_is_served_and_deleted_zone_dropped(stack, report):
    zone = "new-customer.catalog-test.example."
    before = apexd_serial(stack, CATALOG)
    stack.ctl("zone", "add", zone)
    stack.ctl("record", "add", f"www.{zone}", "A", "192.0.2.77")
    started = time.monotonic()
    # apexd applies the commit within LIVE; its serial is read once the record is served.
    took, last = h.wait_served(stack.apexd.addr, f"www.{zone}", "A",
                               lambda s: s.rcode == NOERROR and s.aa, timeout=LIVE,
                               interval=0.02)
    assert took is not None, f"apexd: www.{zone}: {last}"
    assert apexd_serial(stack, CATALOG) == before + 1
    missing = wait_all(stack, zone, serving(apexd_serial(stack, zone)), FOLLOWS_WITHIN)
    assert not missing, "\n".join(missing) + stack.logs()
    added_after = time.monotonic() - started

    stack.ctl("zone", "delete", zone)
    started = time.monotonic()
    missing = wait_all(stack, zone, not_serving, FOLLOWS_WITHIN)
    assert not missing, "\n".join(missing) + stack.logs()
    report(f"zone add served by {', '.join(CONSUMERS)} after {added_after:.1f} s, zone delete "
           f"dropped after {time.monotonic() - started:.1f} s")


def test_apexd_serves_the_catalog_and_refuses_it_to_zone_limited_secondaries(stack):
    rcode, records, _ = xfr(stack.apexd.addr, CATALOG, key=dns_key(KEY))
    assert rcode == NOERROR
    texts = {(r.name.to_text().lower(), dns.rdatatype.to_text(r.rdtype), r[0].to_text())
             for r in records}
    assert (CATALOG, "NS", "invalid.") in texts
    assert (f"version.{CATALOG}", "TXT", '"2"') in texts
    members = {rdata for name, rtype, rdata in texts if rtype == "PTR"}
    assert members == set(stored_zones(stack.db))
    owners = [name for name, rtype, _ in texts if rtype == "PTR"]
    assert all(o.endswith(f".zones.{CATALOG}") and len(o.split(".")[0]) == 16 for o in owners)

    rcode, records, _ = xfr(stack.apexd.addr, CATALOG, key=dns_key(KEY), source=ZONE_LIMITED)
    assert rcode == REFUSED and records == []
    assert h.served(stack.apexd.addr, f"version.{CATALOG}", "TXT").rdatas == {'"2"'}


def test_catalog_serial_survives_a_restart_and_never_goes_back(stack):
    serial = apexd_serial(stack, CATALOG)
    assert stack.apexd.stop() == 0
    stack.apexd = h.start_apexd(stack.db.parent, stack.db, CATALOG)
    assert apexd_serial(stack, CATALOG) == serial
    stack.ctl("zone", "add", "after-restart.catalog-test.example.")
    took, last = h.wait_served(stack.apexd.addr, CATALOG, "SOA",
                               lambda s: s.serial == (serial + 1) % 2**32 or s.serial == 1)
    assert took is not None, f"catalog serial after a zone add: {last}"
