"""IXFR from apexd's journal (RFC 1995) to NSD 4.6, Knot 3.2 and BIND 9.18 secondaries.

Every apexctl change, and every ALIAS serial bump apexd makes itself, records one version
step in the zone's journal; an IXFR from a serial the journal leads on from is answered with
the differences, anything else with the whole zone in AXFR form (RFC 1995 §4). Here:
- a record change reaches the three secondaries within 2 s as an incremental transfer, which
  each shows in its own way: Knot logs an IXFR (not an AXFR-style one), BIND's journal
  holds the version step, NSD (store-ixfr) serves back the versions it received;
- an ALIAS target change (apexd's own serial bump) travels by IXFR too;
- secondaries stopped during several changes catch up with one IXFR of all of them;
- a secondary older than the journal (max_depth 2), or an IXFR meeting a journal row that
  does not decode or whose serials disagree with its columns, gets the whole zone, apexd
  warns and keeps answering, and the secondaries converge;
- the RFC 1995 sequence itself, checked with dnspython against the changes made, and the
  malformed IXFRs test_transfer.py does not cover (two SOAs, another class);
- the journal survives kill -9 of apexd.

Each test uses its own zone, so they do not depend on each other's order.

Run from the repository root:
  APEX_BUILD_DIR=$PWD/build /usr/bin/python3 -m pytest tests/system/test_ixfr.py -q
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset
import pytest

import dnsharness as h
import secondaries as S
from test_transfer import (KEY, dns_key, distinct_free_ports, refused_exchange, serial_newer,
                           single_error, soa_serial, transfer_query)

NOERROR, FORMERR = dns.rcode.NOERROR, dns.rcode.FORMERR
SOA = dns.rdatatype.SOA
SECONDARY_KINDS = ("nsd", "knot", "bind")
PROVIDER = "provider.example."
ZONES = ("live.example.", "alias.example.", "catchup.example.", "deep.example.",
         "corrupt.example.", "seq.example.", "restart.example.", PROVIDER)
LIVE = 2.0          # a change reaches every secondary within this long
CONVERGE = 15.0     # a secondary that was stopped holds the zone again within this long

# NOTIFY resent every 0.25 s doubling, 8 times: a secondary that comes back within about a
# minute of a change still hears of it (RFC 1996 §3.6), with no need to wait for its refresh.
APEXD_CONFIG = """\
[notify]
alias_serial_interval_s = 1
timeout_ms = 250
retries = 8
"""


def zone_text(zone: str) -> str:
    """A small zone whose SOA refresh (1 h) keeps the secondaries from polling: only
    NOTIFY makes them ask."""
    lines = [f"$ORIGIN {zone}", "$TTL 300",
             f"@ IN SOA ns1.{PROVIDER} hostmaster.{PROVIDER} 1 3600 600 86400 300",
             f"@ IN NS ns1.{PROVIDER}", "www IN A 192.0.2.1", "mail IN A 192.0.2.2",
             "@ IN MX 10 mail"]
    if zone == PROVIDER:
        lines += ["ns1 IN A 192.0.2.53", "lb IN A 192.0.2.80"]
    if zone == "alias.example.":
        lines += [f"alias 300 IN ALIAS lb.{PROVIDER}"]
    return "\n".join(lines) + "\n"


@dataclass
class Stack:
    dir: Path
    db: Path
    config: Path
    apexd: h.Server
    secondaries: dict[str, h.Server]
    ports: dict[str, int] = field(default_factory=dict)

    def ctl(self, *args, config: Path | None = None, check: bool = True):
        return h.apexctl(self.db, "--config", config or self.config, *args, check=check)

    def serial(self, zone: str) -> int:
        return soa_serial(self.apexd.addr, zone)

    def change(self, zone: str, *args) -> int:
        """One apexctl change to zone; the serial apexd serves once it is applied."""
        before = self.serial(zone)
        self.ctl(*args)
        took, now = h.wait_served(self.apexd.addr, zone, "SOA",
                                  lambda s: s.serial is not None and s.serial != before,
                                  timeout=LIVE)
        assert took is not None, f"apexd still serves {zone} serial {before}"
        return now.serial

    def stop_secondaries(self, zone: str) -> None:
        """Stops them once they hold zone and NSD has written it to its file (it does not on
        exit), so that all three come back with the serial they had."""
        wait_converged(self, zone, LIVE)
        serial = self.serial(zone)
        path = self.dir / "nsd" / f"{zone}zone"
        deadline = time.monotonic() + 5.0
        while nsd_file_serial(path) != serial:
            assert time.monotonic() < deadline, f"NSD did not write {path} at serial {serial}"
            time.sleep(0.1)
        for server in self.secondaries.values():
            server.stop()

    def start_secondaries(self) -> None:
        """The same secondaries again, on their ports, with what they kept on disk."""
        for kind, port in self.ports.items():
            self.secondaries[kind] = S.start_secondary(kind, self.dir, port, self.apexd.port,
                                                       KEY, list(ZONES))


def nsd_file_serial(path: Path) -> int | None:
    try:
        found = re.search(r"\sSOA\s+\S+\s+\S+\s+\(?\s*(\d+)", path.read_text())
    except OSError:
        return None
    return int(found.group(1)) if found else None


class LogMark:
    """Where each log ended when the mark was taken: since() reads only what came after."""

    def __init__(self, stack: Stack):
        self.stack = stack
        self.at = {path: _size(path) for path in self._paths()}

    def _paths(self) -> list[Path]:
        return [self.stack.apexd.log_path] + [s.log_path for s in self.stack.secondaries.values()]

    def since(self, server: h.Server) -> str:
        text = server.log_path.read_bytes()[self.at.get(server.log_path, 0):]
        return text.decode(errors="replace")

    def wait(self, server: h.Server, pattern: str, count: int = 1,
             timeout: float = LIVE) -> str:
        """since(server), once pattern occurs count times in it or timeout has passed (a
        server logs a transfer after its last message has gone)."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.since(server)
            if len(re.findall(pattern, text)) >= count or time.monotonic() > deadline:
                return text
            time.sleep(0.05)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("ixfr")
    config = workdir / "apexd.toml"
    config.write_text(APEXD_CONFIG)
    db = workdir / "apex.db"
    h.apexctl(db, "init")
    for zone in ZONES:
        path = workdir / f"{zone}zone"
        path.write_text(zone_text(zone))
        provider = ("--provider",) if zone == PROVIDER else ()
        h.apexctl(db, "zone", "import", path, *provider)
    h.apexctl(db, "tsig", "add", KEY.name, "--algorithm", KEY.algorithm, "--secret", KEY.secret)
    ports = dict(zip(SECONDARY_KINDS, distinct_free_ports(len(SECONDARY_KINDS))))
    for port in ports.values():
        h.apexctl(db, "secondary", "add", f"{h.LOOPBACK}:{port}", "--key", KEY.name)
    apexd = h.start_apexd(workdir, db, ZONES[0], extra_args=("--config", config))
    stack = Stack(workdir, db, config, apexd, {}, ports)
    try:
        took, last = h.wait_served(apexd.addr, f"alias.{'alias.example.'}", "A",
                                   lambda s: s.rdatas == {"192.0.2.80"}, timeout=5.0)
        assert took is not None, f"the ALIAS never flattened: {last}\n{apexd.log()}"
        stack.start_secondaries()
        for zone in ZONES:
            wait_converged(stack, zone, timeout=30.0)
        yield stack
    finally:
        for server in stack.secondaries.values():
            server.stop()
        code = stack.apexd.stop()
    assert code == 0, f"apexd exited with {code} on SIGTERM:\n{stack.apexd.log()}"


