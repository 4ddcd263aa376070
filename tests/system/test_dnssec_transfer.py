"""Signed zones transferred to NSD 4.6 and Knot 3.2 secondaries, incrementally, and validated
through them; every answer kind validated by delv straight from apexd.

apexd writes a signed zone's IXFR steps itself, as it publishes each version: the difference
between the two signed snapshots (RRSIG, NSEC/NSEC3 and DNSKEY records included). A step
starts only from a snapshot with the sole content served at its serial (its digest is the
one stored as it was published), so a version whose signatures were made anew at the same
serial is sent whole (RFC 1995 §4). Here, for an NSEC and an NSEC3 zone:
- the zone signed on a running apexd reaches both secondaries; the AXFR of what each serves
  passes ldns-verify-zone, dnssec-verify and kzonecheck -d on, and Unbound, with the zone's
  DS as trust anchor and a stub zone pointing at the secondary, validates (AD) a positive
  answer, NXDOMAIN and NODATA;
- a record change travels by IXFR (apexd logs one version per secondary, Knot logs an
  incremental IXFR, NSD serves back the version it received), the secondaries' copies
  verify again and Unbound validates the new record through them;
- signing anew with a new serial (signatures made under faketime falling due) is an IXFR
  too, of signatures only, and verifies;
- after a restart, which builds the zone from its stored signatures, the next change is an
  IXFR chained to the steps before it; after a restart that had to sign it anew at the same
  serial (stored signatures gone), the next change goes whole, never as a step from
  signatures apexd no longer serves;
- delv, with the DS as its only trust anchor, finds every answer kind of RFC 4035 §3.1
  "fully validated" from apexd: positive, CNAME chain, NXDOMAIN, NODATA, wildcard expansion,
  wildcard NODATA, empty non-terminal, signed DS at a delegation, the no-DS proof of an
  unsigned delegation, DNSKEY at the apex; with a wrong DS it validates nothing.

Run from the repository root:
  APEX_BUILD_DIR=$PWD/build /usr/bin/python3 -m pytest tests/system/test_dnssec_transfer.py -q
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import pytest

import dnsharness as h
import secondaries as S
from test_dnssec_keys import write_zone
from test_dnssec_resign import on_fake_clock, start as start_faked
from test_ixfr import LogMark, knot_took_ixfr, nsd_took_ixfr, version_line, whole_line
from test_transfer import KEY, distinct_free_ports, dns_key, soa_serial, xfr
from validator import resolve, start_unbound, tool, verify_signed_zone

ZONE = "signed.example."
SECONDARY_KINDS = ("nsd", "knot")
ZONE_TEXT = f"""$ORIGIN {ZONE}
$TTL 300
@           IN SOA ns1 hostmaster 1 3600 600 86400 300
@           IN NS  ns1
@           IN MX  10 mail
ns1         IN A   192.0.2.53
mail        IN A   192.0.2.25
www         IN A   192.0.2.80
www         IN AAAA 2001:db8::80
shop        IN CNAME alias
alias       IN CNAME www
a.ent       IN TXT "below an empty non-terminal"
*.wild      IN A   192.0.2.99
secure      IN NS  ns.secure
secure      IN DS  4711 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ns.secure   IN A   192.0.2.54
insecure    IN NS  ns.insecure
ns.insecure IN A   192.0.2.55
""" + "".join(f"pool IN A 198.51.100.{i}\n" for i in range(1, 65))
# apexd answers an IXFR with the whole zone when the steps hold more records than the zone
# (transfer_session.cpp); a zone signed anew with new signatures for every RRset (ECDSA
# signatures differ each time) has steps holding each RRSIG out and in. The 64 addresses of
# "pool", one RRset with one signature as RRsets of many records have in real zones, keep
# the zone larger than such a step, so the step is what is sent.
DENIALS = {"nsec": (), "nsec3": ("--nsec3",)}
LIVE = 5.0  # a change reaches both secondaries within this long
DNSSEC_TYPES = {dns.rdatatype.RRSIG, dns.rdatatype.NSEC, dns.rdatatype.NSEC3,
                dns.rdatatype.NSEC3PARAM, dns.rdatatype.DNSKEY}


@dataclass
class Stack:
    """apexd as primary of ZONE with NSD and Knot as its secondaries (the fields test_ixfr's
    LogMark and knot_took_ixfr/nsd_took_ixfr read)."""
    dir: Path
    db: Path
    config: Path
    apexd: h.Server
    secondaries: dict[str, h.Server] = field(default_factory=dict)

    def serial(self) -> int:
        return soa_serial(self.apexd.addr, ZONE)


def start_apexd(workdir: Path, db: Path, config: Path, port: int | None = None) -> h.Server:
    """apexd on a free port, or on port (a restart the secondaries must find again)."""
    binary = h.require_binary(h.apexd_binary())
    server = h.start_server(
        "apexd", lambda p: [binary, "--db", db, "--listen", f"{h.LOOPBACK}:{p}", "--threads",
                            "1", "--config", config],
        workdir, ZONE, retries=1 if port else 5,
        pick_port=(lambda: port) if port else h.free_port)
    server.extra["db"] = db
    return server


def make_stack(workdir: Path, config_text: str, signed_with: tuple | None,
               prepare=None) -> Stack:
    """The zone imported, a TSIG key, NSD and Knot as secondaries; signed_with: the zone
    signed before apexd starts (`dnssec enable` options), or None to start unsigned;
    prepare(db): run on the database before apexd starts."""
    config = workdir / "apexd.toml"
    config.write_text(config_text)
    db = workdir / "apex.db"
    zone_file = workdir / "signed.example.zone"
    zone_file.write_text(ZONE_TEXT)
    h.apexctl(db, "init")
    h.apexctl(db, "zone", "import", zone_file)
    h.apexctl(db, "tsig", "add", KEY.name, "--algorithm", KEY.algorithm, "--secret", KEY.secret)
    ports = dict(zip(SECONDARY_KINDS, distinct_free_ports(len(SECONDARY_KINDS))))
    for port in ports.values():
        h.apexctl(db, "secondary", "add", f"{h.LOOPBACK}:{port}", "--key", KEY.name)
    if signed_with is not None:
        h.apexctl(db, "dnssec", "enable", ZONE, *signed_with)
    if prepare is not None:
        prepare(db)
    stack = Stack(workdir, db, config, start_apexd(workdir, db, config))
    for kind, port in ports.items():
        stack.secondaries[kind] = S.start_secondary(kind, workdir, port, stack.apexd.port, KEY,
                                                    [ZONE])
    return stack


def stop(stack: Stack) -> None:
    for server in stack.secondaries.values():
        server.stop()
    stack.apexd.stop()


def wait_converged(stack: Stack, timeout: float = LIVE) -> int:
    """apexd's serial, once both secondaries serve it."""
    serial = stack.serial()
    for kind, server in stack.secondaries.items():
        took, last = h.wait_served(server.addr, ZONE, "SOA",
                                   lambda s: s.rcode == dns.rcode.NOERROR and s.serial == serial,
                                   timeout=timeout, interval=0.05)
        assert took is not None, \
            f"{kind} does not serve serial {serial}: {last}\n{server.log()[-2000:]}\n" \
            f"--- apexd ---\n{stack.apexd.log()[-2000:]}"
    return serial


