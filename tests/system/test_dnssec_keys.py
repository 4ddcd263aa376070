"""Zones signed by apexd as it loads them, with keys that `apexctl dnssec` manages.

`apexctl dnssec enable` stores a CSK in the database and moves the zone's serial; apexd
signs the zone when it builds its snapshot (at startup, at each change, and again before
the signatures age), and transfers it signed. Here:
- the AXFR of a signed zone (ECDSA P-256 and Ed25519; NSEC, NSEC3, NSEC3 with opt-out)
  passes ldns-verify-zone, dnssec-verify and kzonecheck; after `record add` the new AXFR
  verifies again, with the new record signed;
- `dnssec ds` matches the DNSKEY served (the DS dnspython computes from it);
- enabling on a running apexd signs the zone at once; `dnssec disable` serves it without
  RRSIG, NSEC, NSEC3 or DNSKEY;
- with a short [dnssec] validity, apexd renews stored signatures as they fall due while it
  runs;
- unknown zone, unknown algorithm, not signed: non-zero exit, the database unchanged.

Run from the repository root:
  APEX_BUILD_DIR=$PWD/build /usr/bin/python3 -m pytest tests/system/test_dnssec_keys.py -q
"""

from __future__ import annotations

import sqlite3
import subprocess
import time
from pathlib import Path

import dns.dnssec
import dns.flags
import dns.rcode
import dns.rdatatype
import dns.rrset
import pytest

import dnsharness as h
from test_dnssec_resign import on_fake_clock, start as start_faked
from test_transfer import soa_serial, xfr
from validator import resolve, start_unbound, verify_signed_zone

ZONE = "signed.example."
ZONE_TEXT = f"""$ORIGIN {ZONE}
$TTL 300
@        IN SOA ns1 hostmaster 1 3600 600 86400 300
@        IN NS  ns1
@        IN MX  10 mail
ns1      IN A   192.0.2.53
mail     IN A   192.0.2.25
www      IN A   192.0.2.80
www      IN AAAA 2001:db8::80
shop     IN CNAME www
a.ent    IN TXT "below an empty non-terminal"
*.wild   IN A   192.0.2.99
child    IN NS  ns.child
ns.child IN A   192.0.2.54
"""
CHANGE = 5.0  # a committed change is served within this long
DNSSEC_TYPES = {dns.rdatatype.RRSIG, dns.rdatatype.NSEC, dns.rdatatype.NSEC3,
                dns.rdatatype.NSEC3PARAM, dns.rdatatype.DNSKEY}


def verify(zone_file: Path) -> None:
    verify_signed_zone(zone_file, ZONE)


def make_db(workdir: Path) -> Path:
    """The zone, and a secondary on 127.0.0.1 (nothing listens there) so AXFR is allowed."""
    zone_file = workdir / "signed.example.zone"
    zone_file.write_text(ZONE_TEXT)
    db = workdir / "apex.db"
    h.apexctl(db, "init")
    h.apexctl(db, "zone", "import", zone_file)
    h.apexctl(db, "secondary", "add", f"{h.LOOPBACK}:{h.free_port()}")
    return db


def start(workdir: Path, db: Path, config: str = "") -> h.Server:
    config_file = workdir / "apexdns.toml"
    config_file.write_text(config)
    return h.start_apexd(workdir, db, ZONE, extra_args=("--config", str(config_file)))


def axfr(server: h.Server) -> list[dns.rrset.RRset]:
    rcode, records, _ = xfr(server.addr, ZONE)
    assert rcode == 0, f"AXFR rcode {rcode}"
    return records[:-1]  # the closing SOA repeats the first


def write_zone(records: list[dns.rrset.RRset], path: Path) -> Path:
    path.write_text("".join(r.to_text() + "\n" for r in records))
    return path


def has(records, owner: str, rdtype, covers=None) -> bool:
    for r in records:
        if r.name.to_text().lower() != owner or r.rdtype != rdtype:
            continue
        if covers is None or any(rd.type_covered == covers for rd in r):
            return True
    return False


def wait_serial_above(server: h.Server, serial: int) -> int:
    deadline = time.monotonic() + CHANGE
    while time.monotonic() < deadline:
        now = soa_serial(server.addr, ZONE)
        if now > serial:
            return now
        time.sleep(0.05)
    raise AssertionError(f"serial still {serial} after {CHANGE} s:\n{server.log()}")


def dump(db: Path) -> list[str]:
    with sqlite3.connect(db) as c:
        return list(c.iterdump())