def wait_converged(stack: Stack, zone: str, timeout: float,
                   name: str | None = None, rdatas: set | None = None) -> list[str]:
    """Waits until every secondary serves apexd's serial of zone (and, when given, rdatas
    at name); returns what is still wrong after timeout, per secondary."""
    serial = stack.serial(zone)
    deadline = time.monotonic() + timeout
    stale = []
    for kind, server in stack.secondaries.items():
        took, last = h.wait_served(server.addr, zone, "SOA",
                                   lambda s: s.rcode == NOERROR and s.serial == serial,
                                   timeout=max(0.1, deadline - time.monotonic()), interval=0.05)
        if took is not None and name is not None:
            got = h.served(server.addr, name, "A")
            took = took if got.rdatas == rdatas else None
            last = got
        if took is None:
            stale.append(f"{kind}: {zone} serial {serial} not served: {last}\n"
                         f"{server.log()[-1500:]}")
    assert not stale, "\n".join(stale) + f"\n--- apexd ---\n{stack.apexd.log()[-3000:]}"
    return stale


# --- reading an IXFR answer -------------------------------------------------------------------

@dataclass
class Version:
    """One version step of an incremental answer (RFC 1995 §4)."""
    old: int
    new: int
    deleted: set[str]
    added: set[str]


@dataclass
class Ixfr:
    serial: int                    # the first (and last) SOA
    versions: list[Version] | None  # None: the whole zone in AXFR form
    records: list[dns.rrset.RRset]
    messages: int