def wait_serial_above(stack: Stack, serial: int) -> int:
    deadline = time.monotonic() + LIVE
    while time.monotonic() < deadline:
        now = stack.serial()
        if now != serial:
            return now
        time.sleep(0.05)
    raise AssertionError(f"apexd still serves serial {serial}:\n{stack.apexd.log()[-2000:]}")


def verify(records, path: Path) -> None:
    """ldns-verify-zone, dnssec-verify and kzonecheck -d on accept the zone."""
    verify_signed_zone(write_zone(records, path), ZONE)


def verify_secondaries(stack: Stack, label: str) -> None:
    """The AXFR of what each secondary serves is signed and verifies."""
    for kind, server in stack.secondaries.items():
        rcode, records, _ = xfr(server.addr, ZONE)
        assert rcode == 0, f"AXFR from {kind}: rcode {rcode}"
        records = records[:-1]  # the closing SOA repeats the first
        assert any(r.rdtype == dns.rdatatype.DNSKEY for r in records), f"{kind}: unsigned"
        verify(records, stack.dir / f"{kind}-{label}.zone")


def ds_line(db: Path) -> str:
    return h.apexctl(db, "dnssec", "ds", ZONE).stdout.splitlines()[0]


def wrong(ds: str) -> str:
    """The DS with the first digit of its digest changed."""
    fields = ds.split()
    fields[-1] = ("0" if fields[-1][0] != "0" else "1") + fields[-1][1:]
    return " ".join(fields)


