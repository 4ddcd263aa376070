"""Flattened ALIAS answers of signed zones: the addresses the flattener publishes are zone
data of the signed snapshot, signed when published, never per query (issue 11, item 4).

NSD serves the target zones and Unbound resolves them (alias_stack.Upstream, as in
test_alias_served.py); apexd flattens through that Unbound with alias_stack.FAST_FLATTEN
(stale TTL 7 s), except max-stale, raised to 30 s so the stale window is wide. The signed
zone signed.test. (NSEC, then NSEC3) has these ALIAS owners, ALIAS TTL 60:

  @      -> lb.cdn.test.      dual-stack (A 192.0.2.10, .11; AAAA 2001:db8::10; TTL 300)
  v4     -> v4only.cdn.test.  A only (192.0.2.30)
  fb     -> loop1.cdn.test.   a CNAME loop (fails), fallback 192.0.2.99 (IPv4 only)
  fail   -> loop1.cdn.test.   fails, no fallback: nothing can be served
  move   -> short.cdn.test.   TTL 2, rewritten at NSD by a test (a target change)
  stale  -> steady.cdn.test.  TTL 2; the last test stops the upstream Unbound

The apex ALIAS is imported before `dnssec enable` (enabling a zone that holds an ALIAS),
the others are set with `alias set` in the signed zone; both must exit 0.

Specified, for DO=1 queries straight to apexd (dnspython checks every RRSIG against the
zone's DNSKEY):
- served addresses come with their RRSIG, Original TTL = the TTL served (the ALIAS TTL for
  fresh addresses below the target's TTL, the stale TTL for stale and fallback ones); DO=0
  gets the same addresses and no RRSIG;
- a family the target lacks is NOERROR/NODATA with the signed NSEC (NSEC3) matching the
  owner, whose bitmap lists exactly the families served; no ALIAS type (65401, private use)
  anywhere: answers, bitmaps, AXFR;
- a family that cannot be served (failed without fallback, pending) is SERVFAIL for DO=1
  and DO=0, never an unsigned address; an owner left with no data at all is out of the
  signed data (no NSEC/NSEC3, not in the AXFR), so a validator may also prove it absent;
- a change of the target's addresses reaches the signed answer within seconds and moves
  the zone's SOA serial; stale addresses are served signed;
- the AXFR passes ldns-verify-zone, dnssec-verify and kzonecheck, with the flattened
  addresses and their RRSIGs in it;
- Unbound, with the DS of `apexctl dnssec ds` as trust anchor and a stub zone pointing at
  apexd, finds all of it secure (AD) with the right rcode, and bogus (SERVFAIL) with a
  wrong DS; delv (trust anchor file, +root) reports the apex A and the AAAA NODATA
  "fully validated", and a broken trust chain with the wrong DS.

The tests of one denial share one stack (module fixture) and run in file order: the target
change and the stale test change the upstream, so they come last.
Run from the repository root:
  APEX_BUILD_DIR=$PWD/build /usr/bin/python3 -m pytest tests/system/test_dnssec_alias.py -q
"""

from __future__ import annotations

import json
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import dns.dnssec
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import pytest

import alias_stack as A
import dnsharness as h
from test_transfer import soa_serial, xfr
from validator import resolve, start_unbound, tool, verify_signed_zone

pytestmark = pytest.mark.alias

ZONE = "signed.test."
ORIGIN = dns.name.from_text(ZONE)
ALIAS_TTL = 60
STALE_TTL = A.FAST_FLATTEN["stale_ttl_s"]
ALIAS_TYPE = 65401  # private use (RFC 6895 §3.1); apexdns's ALIAS never leaves the server
SETTLE = 8.0  # a new alias resolved, or a target change refreshed, and published within this
NOERROR, NXDOMAIN, SERVFAIL = dns.rcode.NOERROR, dns.rcode.NXDOMAIN, dns.rcode.SERVFAIL
A_, AAAA, RRSIG, NSEC, NSEC3 = (dns.rdatatype.A, dns.rdatatype.AAAA, dns.rdatatype.RRSIG,
                                dns.rdatatype.NSEC, dns.rdatatype.NSEC3)

DUAL = {"A": {"192.0.2.10", "192.0.2.11"}, "AAAA": {"2001:db8::10"}}
V4ONLY = {"A": {"192.0.2.30"}, "AAAA": set()}
FALLBACK = {"A": {"192.0.2.99"}, "AAAA": set()}
MOVE_BEFORE = {"A": {"192.0.2.20"}, "AAAA": {"2001:db8::20"}}
MOVE_AFTER = {"A": {"192.0.2.21"}, "AAAA": {"2001:db8::21"}}
STEADY = {"A": {"192.0.2.60"}, "AAAA": {"2001:db8::60"}}