def rr_text(rrset: dns.rrset.RRset) -> str:
    """owner TTL type rdata, lower-case owner (the comparison form of the tests)."""
    return f"{rrset.name.to_text().lower()} {rrset.ttl} " \
           f"{dns.rdatatype.to_text(rrset.rdtype)} {rrset[0].to_text()}"


def parse_ixfr(records: list[dns.rrset.RRset]) -> tuple[bool, list[Version] | None]:
    """(complete, versions) of the records received so far: versions None for the AXFR
    form (RFC 1995 §4: a first SOA followed by anything but a SOA)."""
    if not records or records[0].rdtype != SOA:
        raise AssertionError(f"an IXFR answer must open with the SOA: {records[:2]}")
    current = records[0][0].serial
    if len(records) == 1:
        return False, []
    if records[1].rdtype != SOA:  # AXFR form: ends with the second SOA
        return records[-1].rdtype == SOA and len(records) > 2, None
    versions, i = [], 1
    while i < len(records):
        old = records[i][0].serial
        if old == current and i == len(records) - 1:
            return True, versions  # the closing SOA
        i += 1
        deleted, added = set(), set()
        while i < len(records) and records[i].rdtype != SOA:
            deleted.add(rr_text(records[i]))
            i += 1
        if i == len(records):
            return False, versions
        new = records[i][0].serial
        i += 1
        while i < len(records) and records[i].rdtype != SOA:
            added.add(rr_text(records[i]))
            i += 1
        versions.append(Version(old, new, deleted, added))
    return False, versions


def ixfr(addr, zone: str, serial: int, key=None, query=None) -> Ixfr:
    """An IXFR over TCP from serial, read to its end (every message's TSIG verified)."""
    q = query or transfer_query(zone, "IXFR", key or dns_key(), serial)
    wire = q.to_wire()
    records: list[dns.rrset.RRset] = []
    with h.tcp_connect(addr, timeout=5.0) as sock:
        sock.sendall(len(wire).to_bytes(2, "big") + wire)
        ctx, messages = None, 0
        while True:
            reply = h.tcp_recv_message(sock)
            assert reply is not None, f"IXFR of {zone}: closed after {messages} messages"
            messages += 1
            m = dns.message.from_wire(reply, keyring=q.keyring, request_mac=q.mac, xfr=True,
                                      tsig_ctx=ctx, multi=True, one_rr_per_rrset=True)
            ctx = m.tsig_ctx
            assert m.rcode() == NOERROR, f"IXFR of {zone}: {dns.rcode.to_text(m.rcode())}"
            records += m.answer
            if len(records) == 1 and not h.tcp_replies(sock, quiet=0.3):
                return Ixfr(records[0][0].serial, [], records, messages)  # up to date
            done, versions = parse_ixfr(records)
            if done:
                return Ixfr(records[0][0].serial, versions, records, messages)


