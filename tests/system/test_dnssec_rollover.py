"""A CSK rollover (RFC 7583 §3.3.1) and the way to insecure (RFC 8078 §4), validated by
Unbound at every step against a parent that holds the child's DS.

One apexd serves a signed parent zone and a signed child zone below it. Unbound's trust
anchor is the parent's DS; it reaches both zones through stub zones at apexd, so the child
validates only through the DS the parent holds for it. The test plays the parent's
operator: it reads the child's CDS records and puts that DS into the parent zone.

- rollover with times of seconds (propagation delay 1 s, parent DS TTL 2 s, registration
  delay 3 s, zone TTLs 1 s): before it, with the new key published, with the new key
  signing, after the DS swap, and after the old key's removal, the child's A and SOA
  validate (AD, NOERROR); each step shows in `dnssec status`;
- a wrong trust anchor makes the same query SERVFAIL;
- disable: the CDS/CDNSKEY delete records are served and validate, `--ds-removed` is
  refused too early; after the parent's DS is removed and the delay has passed it stops
  signing, and Unbound answers the child insecure (NOERROR, no AD).

Run from the repository root:
  APEX_BUILD_DIR=$PWD/build /usr/bin/python3 -m pytest tests/system/test_dnssec_rollover.py -q
"""

from __future__ import annotations

import time
from pathlib import Path

import dns.dnssec
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdatatype

import dnsharness as h
from validator import resolve, start_unbound

PARENT = "parent.test."
CHILD = f"child.{PARENT}"
CHILD_TEXT = f"""$ORIGIN {CHILD}
$TTL 1
@        IN SOA ns1 hostmaster 1 3600 600 86400 1
@        IN NS  ns1
ns1      IN A   127.0.0.1
www      IN A   192.0.2.80
"""


def parent_text(serial: int, ds_lines: list[str]) -> str:
    ds = "".join(f"child 2 IN DS {line}\n" for line in ds_lines)
    return f"""$ORIGIN {PARENT}
$TTL 2
@        IN SOA ns1 hostmaster {serial} 3600 600 86400 2
@        IN NS  ns1
ns1      IN A   127.0.0.1
child    IN NS  ns1.child
ns1.child IN A  127.0.0.1
{ds}"""


class Parent:
    """The parent zone's operator: replaces the child's DS RRset by importing the zone."""

    def __init__(self, workdir: Path, db: Path):
        self.workdir, self.db, self.serial = workdir, db, 1

    def set_ds(self, ds_lines: list[str]) -> None:
        self.serial += 1
        path = self.workdir / f"parent-{self.serial}.zone"
        path.write_text(parent_text(self.serial, ds_lines))
        h.apexctl(self.db, "zone", "import", path, "--replace")


def direct(server: h.Server, qname: str, qtype: str) -> dns.message.Message:
    """apexd's own answer (DO=1), not through Unbound."""
    q = dns.message.make_query(qname, qtype, want_dnssec=True)
    wire = h.exchange_udp(server.addr, q.to_wire(), 2.0)
    assert wire is not None, f"apexd did not answer {qname}/{qtype}"
    return dns.message.from_wire(wire)


def rdatas(message: dns.message.Message, qname: str, qtype: str) -> list:
    rrset = message.get_rrset(message.answer, dns.name.from_text(qname), dns.rdataclass.IN,
                              dns.rdatatype.from_text(qtype))
    return list(rrset) if rrset is not None else []


def key_tags(server: h.Server) -> set[int]:
    return {dns.dnssec.key_id(k) for k in rdatas(direct(server, CHILD, "DNSKEY"), CHILD, "DNSKEY")}


def cds_tags(server: h.Server) -> set[int]:
    return {ds.key_tag for ds in rdatas(direct(server, CHILD, "CDS"), CHILD, "CDS")}


def cds_lines(server: h.Server) -> list[str]:
    return [ds.to_text() for ds in rdatas(direct(server, CHILD, "CDS"), CHILD, "CDS")]