# (owner label, target, fallback addresses), set with `alias set` once the zone is signed.
ALIASES = [("v4", "v4only.cdn.test.", ()), ("fb", "loop1.cdn.test.", ("192.0.2.99",)),
           ("fail", "loop1.cdn.test.", ()), ("move", "short.cdn.test.", ()),
           ("stale", "steady.cdn.test.", ())]


def name_of(label: str) -> str:
    return f"{label}.{ZONE}" if label else ZONE


# --- the stack ------------------------------------------------------------------------------

@dataclass
class Stack:
    denial: str
    workdir: Path
    upstream: A.Upstream
    apex: A.Apex
    ds: str                         # "signed.test. 3600 IN DS ..." as `dnssec ds` prints it
    dnskey: dns.rrset.RRset         # the DNSKEY RRset apexd serves
    validator: h.Server | None = None


def ctl_ok(apex: A.Apex, *args: str) -> subprocess.CompletedProcess:
    """apexctl (with apexd's configuration) that must exit 0; says what came otherwise."""
    res = apex.ctl("--config", str(apex.config), *args, check=False)
    assert res.returncode == 0, (f"`apexctl {' '.join(args)}`: expected exit 0, got "
                                 f"{res.returncode}\nstdout: {res.stdout}\nstderr: {res.stderr}")
    return res


def family_states(apex: A.Apex, owner: str) -> dict:
    entries = json.loads(ctl_ok(apex, "alias", "status", owner, "--json").stdout)
    assert len(entries) == 1, entries
    return entries[0]


def wait_status(apex: A.Apex, owner: str, predicate, what: str, timeout: float = SETTLE):
    deadline = time.monotonic() + timeout
    while True:
        entry = family_states(apex, owner)
        if predicate(entry):
            return entry
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s; `alias status`: "
                                 f"{json.dumps(entry)}\n{apex.server.log()[-1500:]}")
        time.sleep(0.1)


@pytest.fixture(scope="module", params=["nsec", "nsec3"])
def stack(tmp_path_factory, request):
    workdir = tmp_path_factory.mktemp(f"dnssec_alias_{request.param}")
    upstream = A.Upstream(workdir)
    apex = s = None
    try:
        apex = A.Apex(workdir, [upstream.unbound.endpoint], max_stale_s=30)
        # The serial follows changed flattened addresses after at most a second (damped to
        # one bump per zone per interval; the answers themselves follow at once).
        with apex.config.open("a") as config:
            config.write("[notify]\nalias_serial_interval_s = 1\n")
        apex.start()
        # AXFR is allowed to configured secondaries only; nothing listens there.
        apex.ctl("secondary", "add", f"{h.LOOPBACK}:{h.free_port()}")
        apex.import_zone(A.alias_zone_text(ZONE, [("@", ALIAS_TTL, "lb.cdn.test.")]))
        # Unsigned baseline: the Upstream resolves and apexd flattens before any signing.
        apex.wait_for(ZONE, "A", lambda r: r.rcode == NOERROR and r.rdatas == DUAL["A"],
                      SETTLE, "the unsigned apex flattened")
        ctl_ok(apex, "dnssec", "enable", ZONE, *(["--nsec3"] if request.param == "nsec3" else []))
        for label, target, fallback in ALIASES:
            args = ["alias", "set", name_of(label), target, "--ttl", str(ALIAS_TTL)]
            ctl_ok(apex, *args, *(["--fallback", ",".join(fallback)] if fallback else []))
        ds = ctl_ok(apex, "dnssec", "ds", ZONE).stdout.splitlines()[0]
        for label, _, _ in ALIASES:
            wait_status(apex, name_of(label), lambda e: e["state"] != "pending",
                        f"{name_of(label)} resolved")
        s = Stack(request.param, workdir, upstream, apex, ds, zone_key(apex))
        s.validator = start_unbound(workdir, apex.server.port, ZONE, ds)
        yield s
    finally:
        if s is not None and s.validator is not None:
            s.validator.stop()
        code = apex.stop() if apex is not None else None
        upstream.stop()
    assert code in (None, 0), f"apexd exited with {code}:\n{apex.server.log()}"


# --- asking apexd and reading its answers ----------------------------------------------------