def version_line(zone: str, serial: int, versions: int, since: int) -> str:
    """What apexd logs for an incremental answer (the TSIG part follows)."""
    return (rf"IXFR of {re.escape(zone)} to 127\.0\.0\.1: serial {serial}, \d+ messages in "
            rf"\d+ ms, {versions} version\(s\) from serial {since}, TSIG ")


def whole_line(zone: str, serial: int) -> str:
    """What apexd logs when it answered an IXFR with the whole zone."""
    return (rf"IXFR of {re.escape(zone)} to 127\.0\.0\.1: serial {serial}, \d+ messages in "
            rf"\d+ ms, TSIG ")


# --- how each secondary shows that its transfer was incremental -------------------------------

def knot_log(mark: LogMark, stack: Stack, zone: str, old: int, new: int) -> str:
    """Knot's log since mark, once it has logged the zone's update from old to new."""
    return mark.wait(stack.secondaries["knot"],
                     rf"\[{re.escape(zone)}\] refresh, [^\n]*serial {old} -> {new}")


def knot_took_ixfr(mark: LogMark, stack: Stack, zone: str, old: int, new: int) -> str | None:
    """Knot logs an incremental transfer as IXFR, and one answered with the whole zone as
    an AXFR-style IXFR, then AXFR; None when its log since mark shows the former for
    old -> new."""
    log = knot_log(mark, stack, zone, old, new)
    z = re.escape(zone)
    if re.search(rf"\[{z}\] IXFR, incoming, [^\n]*(fallback to AXFR|AXFR-style)", log) or \
            re.search(rf"\[{z}\] AXFR, incoming", log):
        return f"knot took {zone} as AXFR:\n{log[-1500:]}"
    if not re.search(rf"\[{z}\] IXFR, incoming, remote [^\n]*, finished", log) or \
            not re.search(rf"\[{z}\] refresh, [^\n]*zone updated, [^\n]*serial {old} -> {new}",
                          log):
        return f"knot: no IXFR {old} -> {new} of {zone} logged:\n{log[-1500:]}"
    return None


def bind_journal(stack: Stack, zone: str) -> str:
    """BIND keeps each IXFR it applied in the zone's journal (an AXFR replaces the zone and
    writes none); named-journalprint shows it as del/add lines."""
    jnl = stack.dir / "bind" / f"{zone}db.jnl"
    if not jnl.exists():
        return ""
    out = subprocess.run(["named-journalprint", str(jnl)], capture_output=True, text=True,
                         timeout=10)
    return out.stdout


def bind_took_ixfr(stack: Stack, zone: str, old: int, new: int, added: str) -> str | None:
    text = bind_journal(stack, zone)
    soa = rf"{re.escape(zone)}\s+\d+\s+IN\s+SOA\s+\S+ \S+ "
    if not re.search(rf"^del {soa}{old} ", text, re.M) or \
            not re.search(rf"^add {soa}{new} ", text, re.M) or \
            not re.search(rf"^add {re.escape(added)}\s", text, re.M):
        return f"bind: its journal of {zone} has no IXFR {old} -> {new} adding {added}:\n{text}"
    return None


def nsd_took_ixfr(stack: Stack, zone: str, old: int, new: int) -> str | None:
    """NSD with store-ixfr keeps the versions it received by IXFR, as they were sent, and
    serves them: asked for IXFR from old, it answers incrementally up to new."""
    got = ixfr(stack.secondaries["nsd"].addr, zone, old, query=transfer_query(zone, "IXFR",
                                                                              None, old))
    if got.serial != new or not got.versions or got.versions[0].old != old:
        return f"nsd: IXFR from {old} of {zone} is not incremental up to {new}: " \
               f"{[rr_text(r) for r in got.records][:8]}"
    return None


# --- 1. a record change travels by IXFR -------------------------------------------------------