def validated(unbound: h.Server, label: str, qtype: str, rcode: str) -> None:
    qname = f"{label}.{ZONE}" if label else ZONE
    reply = resolve(unbound, qname, qtype)
    assert dns.rcode.to_text(reply.rcode()) == rcode, (qname, qtype, reply)
    assert reply.flags & dns.flags.AD, (qname, qtype, reply, unbound.log()[-2000:])


def unbound_through_secondaries(stack: Stack, ds: str, cases) -> None:
    """Unbound, with ds as trust anchor and a stub zone at each secondary in turn, validates
    each (label, qtype, rcode) case."""
    for kind, server in stack.secondaries.items():
        unbound = start_unbound(stack.dir / kind, server.port, ZONE, ds)
        try:
            for case in cases:
                validated(unbound, *case)
        finally:
            unbound.stop()


def journal_steps(db: Path) -> list[tuple[int, int, list]]:
    """The zone's journal rows: (from, to, the step's records)."""
    with sqlite3.connect(db) as c:
        rows = c.execute("SELECT serial_from, serial_to, difference FROM journal "
                         "ORDER BY id").fetchall()
    return [(a, b, dns.message.from_wire(bytes(blob), one_rr_per_rrset=True).answer)
            for a, b, blob in rows]


def zone_size(stack: Stack) -> int:
    """The records apexd transfers for the zone (the SOA once)."""
    rcode, records, _ = xfr(stack.apexd.addr, ZONE, key=dns_key())
    assert rcode == 0
    return sum(len(r) for r in records[:-1])


def wait_ixfr_to_both(stack: Stack, mark: LogMark, old: int, new: int) -> None:
    """apexd answered both secondaries with the one version old -> new, and no whole zone;
    Knot logged an incremental IXFR, NSD serves back the version it received."""
    line = version_line(ZONE, new, 1, old)
    log = mark.wait(stack.apexd, line, 2, timeout=LIVE)
    assert len(re.findall(line, log)) == 2, log
    assert not re.search(whole_line(ZONE, new), log), log
    problems = [knot_took_ixfr(mark, stack, ZONE, old, new), nsd_took_ixfr(stack, ZONE, old, new)]
    assert not any(problems), "\n".join(p for p in problems if p)


# --- 1. secondaries serve the signed zone and follow its changes by IXFR ----------------------