def ask(apex: A.Apex, qname: str, qtype: str | int, do: bool = True) -> dns.message.Message:
    """One UDP query with EDNS (and DO), TCP when truncated."""
    query = h.make_query(qname, qtype, edns=True, dnssec_ok=do)
    with h.Client(apex.addr) as client:
        wire = client.ask(query, "udp")
        assert wire is not None, f"apexd did not answer {qname}/{qtype}"
        reply = dns.message.from_wire(wire)
        if reply.flags & dns.flags.TC:
            wire = client.ask(query, "tcp")
            assert wire is not None, f"apexd did not answer {qname}/{qtype} over TCP"
            reply = dns.message.from_wire(wire)
    return reply


def zone_key(apex: A.Apex) -> dns.rrset.RRset:
    """The DNSKEY RRset apexd serves at the apex."""
    reply = ask(apex, ZONE, "DNSKEY")
    try:
        return reply.find_rrset(reply.answer, ORIGIN, dns.rdataclass.IN, dns.rdatatype.DNSKEY)
    except KeyError:
        raise AssertionError(f"no DNSKEY served at {ZONE}:\n{reply}") from None


def bitmap_types(rdata) -> set[int]:
    """The types of an NSEC or NSEC3 type bitmap (RFC 4034 §4.1.2)."""
    types = set()
    for window, bitmap in rdata.windows:
        for i, octet in enumerate(bitmap):
            types |= {window * 256 + i * 8 + bit for bit in range(8) if octet & (0x80 >> bit)}
    return types


def type_names(types) -> list[str]:
    return sorted(dns.rdatatype.to_text(t) for t in types)


def validate(rrset: dns.rrset.RRset, reply: dns.message.Message, section, s: Stack) -> None:
    """rrset's RRSIG in the same section verifies with the zone's DNSKEY, now."""
    sigs = reply.find_rrset(section, rrset.name, dns.rdataclass.IN, RRSIG, rrset.rdtype)
    try:
        dns.dnssec.validate(rrset, sigs, {ORIGIN: s.dnskey})
    except dns.dnssec.ValidationFailure as e:
        raise AssertionError(f"RRSIG over {rrset.name}/{dns.rdatatype.to_text(rrset.rdtype)} "
                             f"does not verify ({e}):\n{reply}") from e


def no_alias_type(reply: dns.message.Message) -> None:
    for rrset in reply.answer + reply.authority + reply.additional:
        assert rrset.rdtype != ALIAS_TYPE and getattr(rrset, "covers", 0) != ALIAS_TYPE, \
            f"the private ALIAS type left the server:\n{reply}"
        if rrset.rdtype in (NSEC, NSEC3):
            assert ALIAS_TYPE not in bitmap_types(rrset[0]), \
                f"the private ALIAS type is in a bitmap:\n{reply}"


def served_addresses(reply: dns.message.Message, qname: str, qtype: str) -> set[str]:
    rdtype = dns.rdatatype.from_text(qtype)
    return {rd.to_text() for r in reply.answer if r.rdtype == rdtype
            and r.name == dns.name.from_text(qname) for rd in r}


def served_ttls(reply: dns.message.Message, qtype: str) -> set[int]:
    return {r.ttl for r in reply.answer if r.rdtype == dns.rdatatype.from_text(qtype)}


def wait_answer(s: Stack, qname: str, qtype: str, want: set[str], ttl: int | None = None,
                timeout: float = SETTLE) -> dns.message.Message:
    """Polls (DO=1) until the reply is NOERROR with exactly the addresses want (empty:
    NODATA), served with TTL ttl unless None; fails saying what came last."""
    deadline = time.monotonic() + timeout
    while True:
        reply = ask(s.apex, qname, qtype)
        if reply.rcode() == NOERROR and served_addresses(reply, qname, qtype) == want and \
                (ttl is None or served_ttls(reply, qtype) == {ttl}):
            return reply
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{qname}/{qtype}: expected NOERROR {sorted(want) or 'NODATA'}"
                f"{f' TTL {ttl}' if ttl is not None else ''} within "
                f"{timeout} s, got {dns.rcode.to_text(reply.rcode())}:\n{reply}\n"
                f"`alias status`: {s.apex.status(qname)}\n{s.apex.server.log()[-1500:]}")
        time.sleep(0.05)