@pytest.mark.timeout_seconds(40)
def test_record_change_reaches_secondaries_by_ixfr(stack, report):
    zone = "live.example."
    before = stack.serial(zone)
    mark = LogMark(stack)
    started = time.monotonic()
    now = stack.change(zone, "record", "add", f"new.{zone}", "A", "192.0.2.9", "--ttl", "600")
    late = []
    for kind, server in stack.secondaries.items():
        took, last = h.wait_served(server.addr, f"new.{zone}", "A",
                                   lambda s: s.rdatas == {"192.0.2.9"},
                                   timeout=max(0.1, LIVE - (time.monotonic() - started)),
                                   interval=0.05)
        if took is None or soa_serial(server.addr, zone) != now:
            late.append(f"{kind}: {last}\n{server.log()[-1500:]}")
    report(f"{zone} serial {before} -> {now} on {', '.join(stack.secondaries)} in "
           f"{time.monotonic() - started:.2f} s")
    apexd_log = mark.wait(stack.apexd, version_line(zone, now, 1, before), 3)
    assert not late, "\n".join(late) + f"\n--- apexd ---\n{apexd_log}"
    # One incremental answer per secondary, and no whole zone.
    assert len(re.findall(version_line(zone, now, 1, before), apexd_log)) == 3, apexd_log
    assert not re.search(whole_line(zone, now), apexd_log), apexd_log
    problems = [knot_took_ixfr(mark, stack, zone, before, now),
                bind_took_ixfr(stack, zone, before, now, f"new.{zone}"),
                nsd_took_ixfr(stack, zone, before, now)]
    assert not any(problems), "\n".join(p for p in problems if p)

    # A deletion travels the same way.
    mark = LogMark(stack)
    deleted = stack.change(zone, "record", "delete", f"new.{zone}", "A")
    wait_converged(stack, zone, LIVE)
    for kind, server in stack.secondaries.items():
        assert h.served(server.addr, f"new.{zone}", "A").rcode == dns.rcode.NXDOMAIN, kind
    apexd_log = mark.wait(stack.apexd, version_line(zone, deleted, 1, now), 3)
    assert len(re.findall(version_line(zone, deleted, 1, now), apexd_log)) == 3, apexd_log
    assert knot_took_ixfr(mark, stack, zone, now, deleted) is None


# --- 2. an ALIAS target change travels by IXFR ------------------------------------------------

@pytest.mark.timeout_seconds(40)
def test_alias_target_change_reaches_secondaries_by_ixfr(stack):
    """alias.alias.example follows lb.provider.example; a new address there makes apexd
    raise alias.example's serial itself, journaled like an apexctl change."""
    zone, owner = "alias.example.", "alias.alias.example."
    before = stack.serial(zone)
    mark = LogMark(stack)
    stack.ctl("record", "add", f"lb.{PROVIDER}", "A", "192.0.2.81")
    took, now = h.wait_served(stack.apexd.addr, zone, "SOA",
                              lambda s: s.serial is not None and serial_newer(s.serial, before),
                              timeout=5.0, interval=0.05)
    assert took is not None, f"{zone} serial still {before}\n{mark.since(stack.apexd)}"
    wait_converged(stack, zone, 5.0, owner, {"192.0.2.80", "192.0.2.81"})
    apexd_log = mark.wait(stack.apexd, version_line(zone, now.serial, 1, before), 3)
    assert len(re.findall(version_line(zone, now.serial, 1, before), apexd_log)) == 3, apexd_log
    assert not re.search(whole_line(zone, now.serial), apexd_log), apexd_log
    got = ixfr(stack.apexd.addr, zone, before)
    assert [(v.old, v.new) for v in got.versions] == [(before, now.serial)]
    assert any(line.startswith(f"{owner} ") and line.endswith(" A 192.0.2.81")
               for line in got.versions[0].added), got.versions
    problems = [knot_took_ixfr(mark, stack, zone, before, now.serial),
                bind_took_ixfr(stack, zone, before, now.serial, owner),
                nsd_took_ixfr(stack, zone, before, now.serial)]
    assert not any(problems), "\n".join(p for p in problems if p)


# --- 3. stopped secondaries catch up with one IXFR --------------------------------------------

CATCHUP_CHANGES = 3