@pytest.mark.timeout_seconds(120)
@pytest.mark.parametrize("denial", DENIALS)
def test_secondaries_follow_signed_changes_by_ixfr(tmp_path, denial, report):
    stack = make_stack(tmp_path, "", signed_with=None)
    try:
        wait_converged(stack, timeout=15.0)
        # Signed on the running apexd: the first signed version, sent whole (the journal
        # holds no step to it from an unsigned one).
        unsigned = stack.serial()
        h.apexctl(stack.db, "dnssec", "enable", ZONE, *DENIALS[denial])
        signed = wait_serial_above(stack, unsigned)
        wait_converged(stack)
        verify_secondaries(stack, "signed")
        ds = ds_line(stack.db)
        unbound_through_secondaries(stack, ds, [("www", "A", "NOERROR"),
                                                ("nope", "A", "NXDOMAIN"),
                                                ("www", "TXT", "NOERROR")])

        mark = LogMark(stack)
        h.apexctl(stack.db, "record", "add", f"new.{ZONE}", "A", "192.0.2.77")
        changed = wait_serial_above(stack, signed)
        wait_converged(stack)
        wait_ixfr_to_both(stack, mark, signed, changed)
        steps = journal_steps(stack.db)
        assert [(a, b) for a, b, _ in steps] == [(signed, changed)], steps
        records = steps[0][2]
        types = {dns.rdatatype.to_text(r.rdtype) for r in records}
        assert {"SOA", "A", "RRSIG", "NSEC3" if denial == "nsec3" else "NSEC"} <= types, types
        report(f"{denial}: a one-record change is a step of {len(records)} records "
               f"(2 SOA included) in a zone of {zone_size(stack)}: {sorted(types)}")
        verify_secondaries(stack, "changed")
        unbound_through_secondaries(stack, ds, [("new", "A", "NOERROR"),
                                                ("nope", "A", "NXDOMAIN")])

        # The next change chains on: two steps, the history kept.
        mark = LogMark(stack)
        h.apexctl(stack.db, "record", "delete", f"new.{ZONE}", "A")
        deleted = wait_serial_above(stack, changed)
        wait_converged(stack)
        wait_ixfr_to_both(stack, mark, changed, deleted)
        assert [(a, b) for a, b, _ in journal_steps(stack.db)] == \
            [(signed, changed), (changed, deleted)]
        verify_secondaries(stack, "deleted")

        # A restart builds the zone from its stored signatures: the same content at the
        # same serial (its digest is the one stored), so the history goes on by IXFR.
        port = stack.apexd.port
        stack.apexd.stop()
        stack.apexd = start_apexd(stack.dir, stack.db, stack.config, port)
        mark = LogMark(stack)
        h.apexctl(stack.db, "record", "add", f"again.{ZONE}", "A", "192.0.2.78")
        again = wait_serial_above(stack, deleted)
        wait_converged(stack)
        wait_ixfr_to_both(stack, mark, deleted, again)
        assert [(a, b) for a, b, _ in journal_steps(stack.db)] == \
            [(signed, changed), (changed, deleted), (deleted, again)]
        verify_secondaries(stack, "restarted")

        # Signatures made anew at the same serial (their stored rows gone, as after a
        # restore of an older database): other content than the secondaries hold at that
        # serial, so no step starts from it; the next change goes whole.
        stack.apexd.stop()
        with sqlite3.connect(stack.db) as c:
            c.execute("DELETE FROM dnssec_signatures")
        stack.apexd = start_apexd(stack.dir, stack.db, stack.config, port)
        mark = LogMark(stack)
        h.apexctl(stack.db, "record", "delete", f"again.{ZONE}", "A")
        last = wait_serial_above(stack, again)
        wait_converged(stack)
        log = mark.wait(stack.apexd, whole_line(ZONE, last), 2, timeout=LIVE)
        assert len(re.findall(whole_line(ZONE, last), log)) == 2, log
        assert journal_steps(stack.db) == [], "a step from a snapshot signed anew at its serial"
        verify_secondaries(stack, "signed anew")
    finally:
        stop(stack)


# --- 2. signing anew with a new serial is an IXFR too -----------------------------------------

RENEWING = "[dnssec]\nsignature_validity_s = 3600\nrefresh_s = 1800\njitter_fraction = 0\n"


def signed_in_the_past(workdir: Path, denial: str):
    """Signatures are renewed once less than refresh_s of their validity remains. Those an
    apexd with its clock 1795 s behind (faketime) made fall due 5 s after the real start;
    those a later change made under a clock 1788 s behind, 12 s after: two renewals."""
    def prepare(db: Path) -> None:
        subprocess.run([*on_fake_clock("-1795", relative=True), str(h.apexctl_binary()), "--db", str(db),
                        "dnssec", "enable", ZONE, *DENIALS[denial]],
                       check=True, capture_output=True, timeout=30)
        faked = workdir / "faked"
        faked.mkdir(exist_ok=True)
        start_faked(faked, db, ZONE, RENEWING, fake_time="-1795", relative=True).stop()
        h.apexctl(db, "record", "add", f"late.{ZONE}", "A", "192.0.2.201")
        start_faked(faked, db, ZONE, RENEWING, fake_time="-1788", relative=True).stop()
    return prepare


@pytest.mark.timeout_seconds(120)
@pytest.mark.parametrize("denial", DENIALS)
def test_signing_anew_is_an_ixfr_of_signatures(tmp_path, denial, report):
    stack = make_stack(tmp_path, RENEWING, signed_with=None,
                       prepare=signed_in_the_past(tmp_path, denial))
    try:
        first = wait_converged(stack, timeout=15.0)
        mark = LogMark(stack)
        # The first renewal leads from the snapshot signed at start: whole. The second one
        # leads from a snapshot this apexd published at a new serial: a step.
        renewed = wait_serial_above(stack, first)
        again = renewed
        deadline = time.monotonic() + 15.0
        while again == renewed and time.monotonic() < deadline:
            time.sleep(0.2)
            again = stack.serial()
        assert again != renewed, f"not signed anew twice:\n{stack.apexd.log()[-2000:]}"
        line = version_line(ZONE, again, 1, renewed)
        log = mark.wait(stack.apexd, line, 2, timeout=LIVE)
        assert len(re.findall(line, log)) == 2, log
        step = [records for a, b, records in journal_steps(stack.db) if (a, b) == (renewed, again)]
        assert step, journal_steps(stack.db)
        types = {dns.rdatatype.to_text(r.rdtype) for r in step[0]}
        assert types == {"SOA", "RRSIG"}, types  # the data and its chain stay as they were
        report(f"{denial}: signing anew is a step of {len(step[0])} records (2 SOA included) "
               f"in a zone of {zone_size(stack)}")
        wait_converged(stack)
        verify_secondaries(stack, "renewed")
    finally:
        stop(stack)