def check_signed_addresses(s: Stack, qname: str, qtype: str, want: set[str],
                           ttl: int | None) -> dns.message.Message:
    """DO=1: exactly want, signed by the zone's key with Original TTL = TTL served (= ttl
    unless None); DO=0: the same addresses, no RRSIG."""
    reply = wait_answer(s, qname, qtype, want, ttl)
    rdtype = dns.rdatatype.from_text(qtype)
    context = f"{qname}/{qtype} DO=1:\n{reply}"
    assert reply.flags & dns.flags.AA, context
    assert {(r.name, r.rdtype) for r in reply.answer} == \
        {(dns.name.from_text(qname), rdtype), (dns.name.from_text(qname), RRSIG)}, context
    rrset = reply.find_rrset(reply.answer, dns.name.from_text(qname), dns.rdataclass.IN, rdtype)
    sigs = reply.find_rrset(reply.answer, rrset.name, dns.rdataclass.IN, RRSIG, rdtype)
    assert len(sigs) == 1, context
    sig = sigs[0]
    assert sig.original_ttl == rrset.ttl, \
        f"{qname}/{qtype}: Original TTL {sig.original_ttl}, TTL served {rrset.ttl}\n{context}"
    if ttl is not None:
        assert rrset.ttl == ttl, f"{qname}/{qtype}: TTL {rrset.ttl}, expected {ttl}\n{context}"
    assert sig.signer == ORIGIN and sig.key_tag == dns.dnssec.key_id(s.dnskey[0]), context
    validate(rrset, reply, reply.answer, s)
    no_alias_type(reply)

    plain = ask(s.apex, qname, qtype, do=False)
    assert plain.rcode() == NOERROR and served_addresses(plain, qname, qtype) == want, \
        f"{qname}/{qtype} DO=0: expected {sorted(want)}, got:\n{plain}"
    assert not any(r.rdtype == RRSIG for r in plain.answer + plain.authority), plain
    return reply


def denial_at(reply: dns.message.Message, qname: str) -> dns.rrset.RRset:
    """The NSEC or NSEC3 of the authority section that matches qname (RFC 4035 §3.1.3.1,
    RFC 5155 §7.2.3)."""
    owner = dns.name.from_text(qname)
    for rrset in reply.authority:
        if rrset.rdtype == NSEC and rrset.name == owner:
            return rrset
        if rrset.rdtype == NSEC3:
            rd = rrset[0]
            hashed = dns.dnssec.nsec3_hash(owner, rd.salt, rd.iterations, rd.algorithm)
            if rrset.name.labels[0].decode().upper() == hashed.upper():
                return rrset
    raise AssertionError(f"no NSEC/NSEC3 matching {qname} in the authority section:\n{reply}")


def check_signed_nodata(s: Stack, qname: str, qtype: str | int,
                        families: set[str]) -> set[int]:
    """DO=1: NOERROR, empty answer, the SOA and the NSEC(3) matching qname, all signed; the
    bitmap has exactly the address families in families. Returns the bitmap."""
    qtext = qtype if isinstance(qtype, str) else dns.rdatatype.to_text(qtype)
    reply = wait_answer(s, qname, qtext, set()) if isinstance(qtype, str) \
        else ask(s.apex, qname, qtype)
    context = f"{qname}/{qtext} DO=1, expected NODATA with a proof:\n{reply}"
    assert reply.rcode() == NOERROR and not reply.answer, context
    assert reply.flags & dns.flags.AA, context
    soa = reply.find_rrset(reply.authority, ORIGIN, dns.rdataclass.IN, dns.rdatatype.SOA)
    validate(soa, reply, reply.authority, s)
    proof = denial_at(reply, qname)
    validate(proof, reply, reply.authority, s)
    types = bitmap_types(proof[0])
    served = {t for t in (A_, AAAA) if t in types}
    assert served == {dns.rdatatype.from_text(f) for f in families}, \
        (f"{qname}: the bitmap has {type_names(types)}, its address families should be "
         f"{sorted(families) or 'none'}\n{context}")
    assert dns.rdatatype.from_text(qtext) not in types, context
    no_alias_type(reply)
    return types


def check_servfail(s: Stack, qname: str, qtype: str) -> None:
    for do in (True, False):
        reply = ask(s.apex, qname, qtype, do=do)
        assert reply.rcode() == SERVFAIL and not reply.answer, \
            f"{qname}/{qtype} DO={int(do)}: expected SERVFAIL and no answer, got:\n{reply}"


# --- validators --------------------------------------------------------------------------