@pytest.mark.parametrize("algorithm,denial", [
    ("ecdsap256sha256", []), ("ed25519", ["--nsec3"]),
    ("ecdsap256sha256", ["--nsec3", "--opt-out"]),
])
def test_signed_axfr_verifies_before_and_after_a_change(tmp_path, algorithm, denial):
    db = make_db(tmp_path)
    h.apexctl(db, "dnssec", "enable", ZONE, "--algorithm", algorithm, *denial)
    server = start(tmp_path, db)
    try:
        records = axfr(server)
        assert has(records, ZONE, dns.rdatatype.DNSKEY)
        assert has(records, ZONE, dns.rdatatype.NSEC3PARAM) == bool(denial)
        verify(write_zone(records, tmp_path / "first.zone"))

        serial = soa_serial(server.addr, ZONE)
        h.apexctl(db, "record", "add", f"new.{ZONE}", "A", "192.0.2.77")
        wait_serial_above(server, serial)
        records = axfr(server)
        assert has(records, f"new.{ZONE}", dns.rdatatype.A)
        assert has(records, f"new.{ZONE}", dns.rdatatype.RRSIG, covers=dns.rdatatype.A)
        verify(write_zone(records, tmp_path / "changed.zone"))
        # An IXFR from the serial before the change gets the whole signed zone (RFC 1995 §4):
        # that version was signed when apexd loaded it, and no step starts from a version
        # apexd did not see replace an older one (test_dnssec_transfer.py: later steps).
        rcode, ixfr, _ = xfr(server.addr, ZONE, "IXFR", serial=serial)
        assert rcode == 0
        assert [r.to_text() for r in ixfr[:-1]] == [r.to_text() for r in records]
        # The verifiers do check: the same transfer with the new record's A changed fails.
        tampered = [dns.rrset.from_text(r.name, r.ttl, "IN", "A", "192.0.2.78")
                    if r.name.to_text() == f"new.{ZONE}" and r.rdtype == dns.rdatatype.A
                    else r for r in records]
        tampered_file = write_zone(tampered, tmp_path / "tampered.zone")
        with pytest.raises(AssertionError, match="ldns-verify-zone failed"):
            verify(tampered_file)
    finally:
        server.stop()


def test_ds_matches_the_dnskey_served(tmp_path):
    db = make_db(tmp_path)
    h.apexctl(db, "dnssec", "enable", ZONE)
    printed = h.apexctl(db, "dnssec", "ds", ZONE).stdout.splitlines()
    assert len(printed) == 2, printed
    ds_line, dnskey_line = printed
    server = start(tmp_path, db)
    try:
        served = [r for r in axfr(server) if r.rdtype == dns.rdatatype.DNSKEY]
        assert len(served) == 1
        dnskey = served[0][0]
        want = dns.dnssec.make_ds(ZONE, dnskey, "SHA256")
        ds = dns.rrset.from_text(*ds_line.split(maxsplit=4)[:1], 3600, "IN", "DS",
                                 ds_line.split(maxsplit=4)[4])
        assert ds[0] == want, f"{ds_line} vs {want}"
        assert dns.rrset.from_text(ZONE, 3600, "IN", "DNSKEY",
                                   dnskey_line.split(maxsplit=4)[4])[0] == dnskey
    finally:
        server.stop()


def test_enable_and_disable_on_a_running_server(tmp_path):
    db = make_db(tmp_path)
    server = start(tmp_path, db)
    try:
        records = axfr(server)
        assert not any(r.rdtype in DNSSEC_TYPES for r in records)
        serial = soa_serial(server.addr, ZONE)
        h.apexctl(db, "dnssec", "enable", ZONE)
        serial = wait_serial_above(server, serial)
        records = axfr(server)
        assert has(records, ZONE, dns.rdatatype.RRSIG, covers=dns.rdatatype.SOA)
        verify(write_zone(records, tmp_path / "enabled.zone"))

        disabled = h.apexctl(db, "dnssec", "disable", ZONE, "--now")
        assert "unsigned" in disabled.stdout
        wait_serial_above(server, serial)
        records = axfr(server)
        assert not any(r.rdtype in DNSSEC_TYPES for r in records), \
            [r.to_text() for r in records if r.rdtype in DNSSEC_TYPES]
        assert has(records, f"www.{ZONE}", dns.rdatatype.A)
    finally:
        server.stop()