@pytest.mark.timeout_seconds(60)
def test_stopped_secondaries_catch_up_by_ixfr(stack, report):
    zone = "catchup.example."
    stack.stop_secondaries(zone)
    before = stack.serial(zone)
    for i in range(CATCHUP_CHANGES):
        now = stack.change(zone, "record", "add", f"h{i}.{zone}", "A", f"192.0.2.{10 + i}")
    mark = LogMark(stack)
    started = time.monotonic()
    stack.start_secondaries()
    wait_converged(stack, zone, CONVERGE, f"h0.{zone}", {"192.0.2.10"})
    report(f"{zone}: {CATCHUP_CHANGES} changes caught up "
           f"{time.monotonic() - started:.1f} s after the secondaries' start")
    apexd_log = mark.wait(stack.apexd, version_line(zone, now, CATCHUP_CHANGES, before), 3)
    assert len(re.findall(version_line(zone, now, CATCHUP_CHANGES, before), apexd_log)) == 3, \
        apexd_log
    assert not re.search(whole_line(zone, now), apexd_log), apexd_log
    problems = [knot_took_ixfr(mark, stack, zone, before, now),
                bind_took_ixfr(stack, zone, before, now, f"h2.{zone}"),
                nsd_took_ixfr(stack, zone, before, now)]
    assert not any(problems), "\n".join(p for p in problems if p)


# --- 4. older than the journal: the whole zone -----------------------------------------------

@pytest.mark.timeout_seconds(60)
def test_secondary_older_than_the_journal_gets_whole_zone(stack):
    """With [journal] max_depth = 2 (the bound is applied by apexctl, which writes the
    versions), four changes leave the secondaries' serial out of the journal."""
    zone = "deep.example."
    shallow = stack.dir / "shallow.toml"
    shallow.write_text(APEXD_CONFIG + "\n[journal]\nmax_depth = 2\n")
    stack.stop_secondaries(zone)
    before = stack.serial(zone)
    serials = [before]
    for i in range(4):
        stack.ctl("record", "add", f"d{i}.{zone}", "A", f"192.0.2.{20 + i}", config=shallow)
        took, s = h.wait_served(stack.apexd.addr, zone, "SOA",
                                lambda s: s.serial is not None and s.serial != serials[-1],
                                timeout=LIVE)
        assert took is not None
        serials.append(s.serial)
    now = serials[-1]
    # What the journal still holds is served incrementally; older serials get the zone.
    assert [(v.old, v.new) for v in ixfr(stack.apexd.addr, zone, serials[2]).versions] == \
        [(serials[2], serials[3]), (serials[3], now)]
    for old in serials[:2]:
        got = ixfr(stack.apexd.addr, zone, old)
        assert got.versions is None and got.serial == now, f"IXFR from {old}: {got.versions}"
        assert f"d3.{zone} 3600 A 192.0.2.23" in {rr_text(r) for r in got.records}

    mark = LogMark(stack)
    stack.start_secondaries()
    wait_converged(stack, zone, CONVERGE, f"d3.{zone}", {"192.0.2.23"})
    apexd_log = mark.wait(stack.apexd, whole_line(zone, now), 3)
    assert len(re.findall(whole_line(zone, now), apexd_log)) == 3, apexd_log
    # Each secondary's own evidence of an incremental transfer is absent this time.
    assert knot_took_ixfr(mark, stack, zone, before, now)
    assert bind_took_ixfr(stack, zone, before, now, f"d3.{zone}")
    assert nsd_took_ixfr(stack, zone, before, now)


# --- 5. a journal row that does not apply -----------------------------------------------------

def journal_rows(db: Path, zone: str) -> list[tuple[int, int, int, bytes]]:
    with sqlite3.connect(db) as c:
        return c.execute("SELECT j.id, serial_from, serial_to, difference FROM journal j "
                         "JOIN zones z ON z.id = j.zone_id WHERE z.name = ? ORDER BY j.id",
                         (zone,)).fetchall()


def update_journal(db: Path, sql: str, *args) -> None:
    with sqlite3.connect(db, timeout=5.0) as c:
        c.execute(sql, args)