# --- 3. delv validates every answer kind from apexd -------------------------------------------

# (label, type, answer kind, what delv must print besides "fully validated").
DELV_CASES = [
    ("www", "A", "positive", r"IN\s+A\s+192\.0\.2\.80"),
    ("shop", "A", "CNAME chain", r"IN\s+CNAME\s+alias\.[\s\S]*IN\s+A\s+192\.0\.2\.80"),
    ("nope", "A", "NXDOMAIN", r"ncache nxdomain"),
    ("www", "TXT", "NODATA", r"ncache nxrrset"),
    ("x.wild", "A", "wildcard expansion", r"x\.wild\.signed\.example\.\s+\d+\s+IN\s+A\s+192\.0\.2\.99"),
    ("x.wild", "MX", "wildcard NODATA", r"ncache nxrrset"),
    ("ent", "TXT", "empty non-terminal", r"ncache nxrrset"),
    ("secure", "DS", "signed DS at a delegation", r"IN\s+DS\s+4711 13 2 "),
    ("insecure", "DS", "no DS at a delegation", r"ncache nxrrset"),
    ("", "DNSKEY", "DNSKEY at the apex", r"IN\s+DNSKEY\s+257 3 13 "),
]


def delv(server: h.Server, anchors: Path, qname: str, qtype: str) -> str:
    # +root names the anchor's zone as where validation starts (BIND 9.18's delv has no
    # other way to take a trust anchor below the root); -a reads it from the file.
    result = subprocess.run([tool("delv"), f"@{h.LOOPBACK}", "-p", str(server.port), "-a",
                             str(anchors), f"+root={ZONE}",
                             qname, qtype], capture_output=True, text=True, timeout=30)
    return result.stdout + result.stderr


def anchor_file(path: Path, ds: str) -> Path:
    owner, _ttl, _class, _type, tag, algorithm, digest_type, digest = ds.split(maxsplit=7)
    path.write_text(f'trust-anchors {{\n  "{owner}" static-ds {tag} {algorithm} {digest_type} '
                    f'"{digest.replace(" ", "")}";\n}};\n')
    return path


@pytest.mark.timeout_seconds(120)
@pytest.mark.parametrize("denial", DENIALS)
def test_delv_validates_every_answer_kind(tmp_path, denial):
    db = tmp_path / "apex.db"
    zone_file = tmp_path / "signed.example.zone"
    zone_file.write_text(ZONE_TEXT)
    h.apexctl(db, "init")
    h.apexctl(db, "zone", "import", zone_file)
    h.apexctl(db, "dnssec", "enable", ZONE, *DENIALS[denial])
    config = tmp_path / "apexd.toml"
    config.write_text("")
    apexd = start_apexd(tmp_path, db, config)
    try:
        ds = ds_line(db)
        anchors = anchor_file(tmp_path / "anchors.conf", ds)
        failed = []
        for label, qtype, kind, shows in DELV_CASES:
            qname = f"{label}.{ZONE}" if label else ZONE
            out = delv(apexd, anchors, qname, qtype)
            if "fully validated" not in out or not re.search(shows, out):
                failed.append(f"{kind} ({qname} {qtype}):\n{out}")
        assert not failed, "\n".join(failed)
        bad = anchor_file(tmp_path / "wrong.conf", wrong(ds))
        for label, qtype, kind, _ in DELV_CASES:
            qname = f"{label}.{ZONE}" if label else ZONE
            out = delv(apexd, bad, qname, qtype)
            assert "fully validated" not in out, f"{kind} validated under a wrong DS:\n{out}"
    finally:
        apexd.stop()