def wait_for(what: str, check, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still not {what} after {timeout} s")
        time.sleep(0.1)


def assert_secure(unbound: h.Server) -> None:
    for qname, qtype in ((f"www.{CHILD}", "A"), (CHILD, "SOA")):
        # Unbound may hold a failure from a moment ago for up to a second (cache-max-ttl 1).
        answer = wait_for(f"secure {qname}/{qtype}", lambda: _secure(unbound, qname, qtype), 4.0)
        assert answer.answer, answer


def _secure(unbound: h.Server, qname: str, qtype: str):
    answer = resolve(unbound, qname, qtype)
    if answer.rcode() == dns.rcode.NOERROR and answer.flags & dns.flags.AD:
        return answer
    return None


def status(db: Path) -> str:
    return h.apexctl(db, "dnssec", "status", CHILD).stdout


def make_db(workdir: Path) -> tuple[Path, Parent]:
    db = workdir / "apex.db"
    h.apexctl(db, "init")
    child = workdir / "child.zone"
    child.write_text(CHILD_TEXT)
    parent_file = workdir / "parent-1.zone"
    parent_file.write_text(parent_text(1, []))
    h.apexctl(db, "zone", "import", parent_file)
    h.apexctl(db, "zone", "import", child)
    h.apexctl(db, "dnssec", "enable", PARENT)
    h.apexctl(db, "dnssec", "enable", CHILD)
    parent = Parent(workdir, db)
    ds = h.apexctl(db, "dnssec", "ds", CHILD).stdout.splitlines()[0]
    parent.set_ds([ds.split(" DS ", 1)[1]])
    return db, parent


def parent_anchor(db: Path) -> str:
    return h.apexctl(db, "dnssec", "ds", PARENT).stdout.splitlines()[0]


def test_rollover_and_disable_validate_at_every_step(tmp_path):
    db, parent = make_db(tmp_path)
    server = h.start_apexd(tmp_path, db, CHILD)
    unbound = wrong = None
    try:
        anchor = parent_anchor(db)
        unbound = start_unbound(tmp_path, server.addr[1], PARENT, anchor, (CHILD,))
        # Before the rollover: one key, named by the CDS, and the parent holds its DS.
        old_tags = key_tags(server)
        assert len(old_tags) == 1 and cds_tags(server) == old_tags
        assert_secure(unbound)

        # A wrong anchor (the digest's last octet changed) cannot validate: SERVFAIL.
        bad = anchor[:-1] + ("0" if anchor[-1] != "0" else "1")
        wrong = start_unbound(tmp_path, server.addr[1], PARENT, bad, (CHILD,))
        assert resolve(wrong, f"www.{CHILD}", "A").rcode() == dns.rcode.SERVFAIL

        h.apexctl(db, "dnssec", "rollover", CHILD, "--propagation-delay", "1",
                  "--parent-ds-ttl", "2", "--registration-delay", "3")
        assert "rolling, step 1 of 3" in status(db)
        # Published: both DNSKEYs, the CDS still names the old key.
        tags = wait_for("two DNSKEYs", lambda: t if len(t := key_tags(server)) == 2 else None)
        (new_tag,) = tags - old_tags
        assert cds_tags(server) == old_tags
        assert_secure(unbound)

        # The new key signs: the CDS names it; the parent still holds the old DS.
        wait_for("the CDS naming the new key", lambda: cds_tags(server) == {new_tag})
        assert "rolling, step 2 of 3" in status(db)
        assert key_tags(server) == old_tags | {new_tag}
        assert_secure(unbound)

        # The parent follows the CDS: the DS swapped.
        parent.set_ds(cds_lines(server))
        time.sleep(0.3)
        assert_secure(unbound)

        # The old key is removed once its DS and signatures have left every cache.
        wait_for("the old DNSKEY removed", lambda: key_tags(server) == {new_tag})
        assert "zone child.parent.test.: signed" in status(db)
        assert_secure(unbound)

        # Disable, step 1: delete records, served and validated.
        h.apexctl(db, "dnssec", "disable", CHILD)
        def cds_delete():
            answer = _secure(unbound, CHILD, "CDS")
            texts = [r.to_text() for r in answer.answer[0]] if answer and answer.answer else []
            return texts == ["0 0 0 00"]
        wait_for("the CDS delete record validated", cds_delete, 5.0)
        cdnskey = resolve(unbound, CHILD, "CDNSKEY")
        assert cdnskey.flags & dns.flags.AD
        assert [r.to_text() for r in cdnskey.answer[0]] == ["0 3 0 AA=="]
        early = h.apexctl(db, "dnssec", "disable", CHILD, "--ds-removed", check=False)
        assert early.returncode == 1 and "too early" in early.stderr, early.stderr
        assert_secure(unbound)

        # The parent removes the DS; once its TTL has passed, signing stops.
        parent.set_ds([])
        done = wait_for("--ds-removed accepted", lambda: h.apexctl(
            db, "dnssec", "disable", CHILD, "--ds-removed", check=False).returncode == 0, 10.0)
        assert done
        wait_for("the child unsigned", lambda: not key_tags(server))

        def insecure():
            answer = resolve(unbound, f"www.{CHILD}", "A")
            ok = answer.rcode() == dns.rcode.NOERROR and not answer.flags & dns.flags.AD
            return answer if ok and answer.answer else None
        wait_for("an insecure answer", insecure, 5.0)
    finally:
        for s in (wrong, unbound, server):
            if s is not None:
                s.stop()