@pytest.mark.timeout_seconds(60)
def test_journal_row_that_does_not_apply_sends_whole_zone(stack):
    zone = "corrupt.example."
    stack.stop_secondaries(zone)
    s0 = stack.serial(zone)
    s1 = stack.change(zone, "record", "add", f"c1.{zone}", "A", "192.0.2.31")
    s2 = stack.change(zone, "record", "add", f"c2.{zone}", "A", "192.0.2.32")
    s3 = stack.change(zone, "record", "add", f"c3.{zone}", "A", "192.0.2.33")
    rows = journal_rows(stack.db, zone)
    assert [(f, t) for _, f, t, _ in rows] == [(s0, s1), (s1, s2), (s2, s3)], rows
    mark = LogMark(stack)

    # A difference that does not decode.
    update_journal(stack.db, "UPDATE journal SET difference = x'00' WHERE id = ?", rows[0][0])
    got = ixfr(stack.apexd.addr, zone, s0)
    assert got.versions is None and got.serial == s3
    assert f"c3.{zone} 3600 A 192.0.2.33" in {rr_text(r) for r in got.records}
    # A difference that decodes but says another step than its row (s2 -> s3 under s1 -> s2).
    update_journal(stack.db, "UPDATE journal SET difference = ? WHERE id = ?", rows[2][3],
                   rows[1][0])
    got = ixfr(stack.apexd.addr, zone, s1)
    assert got.versions is None and got.serial == s3
    # The rows after the bad ones still answer incrementally.
    assert [(v.old, v.new) for v in ixfr(stack.apexd.addr, zone, s2).versions] == [(s2, s3)]

    apexd_log = mark.wait(stack.apexd, "serials differ from its row")
    assert re.search(rf"\[warning\] IXFR of {re.escape(zone)} sent whole: journal version "
                     rf"{s0} -> {s1}: ", apexd_log), apexd_log
    assert re.search(rf"\[warning\] IXFR of {re.escape(zone)} sent whole: journal version "
                     rf"{s1} -> {s2}: serials differ from its row", apexd_log), apexd_log
    assert h.is_alive(stack.apexd, zone)

    # The secondaries, at s0, get the whole zone and converge.
    stack.start_secondaries()
    wait_converged(stack, zone, CONVERGE, f"c3.{zone}", {"192.0.2.33"})
    assert len(re.findall(whole_line(zone, s3), mark.wait(stack.apexd, whole_line(zone, s3),
                                                          3))) >= 3


# --- 6. the RFC 1995 sequence, and malformed IXFRs --------------------------------------------

@pytest.mark.timeout_seconds(30)
def test_ixfr_sequence_is_the_changes_made(stack):
    zone = "seq.example."
    addr = stack.apexd.addr
    s0 = stack.serial(zone)
    s1 = stack.change(zone, "record", "add", f"a.{zone}", "A", "192.0.2.41", "--ttl", "120")
    s2 = stack.change(zone, "record", "set", f"www.{zone}", "A", "--rdata", "192.0.2.42",
                       "--rdata", "192.0.2.43")
    s3 = stack.change(zone, "record", "delete", f"mail.{zone}", "A")
    soa = lambda s: (f"{zone} 300 SOA ns1.{PROVIDER} hostmaster.{PROVIDER} "  # noqa: E731
                     f"{s} 3600 600 86400 300")
    want = [
        Version(s0, s1, set(), {f"a.{zone} 120 A 192.0.2.41"}),
        Version(s1, s2, {f"www.{zone} 300 A 192.0.2.1"},
                {f"www.{zone} 300 A 192.0.2.42", f"www.{zone} 300 A 192.0.2.43"}),
        Version(s2, s3, {f"mail.{zone} 300 A 192.0.2.2"}, set()),
    ]
    got = ixfr(addr, zone, s0)
    assert got.serial == s3 and got.messages == 1
    assert rr_text(got.records[0]) == rr_text(got.records[-1]) == soa(s3)
    assert got.versions == want, f"{got.versions}\n!=\n{want}"
    # The old and new SOA of each version are the zone's SOA at those serials.
    soas = [rr_text(r) for r in got.records if r.rdtype == SOA]
    assert soas == [soa(s3), soa(s0), soa(s1), soa(s1), soa(s2), soa(s2), soa(s3), soa(s3)]

    # From a serial in between: only the versions after it.
    assert ixfr(addr, zone, s1).versions == want[1:]
    # From the current serial: the SOA alone.
    up_to_date = ixfr(addr, zone, s3)
    assert [rr_text(r) for r in up_to_date.records] == [soa(s3)]
    # A serial the zone never had (ahead in RFC 1982 terms is up to date, handled in
    # test_transfer.py; behind and unknown): the whole zone.
    unknown = ixfr(addr, zone, (s0 - 1000) % 2**32)
    assert unknown.versions is None and rr_text(unknown.records[0]) == soa(s3)
    assert {f"a.{zone} 120 A 192.0.2.41", f"www.{zone} 300 A 192.0.2.43"} <= \
        {rr_text(r) for r in unknown.records}