def check_secure(unbound: h.Server, qname: str, qtype: str, rcode: int,
                 want: set[str] | None = None, timeout: float = 3.0) -> None:
    """Unbound finds qname/qtype secure (AD) with rcode (and the addresses want); polled
    up to timeout (Unbound keeps answers for its cache-max-ttl of 1 s)."""
    deadline = time.monotonic() + timeout
    while True:
        reply = resolve(unbound, qname, qtype)
        ok = reply.rcode() == rcode and bool(reply.flags & dns.flags.AD)
        if want is not None:
            ok = ok and served_addresses(reply, qname, qtype) == want
        if ok:
            return
        if time.monotonic() > deadline:
            raise AssertionError(
                f"Unbound {qname}/{qtype}: expected {dns.rcode.to_text(rcode)} AD "
                f"{sorted(want) if want is not None else ''}, got "
                f"{dns.rcode.to_text(reply.rcode())} AD={bool(reply.flags & dns.flags.AD)}:\n"
                f"{reply}\nUnbound log:\n{unbound.log()[-2500:]}")
        time.sleep(0.2)


def wrong_ds(ds: str) -> str:
    fields = ds.split()
    fields[-1] = ("0" if fields[-1][0] != "0" else "1") + fields[-1][1:]
    return " ".join(fields)


def delv(s: Stack, ds: str, qname: str, qtype: str) -> str:
    """delv straight at apexd, trusting ds ("OWNER TTL IN DS TAG ALG DIGEST-TYPE DIGEST")
    as a static anchor (BIND 9.18 trust-anchors syntax) and the zone as its root."""
    binary = tool("delv")
    owner, _, _, _, tag, alg, digest_type, digest = ds.split(maxsplit=7)
    anchors = s.workdir / f"anchors-{abs(hash(ds)) % 10000}.conf"
    anchors.write_text(f'trust-anchors {{\n  "{owner}" static-ds {tag} {alg} {digest_type} '
                       f'"{digest.replace(" ", "")}";\n}};\n')
    res = subprocess.run([binary, f"@{h.LOOPBACK}", "-p", str(s.apex.server.port), "-a",
                          str(anchors), f"+root={ZONE}", qname, qtype],
                         capture_output=True, text=True, timeout=20)
    return res.stdout + res.stderr


# --- the tests -----------------------------------------------------------------------------

def test_flattened_addresses_are_signed_zone_data(stack):
    s = stack
    check_signed_addresses(s, ZONE, "A", DUAL["A"], ALIAS_TTL)
    check_signed_addresses(s, ZONE, "AAAA", DUAL["AAAA"], ALIAS_TTL)
    check_signed_addresses(s, name_of("v4"), "A", V4ONLY["A"], ALIAS_TTL)
    # Fallback addresses are served, like stale ones, with the stale TTL (README, "Outages").
    check_signed_addresses(s, name_of("fb"), "A", FALLBACK["A"], STALE_TTL)

    # The NSEC(3) at each owner lists exactly the families served, so the missing family is
    # a NODATA a validator can prove, and an aggressive-NSEC resolver (RFC 8198) never
    # denies a family that is served.
    extra = {NSEC} if s.denial == "nsec" else set()
    for label, families in (("v4", {"A"}), ("fb", {"A"})):
        types = check_signed_nodata(s, name_of(label), "AAAA", families)
        assert types == {A_, RRSIG} | extra, \
            f"{name_of(label)}: bitmap {type_names(types)}, expected A RRSIG{' NSEC' * bool(extra)}"
    apex_types = check_signed_nodata(s, ZONE, ALIAS_TYPE, {"A", "AAAA"})
    for t in (dns.rdatatype.SOA, dns.rdatatype.NS, dns.rdatatype.DNSKEY, RRSIG):
        assert t in apex_types, f"apex bitmap {type_names(apex_types)} lacks {t!r}"
    check_signed_nodata(s, name_of("v4"), ALIAS_TYPE, {"A"})

    # Nothing to serve (a failing target, no stale, no fallback): SERVFAIL, never unsigned.
    for family in ("A", "AAAA"):
        check_servfail(s, name_of("fail"), family)