def test_zone_signed_by_apexd_validates_after_a_change(tmp_path):
    """What apexd signs at load, it serves to DO=1 queries with its proofs: Unbound, with the
    DS `dnssec ds` prints as trust anchor, finds the answers secure, also for a record added
    while apexd runs; with a wrong DS they are bogus."""
    db = make_db(tmp_path)
    h.apexctl(db, "dnssec", "enable", ZONE)
    ds_line = h.apexctl(db, "dnssec", "ds", ZONE).stdout.splitlines()[0]
    server = start(tmp_path, db)
    unbound = start_unbound(tmp_path, server.port, ZONE, ds_line)
    try:
        cases = [("www", "A", "NOERROR"), ("shop", "AAAA", "NOERROR"), ("nope", "A", "NXDOMAIN"),
                 ("www", "TXT", "NOERROR"), ("x.wild", "A", "NOERROR"), ("", "DNSKEY", "NOERROR"),
                 ("child", "DS", "NOERROR")]
        for label, qtype, rcode in cases:
            reply = resolve(unbound, f"{label}.{ZONE}" if label else ZONE, qtype)
            assert dns.rcode.to_text(reply.rcode()) == rcode, (label, qtype, reply)
            assert reply.flags & dns.flags.AD, (label, qtype, reply, unbound.log()[-2000:])
        serial = soa_serial(server.addr, ZONE)
        h.apexctl(db, "record", "add", f"new.{ZONE}", "A", "192.0.2.77")
        wait_serial_above(server, serial)
        # Unbound keeps answers, and the NSEC records that denied "new" (aggressive use,
        # RFC 8198), for cache-max-ttl: 1 s, counted in whole seconds.
        time.sleep(2.5)
        reply = resolve(unbound, f"new.{ZONE}", "A")
        assert dns.rcode.to_text(reply.rcode()) == "NOERROR" and reply.flags & dns.flags.AD, reply
        assert "192.0.2.77" in reply.to_text()
    finally:
        unbound.stop()
    fields = ds_line.split()
    fields[-1] = ("0" if fields[-1][0] != "0" else "1") + fields[-1][1:]
    wrong = start_unbound(tmp_path, server.port, ZONE, " ".join(fields))
    try:
        reply = resolve(wrong, f"www.{ZONE}", "A")
        assert reply.rcode() == dns.rcode.SERVFAIL, reply
    finally:
        wrong.stop()
        server.stop()


def soa_inception(records) -> int:
    for r in records:
        if r.rdtype == dns.rdatatype.RRSIG and r[0].type_covered == dns.rdatatype.SOA:
            return r[0].inception
    raise AssertionError("no RRSIG over the SOA")


def served_serial(records) -> int:
    for r in records:
        if r.rdtype == dns.rdatatype.SOA:
            return r[0].serial
    raise AssertionError("no SOA")


def test_signatures_are_made_anew_while_apexd_runs(tmp_path):
    # Signatures are renewed once less than refresh_s of their validity remains: with an
    # hour's validity and half an hour's refresh, those made (and stored) by an apexd whose
    # clock was 1785 s behind (faketime) fall due 15 s after the second apexd starts.
    db = make_db(tmp_path)
    # The key is made on the same clock, so that it is published and signing at once.
    subprocess.run([*on_fake_clock("-1785", relative=True), str(h.apexctl_binary()), "--db", str(db),
                    "dnssec", "enable", ZONE], check=True, capture_output=True, timeout=30)
    config = "[dnssec]\nsignature_validity_s = 3600\nrefresh_s = 1800\njitter_fraction = 0\n"
    start_faked(tmp_path, db, ZONE, config, fake_time="-1785", relative=True).stop()
    server = start_faked(tmp_path, db, ZONE, config)
    try:
        first = axfr(server)
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            time.sleep(0.5)
            later = axfr(server)
            if soa_inception(later) > soa_inception(first):
                break
        else:
            raise AssertionError(f"the zone was not signed anew:\n{server.log()}")
        rrsig = next(r[0] for r in later if r.rdtype == dns.rdatatype.RRSIG)
        assert rrsig.expiration - rrsig.inception == 3600 + 3600  # validity + backdate
        verify(write_zone(later, tmp_path / "renewed.zone"))
        assert "signing 1 zone(s) anew" in server.log()
        # New signatures move the serial, so secondaries transfer them (RFC 1996 §4.7).
        assert served_serial(later) > served_serial(first)
    finally:
        server.stop()


def test_refusals_change_nothing(tmp_path):
    db = make_db(tmp_path)
    before = dump(db)
    for args in (["dnssec", "enable", "unknown.example."],
                 ["dnssec", "enable", ZONE, "--algorithm", "rsasha1"],
                 ["dnssec", "disable", ZONE],  # not signed
                 ["dnssec", "ds", ZONE]):
        result = h.apexctl(db, *args, check=False)
        assert result.returncode != 0, args
        assert result.stderr.startswith("apexctl: "), result.stderr
    assert dump(db) == before
