"""Signatures kept in the database: a restart signs nothing, and across a month they are
renewed before they expire, never too many at once.

apexd keeps a signed zone's RRSIGs in the database and, when it builds the zone again,
reuses every signature whose RRset and key are unchanged and that has more than
[dnssec] refresh_s of validity left; new signatures expire up to jitter_fraction of the
validity early, by a jitter drawn per zone, RRset and signing (RFC 6781 §4.4.2.3).

- restart: apexd restarted on a signed zone of a few hundred records serves the same
  AXFR, RRSIGs byte for byte, and says it signed nothing;
- a month under faketime: with validity 8 days, refresh 2 days and jitter 0.5, apexd is
  started once a fake day for 30 days on the same database with three zones signed at
  day 0. Each day every zone's AXFR has no RRSIG expired or not yet valid at that fake
  time, every RRSIG verifies (dnspython, at that fake time), and the share of signatures
  made anew that day stays within what the jitter allows: a signature made at day d comes
  due at day d + P, P = the first whole day with less than refresh left, spread over 3 to
  6 days by the jitter; the expected share renewed on day n is the renewal density u(n)
  of that distribution, and the observed share must stay below max u(n) plus a margin
  for the sample. Without jitter every signature comes due on the same day (share 1),
  so the test fails. A load that renewed signatures raises the serial of their zones at
  once (the new SOA signed, nothing else), so that secondaries transfer them.

Run from the repository root:
  APEX_BUILD_DIR=$PWD/build /usr/bin/python3 -m pytest tests/system/test_dnssec_resign.py -q
"""

from __future__ import annotations

import datetime
import re
import time
from pathlib import Path

import dns.dnssec
import dns.name
import dns.rdatatype
import dns.rrset

import dnsharness as h
from test_transfer import xfr

DAY = 86400


def zone_text(zone: str, names: int) -> str:
    lines = [f"$ORIGIN {zone}", "$TTL 300",
             "@ IN SOA ns1 hostmaster 1 3600 600 86400 300", "@ IN NS ns1",
             "ns1 IN A 192.0.2.53"]
    for i in range(names):
        lines.append(f"host{i} IN A 192.0.2.{i % 250 + 1}")
        if i % 3 == 0:
            lines.append(f'host{i} IN TXT "record {i}"')
    return "\n".join(lines) + "\n"


def make_db(workdir: Path, zones: dict[str, int]) -> Path:
    db = workdir / "apex.db"
    h.apexctl(db, "init")
    for zone, names in zones.items():
        path = workdir / f"{zone}zone"
        path.write_text(zone_text(zone, names))
        h.apexctl(db, "zone", "import", path)
        h.apexctl(db, "dnssec", "enable", zone)
    # A secondary on 127.0.0.1 (nothing listens there), so that AXFR is allowed.
    h.apexctl(db, "secondary", "add", f"{h.LOOPBACK}:{h.free_port()}")
    return db


def on_fake_clock(fake_time: str, relative: bool = False) -> list[str]:
    """The argv prefix that runs a program with libfaketime preloaded: its clock fake_time
    seconds off ("-1785") when relative, else starting at that UTC date ("YYYY-MM-DD
    hh:mm:ss"). Not the faketime wrapper: a wrapper stopped by a signal leaves its shared
    memory behind in /dev/shm, and a later wrapper that gets the same PID fails."""
    libs = sorted(Path("/usr/lib").glob("*/faketime/libfaketime.so.1"))
    if not libs:
        raise h.HarnessError("libfaketime is missing: run scripts/setup.sh")
    offset = fake_time
    if not relative:
        start = datetime.datetime.strptime(fake_time, "%Y-%m-%d %H:%M:%S").replace(
            tzinfo=datetime.timezone.utc)
        offset = f"{int(start.timestamp() - time.time()):+d}"
    return ["env", f"LD_PRELOAD={libs[0]}", f"FAKETIME={offset}"]