def test_signed_axfr_verifies_with_the_flattened_addresses(stack):
    s = stack
    for label, family, want, ttl in (("", "A", DUAL["A"], ALIAS_TTL),
                                     ("v4", "A", V4ONLY["A"], ALIAS_TTL),
                                     ("fb", "A", FALLBACK["A"], STALE_TTL),
                                     ("move", "A", MOVE_BEFORE["A"], None),
                                     ("stale", "A", STEADY["A"], None)):
        wait_answer(s, name_of(label), family, want, ttl)  # published, so in the AXFR
    rcode, records, _ = xfr(s.apex.addr, ZONE)
    assert rcode == NOERROR, f"AXFR of {ZONE}: {dns.rcode.to_text(rcode)}"
    records = records[:-1]  # the closing SOA repeats the first
    text = "".join(r.to_text() + "\n" for r in records)

    def at(label: str, rdtype, covers=None) -> set[str]:
        return {rd.to_text() for r in records for rd in r
                if r.name == dns.name.from_text(name_of(label)) and r.rdtype == rdtype
                and (covers is None or rd.type_covered == covers)}

    for label, family, want in (("", "A", DUAL["A"]), ("", "AAAA", DUAL["AAAA"]),
                                ("v4", "A", V4ONLY["A"]), ("v4", "AAAA", set()),
                                ("fb", "A", FALLBACK["A"]), ("fb", "AAAA", set()),
                                ("fail", "A", set()), ("fail", "AAAA", set())):
        rdtype = dns.rdatatype.from_text(family)
        where = f"AXFR {name_of(label)}/{family}"
        assert at(label, rdtype) == want, \
            f"{where}: {sorted(at(label, rdtype))}, expected {sorted(want)}\n{text}"
        assert bool(at(label, RRSIG, rdtype)) == bool(want), \
            f"{where}: RRSIG {'missing' if want else 'without data'}\n{text}"
    for r in records:
        assert r.rdtype != ALIAS_TYPE and ALIAS_TYPE not in \
            {getattr(rd, "type_covered", 0) for rd in r}, f"ALIAS type in the AXFR:\n{text}"
        if r.rdtype in (NSEC, NSEC3):
            assert ALIAS_TYPE not in bitmap_types(r[0]), f"ALIAS type in a bitmap:\n{text}"
    # Every ALIAS owner with data has its place in the chain, its bitmap listing exactly the
    # families in the zone; the failing one has no data in this publication, so no place.
    assert chain_record(records, name_of("fail"), s.denial) is None, \
        f"AXFR: a {s.denial.upper()} for {name_of('fail')}, which holds no data\n{text}"
    for label, families in (("", {A_, AAAA}), ("v4", {A_}), ("fb", {A_}),
                            ("move", {A_, AAAA}), ("stale", {A_, AAAA})):
        proof = chain_record(records, name_of(label), s.denial)
        assert proof is not None, f"AXFR: no {s.denial.upper()} for {name_of(label)}\n{text}"
        types = bitmap_types(proof[0])
        assert {A_, AAAA} & types == families, \
            (f"AXFR: the {s.denial.upper()} of {name_of(label)} lists {type_names(types)}, "
             f"address families expected: {type_names(families) or 'none'}\n{text}")

    zone_file = s.workdir / f"axfr-{s.denial}.zone"
    zone_file.write_text(text)
    verify_signed_zone(zone_file, ZONE)


def chain_record(records, owner: str, denial: str) -> dns.rrset.RRset | None:
    """The NSEC at owner, or the NSEC3 whose hashed owner name is owner's."""
    name = dns.name.from_text(owner)
    for r in records:
        if denial == "nsec" and r.rdtype == NSEC and r.name == name:
            return r
        if denial == "nsec3" and r.rdtype == NSEC3:
            hashed = dns.dnssec.nsec3_hash(name, r[0].salt, r[0].iterations, r[0].algorithm)
            if r.name.labels[0].decode().upper() == hashed.upper():
                return r
    return None