def test_malformed_ixfr_is_formerr(stack):
    """RFC 1995 §3: the authority section holds the client's one SOA of the zone, in the
    question's class (no SOA and another zone's SOA: test_transfer.py)."""
    zone, key = "seq.example.", dns_key()
    two = transfer_query(zone, "IXFR", None, 1)
    two.authority.append(dns.rrset.from_text(zone, 0, "IN", "SOA", ". . 2 0 0 0 0"))
    two.use_tsig(key)
    chaos = transfer_query(zone, "IXFR")
    chaos.authority.append(dns.rrset.from_text(zone, 0, "CH", "SOA", ". . 1 0 0 0 0"))
    chaos.use_tsig(key)
    for what, q in (("two SOAs", two), ("a CH SOA", chaos)):
        r = single_error(refused_exchange(stack.apexd.addr, q.to_wire()), f"IXFR with {what}")
        assert r.rcode == FORMERR, f"IXFR with {what}: {r}"
    assert h.is_alive(stack.apexd, zone)


# --- 7. the journal survives a crash ----------------------------------------------------------

@pytest.mark.timeout_seconds(40)
def test_journal_survives_kill_9(stack):
    zone = "restart.example."
    s0 = stack.serial(zone)
    s1 = stack.change(zone, "record", "add", f"r1.{zone}", "A", "192.0.2.51")
    s2 = stack.change(zone, "record", "add", f"r2.{zone}", "A", "192.0.2.52")
    # Not in the middle of a transfer: BIND, whose transfer is cut, waits for the SOA retry
    # interval (10 min here) before it asks again, whatever NOTIFY says meanwhile.
    wait_converged(stack, zone, LIVE, f"r2.{zone}", {"192.0.2.52"})
    os.kill(stack.apexd.pid, signal.SIGKILL)
    stack.apexd.proc.wait(timeout=5)
    port = stack.apexd.port
    stack.apexd = h.start_server(
        "apexd", lambda p: [h.apexd_binary(), "--db", stack.db, "--listen", f"{h.LOOPBACK}:{p}",
                            "--threads", "1", "--config", stack.config],
        stack.dir, zone, pick_port=lambda: port)
    mark = LogMark(stack)
    got = ixfr(stack.apexd.addr, zone, s0)
    assert [(v.old, v.new) for v in got.versions] == [(s0, s1), (s1, s2)]
    assert got.versions[1].added == {f"r2.{zone} 3600 A 192.0.2.52"}
    assert re.search(version_line(zone, s2, 2, s0),
                     mark.wait(stack.apexd, version_line(zone, s2, 2, s0)))
    # apexd announces every zone at start; the secondaries stay in step with later changes.
    s3 = stack.change(zone, "record", "add", f"r3.{zone}", "A", "192.0.2.53")
    wait_converged(stack, zone, CONVERGE, f"r3.{zone}", {"192.0.2.53"})
    log = mark.wait(stack.apexd, version_line(zone, s3, 1, s2), 3)
    assert len(re.findall(version_line(zone, s3, 1, s2), log)) == 3, log