def start(workdir: Path, db: Path, probe: str, config: str, fake_time: str | None = None,
          relative: bool = False) -> h.Server:
    """apexd with config; under faketime when fake_time is given: a start date, or with
    relative an offset and speed ("-1800 x360")."""
    config_file = workdir / "apexdns.toml"
    config_file.write_text(config)
    binary = h.require_binary(h.apexd_binary())
    prefix = on_fake_clock(fake_time, relative) if fake_time is not None else []

    def argv(port: int) -> list:
        return [*prefix, binary, "--db", db, "--listen", f"{h.LOOPBACK}:{port}",
                "--threads", "1", "--config", config_file]

    return h.start_server("apexd", argv, workdir, probe)


def axfr(server: h.Server, zone: str) -> list[dns.rrset.RRset]:
    rcode, records, _ = xfr(server.addr, zone)
    assert rcode == 0, f"AXFR of {zone}: rcode {rcode}"
    return records[:-1]  # the closing SOA repeats the first


def this_run(log: str) -> str:
    """The part of a log (appended to when a port is used again) since the last start."""
    return log[log.rfind(" loaded "):]


def signed_count(log: str) -> tuple[int, int]:
    """Signatures the load made and reused."""
    found = re.findall(r"signatures: (\d+) signed, (\d+) reused", this_run(log))
    assert found, f"no signing line in the log:\n{log}"
    made, reused = found[-1]
    return int(made), int(reused)


def rebuilt_count(log: str) -> int:
    """Signatures made by rebuilds after the load."""
    return sum(int(n) for n in re.findall(r"signed: (\d+) signature\(s\) made", this_run(log)))


def wait_for_serial_bump(server: h.Server, timeout: float = 5.0) -> None:
    """A load that renewed signatures raises the zones' serials at once, and the zones are
    rebuilt in the background: waits until each is served again."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = this_run(server.log_path.read_text(errors="replace"))
        due = re.search(r"signing (\d+) zone\(s\) anew", run)
        if due and run[due.end():].count(" reloaded") >= int(due.group(1)):
            return
        time.sleep(0.05)
    raise AssertionError(f"signatures renewed at load, serial not raised:\n{server.log()}")


def signatures(records: list[dns.rrset.RRset]) -> dict[tuple, bytes]:
    """(owner, type covered) -> the RRSIG RDATA in wire form."""
    out = {}
    for rrset in records:
        if rrset.rdtype != dns.rdatatype.RRSIG:
            continue
        for rrsig in rrset:
            out[(rrset.name.to_text().lower(), rrsig.type_covered)] = rrsig.to_wire()
    return out


def test_restart_serves_the_same_signatures_and_signs_nothing(tmp_path):
    zone = "restart.example."
    db = make_db(tmp_path, {zone: 300})
    server = start(tmp_path, db, zone, "")
    try:
        before = axfr(server, zone)
        made, reused = signed_count(server.log())
        assert reused == 0 and made == len(signatures(before)), server.log()
    finally:
        server.stop()
    server = start(tmp_path, db, zone, "")
    try:
        after = axfr(server, zone)
        log = server.log()
    finally:
        server.stop()
    assert len(signatures(before)) > 400  # a few hundred RRsets and their NSEC
    assert [r.to_text() for r in after] == [r.to_text() for r in before]
    assert signatures(after) == signatures(before)
    assert signed_count(log) == (0, len(signatures(before))), log


VALIDITY_DAYS, REFRESH_DAYS, JITTER = 8, 2, 0.5
MONTH = 30
START = datetime.datetime(2027, 3, 1, tzinfo=datetime.timezone.utc)


def renewal_bound() -> float:
    """The largest expected share of signatures renewed on one day of the month.

    A signature made at day d expires at d + V - J, J uniform in [0, JITTER * V); apexd,
    started once a day, renews it on the first day with less than R left: d + P with
    P = floor(V - R - J) + 1. u(n), the chance that a signature is renewed on day n, is the
    renewal density: u(0) = 1, u(n) = sum over k of Pr[P = k] u(n - k)."""
    span = JITTER * VALIDITY_DAYS
    steps = 100000
    p: dict[int, float] = {}
    for i in range(steps):  # J on a fine grid over [0, span)
        j = (i + 0.5) * span / steps
        k = int(VALIDITY_DAYS - REFRESH_DAYS - j) + 1
        p[k] = p.get(k, 0.0) + 1.0 / steps
    u = [1.0] + [0.0] * MONTH
    for n in range(1, MONTH + 1):
        u[n] = sum(share * u[n - k] for k, share in p.items() if k <= n)
    return max(u[1:])


def check_day(zone: str, records: list[dns.rrset.RRset], now: float) -> None:
    """Every RRSIG valid at now and verifying with the zone's DNSKEY."""
    origin = dns.name.from_text(zone)
    dnskey = next(r for r in records if r.rdtype == dns.rdatatype.DNSKEY and r.name == origin)
    keys = {origin: dnskey}
    by_key = {(r.name, r.rdtype, r.covers): r for r in records}
    for rrset in records:
        if rrset.rdtype != dns.rdatatype.RRSIG:
            continue
        for rrsig in rrset:
            assert rrsig.inception <= now < rrsig.expiration, \
                f"{rrset.name} RRSIG {dns.rdatatype.to_text(rrsig.type_covered)}: " \
                f"valid {rrsig.inception}..{rrsig.expiration}, now {now}"
        covered = by_key[(rrset.name, rrset[0].type_covered, dns.rdatatype.NONE)]
        dns.dnssec.validate(covered, rrset, keys, now=now)