def test_validators_find_the_flattened_apex_secure(stack):
    s = stack
    wait_answer(s, ZONE, "A", DUAL["A"])
    for qname, qtype, rcode, want in (
            (ZONE, "A", NOERROR, DUAL["A"]), (ZONE, "AAAA", NOERROR, DUAL["AAAA"]),
            (name_of("v4"), "A", NOERROR, V4ONLY["A"]),
            (name_of("v4"), "AAAA", NOERROR, set()),          # NODATA, proven
            (name_of("fb"), "A", NOERROR, FALLBACK["A"]),
            (name_of("fb"), "AAAA", NOERROR, set()),
            (ZONE, "TYPE65401", NOERROR, set()),              # the private type: NODATA
            (name_of("nothere"), "A", NXDOMAIN, set())):
        check_secure(s.validator, qname, qtype, rcode, want)
    for qname, qtype, verdict in ((ZONE, "A", "; fully validated"),
                                  (name_of("v4"), "AAAA", "; negative response, fully validated")):
        out = delv(s, s.ds, qname, qtype)
        assert verdict in out, f"delv {qname}/{qtype}: expected {verdict!r}, got:\n{out}"
    out = delv(s, wrong_ds(s.ds), ZONE, "A")
    assert "fully validated" not in out and "resolution failed" in out, \
        f"delv with a wrong DS: expected a failed resolution, got:\n{out}"

    bogus = start_unbound(s.workdir, s.apex.server.port, ZONE, wrong_ds(s.ds))
    try:
        for qname, qtype in ((ZONE, "A"), (ZONE, "AAAA"), (name_of("v4"), "AAAA")):
            reply = resolve(bogus, qname, qtype)
            assert reply.rcode() == SERVFAIL, \
                f"Unbound with a wrong DS, {qname}/{qtype}: expected SERVFAIL, got:\n{reply}"
    finally:
        bogus.stop()
    # The failing alias: apexd says SERVFAIL; a validator using the chain aggressively
    # (RFC 8198) may instead already hold the proof that the name has no data now (secure
    # NXDOMAIN). Never an address.
    reply = resolve(s.validator, name_of("fail"), "A")
    secure_nxdomain = reply.rcode() == NXDOMAIN and reply.flags & dns.flags.AD
    assert reply.rcode() == SERVFAIL or secure_nxdomain, \
        f"Unbound {name_of('fail')}/A: expected SERVFAIL (or a secure NXDOMAIN), got:\n{reply}"


def test_a_target_change_reaches_the_signed_answer(stack):
    s = stack
    owner = name_of("move")
    # short.cdn.test. has TTL 2: served TTLs vary with what is left at Unbound.
    for family in ("A", "AAAA"):
        check_signed_addresses(s, owner, family, MOVE_BEFORE[family], None)
    serial = soa_serial(s.apex.addr, ZONE)
    s.upstream.nsd.set_records("cdn.test.", "short", ["short 2 IN A 192.0.2.21",
                                                      "short 2 IN AAAA 2001:db8::21"])
    for family in ("A", "AAAA"):  # refreshed after the 2 s TTL, within SETTLE
        check_signed_addresses(s, owner, family, MOVE_AFTER[family], None)
    deadline = time.monotonic() + SETTLE
    while (now := soa_serial(s.apex.addr, ZONE)) <= serial and time.monotonic() < deadline:
        time.sleep(0.1)
    assert now > serial, f"the serial should have moved past {serial} (RFC 1996 §4.7): {now}"
    for family in ("A", "AAAA"):
        check_secure(s.validator, owner, family, NOERROR, MOVE_AFTER[family])


def test_stale_addresses_are_served_signed(stack):
    """Last for its stack: the upstream Unbound is stopped."""
    s = stack
    owner = name_of("stale")
    for family in ("A", "AAAA"):
        check_signed_addresses(s, owner, family, STEADY[family], None)
    s.upstream.unbound.stop()
    # steady.cdn.test. has TTL 2: its refresh fails soon, and last-known-good is served
    # with the stale TTL for max-stale (30 s here).
    wait_status(s.apex, owner, lambda e: all(e[f]["state"] == "stale" for f in ("a", "aaaa")),
                f"{owner} stale")
    for family in ("A", "AAAA"):
        check_signed_addresses(s, owner, family, STEADY[family], STALE_TTL)
        check_secure(s.validator, owner, family, NOERROR, STEADY[family])


def test_pending_alias_in_a_signed_zone_is_servfail(tmp_path):
    """A target whose only resolver never answers: the alias stays pending, and a signed
    zone answers SERVFAIL for its addresses (DO=1 and DO=0), never an unsigned A."""
    silent = A.SilentResolver()
    apex = A.Apex(tmp_path, [silent.endpoint], try_timeout_ms=20000)
    try:
        apex.start()
        apex.import_zone(A.alias_zone_text(ZONE, [], ["www 300 IN A 192.0.2.80"]))
        ctl_ok(apex, "dnssec", "enable", ZONE)
        ctl_ok(apex, "alias", "set", ZONE, "lb.cdn.test.", "--ttl", str(ALIAS_TTL))
        started = time.monotonic()
        # The zone is signed and served (its static data secure) while the alias is pending.
        apex.wait_for(ZONE, "DNSKEY", lambda r: r.rcode == NOERROR and r.answer, SETTLE,
                      "the zone served signed")
        s = Stack("nsec", tmp_path, None, apex, "", zone_key(apex))
        check_signed_addresses(s, f"www.{ZONE}", "A", {"192.0.2.80"}, 300)
        assert family_states(apex, ZONE)["state"] == "pending", apex.status(ZONE)
        for family in ("A", "AAAA"):
            check_servfail(s, ZONE, family)
        assert time.monotonic() - started < 15, "checked while still pending"
    finally:
        code = apex.stop()
        silent.close()
    assert code in (None, 0), f"apexd exited with {code}:\n{apex.server.log()}"