def test_a_month_of_renewals_under_faketime(tmp_path):
    zones = {"one.example.": 120, "two.example.": 80, "three.example.": 60}
    db = make_db(tmp_path, zones)
    config = (f"[dnssec]\nsignature_validity_s = {VALIDITY_DAYS * DAY}\n"
              f"refresh_s = {REFRESH_DAYS * DAY}\njitter_fraction = {JITTER}\n")
    bound = renewal_bound() + 0.1  # the margin: a few standard deviations for ~800 signatures
    previous: dict[str, dict[tuple, bytes]] = {}
    shares = []
    for day in range(MONTH + 1):
        date = START + datetime.timedelta(days=day)
        server = start(tmp_path, db, "one.example.", config,
                       fake_time=date.strftime("%Y-%m-%d %H:%M:%S"))
        try:
            if day > 0 and signed_count(server.log_path.read_text())[0] > 0:
                wait_for_serial_bump(server)
            served = {zone: axfr(server, zone) for zone in zones}
            log = server.log_path.read_text(errors="replace")
        finally:
            server.stop()
        now = date.timestamp() + 60  # apexd's clock ran on a little from the fake start
        made_total = 0
        signatures_total = 0
        for zone, records in served.items():
            check_day(zone, records, now)
            current = signatures(records)
            if day > 0:
                made_total += sum(1 for k, v in current.items() if previous[zone].get(k) != v)
            signatures_total += len(current)
            previous[zone] = current
        made, _ = signed_count(log)
        if day == 0:
            assert made == signatures_total
            continue
        # The renewals at load, and the new SOA signatures of the serials raised for them.
        made += rebuilt_count(log)
        # What the log says it signed is what changed in the AXFRs.
        assert made == made_total, f"day {day}: log says {made}, AXFR shows {made_total}"
        share = made_total / signatures_total
        shares.append(round(share, 3))
        assert share <= bound, f"day {day}: {share:.2f} of the signatures made anew, " \
                               f"bound {bound:.2f}; shares so far {shares}"
    # Signatures were renewed at all, and on many days rather than a few.
    assert sum(1 for s in shares if s > 0) >= MONTH // 3, shares