def test_a_zone_signed_before_start_gets_its_addresses(tmp_path):
    """Signed with its ALIAS before apexd starts, with no flattener results saved: apexd
    signs the zone before the target resolves, and serves the addresses signed once it
    has (the comparison is with what the signed zone holds, so the first publication is
    never taken for the state the zone already serves)."""
    upstream = A.Upstream(tmp_path)
    apex = A.Apex(tmp_path, [upstream.unbound.endpoint])
    try:
        apex.import_zone(A.alias_zone_text(ZONE, [("@", ALIAS_TTL, "lb.cdn.test.")]))
        ctl_ok(apex, "dnssec", "enable", ZONE)
        apex.start()
        apex.wait_for(ZONE, "DNSKEY", lambda r: r.rcode == NOERROR, SETTLE, "the zone served")
        s = Stack("nsec", tmp_path, upstream, apex, "", zone_key(apex))
        for family in ("A", "AAAA"):
            check_signed_addresses(s, ZONE, family, DUAL[family], None)
    finally:
        code = apex.stop()
        upstream.stop()
    assert code in (None, 0), f"apexd exited with {code}:\n{apex.server.log()}"


def test_a_restart_answers_the_saved_addresses_signed_at_once(tmp_path):
    """apexd restarted with its upstream gone: its very first answer is the addresses it
    saved, signed (the zone was loaded signed before the flattener's saved results were
    published, and is signed again with them before apexd answers). That is the content it
    served at that serial before the restart, so the next change is an IXFR step from it."""
    upstream = A.Upstream(tmp_path)
    apex = A.Apex(tmp_path, [upstream.unbound.endpoint])
    try:
        apex.import_zone(A.alias_zone_text(ZONE, [("@", ALIAS_TTL, "lb.cdn.test.")]))
        ctl_ok(apex, "dnssec", "enable", ZONE)
        # Transfers are allowed to configured secondaries only; nothing listens there.
        apex.ctl("secondary", "add", f"{h.LOOPBACK}:{h.free_port()}")
        apex.start()
        apex.wait_for(ZONE, "DNSKEY", lambda r: r.rcode == NOERROR, SETTLE, "the zone served")
        s = Stack("nsec", tmp_path, upstream, apex, "", zone_key(apex))
        check_signed_addresses(s, ZONE, "A", DUAL["A"], None)
        before = soa_serial(apex.addr, ZONE)
        assert apex.stop() in (None, 0), apex.server.log()
        upstream.stop()
        apex.start()  # returns once apexd answers
        first = ask(apex, ZONE, "A")
        context = f"first answer after the restart:\n{first}\n{apex.server.log()[-2000:]}"
        assert first.rcode() == NOERROR, context
        addresses = first.find_rrset(first.answer, ORIGIN, dns.rdataclass.IN, dns.rdatatype.A)
        assert {r.to_text() for r in addresses} == DUAL["A"], context
        first.find_rrset(first.answer, ORIGIN, dns.rdataclass.IN, RRSIG, dns.rdatatype.A)
        assert soa_serial(apex.addr, ZONE) == before

        ctl_ok(apex, "record", "add", f"www.{ZONE}", "A", "192.0.2.90")
        apex.wait_for(f"www.{ZONE}", "A", lambda r: r.rcode == NOERROR, SETTLE, "www served")
        after = soa_serial(apex.addr, ZONE)
        rcode, records, _ = xfr(apex.addr, ZONE, "IXFR", serial=before)
        assert rcode == NOERROR, dns.rcode.to_text(rcode)
        # Incremental (RFC 1995 §4): the new SOA, then the old one opening the step.
        assert [r.rdtype for r in records[:2]] == [dns.rdatatype.SOA] * 2, records[:3]
        assert [r[0].serial for r in records[:2]] == [after, before], records[:3]
    finally:
        code = apex.stop()
        upstream.stop()
    assert code in (None, 0), f"apexd exited with {code}:\n{apex.server.log()}"
