"""Answers from a signed zone to DNSSEC-aware queries: apexd serves a pre-signed zone as
NSD does, and a validating resolver finds its answers secure.

tests/tools/dnssec_sign_sample signs a sample zone (ECDSA P-256; NSEC, NSEC3 and NSEC3 with
opt-out) holding every answer kind of RFC 4035 §3.1 and RFC 5155 §7.2: positive answers, a CNAME chain, a CNAME to a missing name,
NXDOMAIN, NODATA, an empty non-terminal, a wildcard and wildcard NODATA, a delegation with
DS and one without, DNSKEY at the apex. The signed file is imported into apexd's database
(`apexctl zone import`) and served by NSD on another loopback port.

Specified:
- with DO=1 and DO=0, over UDP and TCP, both servers give the same rcode, AA and TC and
  the same answer and authority sections as sets of RRs (RRSIGs and NSECs included, TTLs
  exact); apexd's additional section holds only what NSD's holds (additional data is
  optional, RFC 1034 §4.3.2 step 6); NSD's apex NS RRset in the authority section of
  positive answers is left out of the comparison (RFC 2181 §6.1 lets a server add it);
- DO is echoed and AD never set by the authoritative server; with a 512-octet payload,
  signed answers that don't fit are truncated (TC) as NSD truncates them;
- Unbound with the zone's DS as trust anchor and a stub zone pointing at apexd validates
  every answer kind as secure (AD) with the right rcode (under NSEC3 opt-out, proofs by a
  covering NSEC3 are insecure, as RFC 5155 §9.2 says), and with a wrong DS answers
  SERVFAIL (so this test can fail).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import pytest

import dnsharness as h
from validator import resolve, start_unbound

ZONE = "sample.test."

# (name below the apex, type): every answer kind of RFC 4035 §3.1.
CASES = [
    ("", "SOA"), ("", "NS"), ("", "MX"), ("", "DNSKEY"), ("", "TXT"),
    ("www", "A"), ("www", "AAAA"), ("WwW", "A"),   # positive, case kept in the question
    ("www", "TXT"), ("www", "NSEC"), ("www", "RRSIG"), ("", "NSEC"),  # NODATA, DNSSEC types
    ("nope", "A"), ("zzz", "TXT"), ("a", "A"),       # NXDOMAIN
    ("chain", "A"), ("alias", "AAAA"), ("alias", "CNAME"), ("dangling", "A"),  # CNAMEs
    ("ent", "A"), ("b.ent", "TXT"), ("a.b.ent", "TXT"),  # empty non-terminals
    ("x.wild", "A"), ("x.y.wild", "TXT"), ("x.wild", "MX"), ("wild", "A"),  # wildcards
    ("secure", "A"), ("www.secure", "A"), ("secure", "DS"),  # delegation with DS
    ("insecure", "A"), ("www.insecure", "TXT"), ("insecure", "DS"),  # and without
    ("mail", "A"), ("ns1", "A"),
]

# (transport, DO, EDNS payload): 512 octets leave some signed answers no room, which must
# set TC rather than drop RRSIGs or NSECs (RFC 4035 §3.1.1).
VARIANTS = [("udp", True, 1232), ("udp", False, 1232), ("tcp", True, 1232),
            ("tcp", False, 1232), ("udp", True, 512)]


def sign_sample(workdir: Path, denial: str) -> tuple[Path, str]:
    """The signed sample zone and its DS line; occluded data below the unsigned
    delegation is left out (apexdns refuses it as zone data, RFC 1034 §4.2.1)."""
    signer = h.require_binary(h.build_dir() / "tests" / "dnssec_sign_sample")
    raw, ds = workdir / "raw.zone", workdir / "ds"
    h.run_tool([signer, "ecdsap256sha256", denial, raw, ds], timeout=30)
    zone_file = workdir / "sample.test.zone"
    lines = [line for line in raw.read_text().splitlines()
             if not line.lower().startswith("deep.insecure.")]
    zone_file.write_text("$ORIGIN sample.test.\n" + "\n".join(lines) + "\n")
    return zone_file, ds.read_text().strip()


@pytest.fixture(scope="module", params=["nsec", "nsec3", "nsec3-optout"])
def servers(tmp_path_factory, request):
    workdir = tmp_path_factory.mktemp(f"dnssec_answers_{request.param}")
    zone_file, ds = sign_sample(workdir, request.param)
    db = h.build_apex_db(workdir, [zone_file])
    apexd = h.start_apexd(workdir, db, ZONE)
    nsd = h.start_nsd(workdir, [h.ZoneFile(ZONE, zone_file)], ZONE)
    yield apexd, nsd, ds, workdir, request.param
    apexd.stop()
    nsd.stop()


def rr_set(rrsets, skip=frozenset()) -> Counter:
    """A section as a multiset of RRs: owner (lower case), TTL, type, rdata text."""
    out = Counter()
    for rrset in rrsets:
        for rd in rrset:
            key = (rrset.name.to_text().lower(), rrset.ttl, dns.rdatatype.to_text(rrset.rdtype),
                   rd.to_text().lower())
            if key[0] in skip or (rrset.rdtype, getattr(rd, "type_covered", None)) in skip:
                continue
            out[key] += 1
    return out


def apex_ns(msg: dns.message.Message) -> set:
    """NSD's apex NS RRset and its RRSIG added to positive answers (RFC 2181 §6.1)."""
    if msg.rcode() != dns.rcode.NOERROR or not msg.answer:
        return set()
    return {(dns.rdatatype.NS, None), (dns.rdatatype.RRSIG, dns.rdatatype.NS)}


def ask(server: h.Server, qname: str, qtype: str, transport: str, do: bool, payload: int):
    query = h.make_query(qname, qtype, edns=True, payload=payload, dnssec_ok=do)
    with h.Client(server.addr) as client:
        wire = client.ask(query, transport)
    assert wire is not None, f"{server} did not answer {qname}/{qtype}"
    return h.parse(wire)


def differences(apex: dns.message.Message, ref: dns.message.Message) -> list[str]:
    problems = []
    if apex.rcode() != ref.rcode():
        problems.append(f"rcode {dns.rcode.to_text(apex.rcode())} vs "
                        f"{dns.rcode.to_text(ref.rcode())}")
    for flag in ("AA", "TC"):
        bit = dns.flags.from_text(flag)
        if (apex.flags & bit) != (ref.flags & bit):
            problems.append(f"{flag} differs")
    if apex.flags & dns.flags.AD:
        problems.append("AD set by an authoritative server")
    if (apex.ednsflags & dns.flags.DO) != (ref.ednsflags & dns.flags.DO):
        problems.append("DO not echoed as NSD does")
    if apex.flags & ref.flags & dns.flags.TC:
        return problems  # RFC 2181 §9: a truncated reply's content is discarded and retried
    if rr_set(apex.answer) != rr_set(ref.answer):
        problems.append(f"answer:\n  apexd {sorted(rr_set(apex.answer))}\n"
                        f"  nsd   {sorted(rr_set(ref.answer))}")
    skip = apex_ns(ref) if not any(r.rdtype == dns.rdatatype.NS for r in apex.authority) \
        else set()
    if rr_set(apex.authority) != rr_set(ref.authority, skip):
        problems.append(f"authority:\n  apexd {sorted(rr_set(apex.authority))}\n"
                        f"  nsd   {sorted(rr_set(ref.authority, skip))}")
    extra = rr_set(apex.additional) - rr_set(ref.additional)
    if extra:
        problems.append(f"additional beyond NSD's: {sorted(extra)}")
    return problems


def test_signed_zone_answers_match_nsd(servers):
    apexd, nsd, _, _, _ = servers
    problems = []
    truncated = 0
    for label, qtype in CASES:
        qname = f"{label}.{ZONE}" if label else ZONE
        for transport, do, payload in VARIANTS:
            apex = ask(apexd, qname, qtype, transport, do, payload)
            ref = ask(nsd, qname, qtype, transport, do, payload)
            truncated += bool(apex.flags & dns.flags.TC)
            if do and ref.rcode() == dns.rcode.NOERROR and (ref.answer or ref.authority):
                # The comparison must see DNSSEC records, or it proves nothing.
                assert any(r.rdtype in (dns.rdatatype.RRSIG, dns.rdatatype.NSEC,
                                        dns.rdatatype.NSEC3)
                           for r in ref.answer + ref.authority) or \
                    ref.authority[0].rdtype == dns.rdatatype.NS, (qname, qtype)
            if not do:
                assert not any(r.rdtype == dns.rdatatype.RRSIG and qtype != "RRSIG"
                               for r in apex.answer + apex.authority), (qname, qtype)
            for p in differences(apex, ref):
                problems.append(f"{qname} {qtype} {transport}/{payload} DO={int(do)}: {p}")
    assert not problems, "\n".join(problems)
    assert truncated > 0, "no case exercised truncation"


# --- validation by Unbound ---------------------------------------------------------------

# (name, type, rcode, by_cover): what a validating resolver concludes, securely, from apexd's
# answers; by_cover marks answers whose proof includes an NSEC3 covering a name, which under
# opt-out proves nothing about unsigned delegations: a validator then finds them insecure,
# never bogus (RFC 5155 §9.2, §7.2.4).
VALIDATED = [
    ("www", "A", "NOERROR", False), ("", "DNSKEY", "NOERROR", False),
    ("", "MX", "NOERROR", False), ("www", "TXT", "NOERROR", False),
    ("ent", "A", "NOERROR", False), ("chain", "A", "NOERROR", False),
    ("secure", "DS", "NOERROR", False),
    ("nope", "A", "NXDOMAIN", True), ("dangling", "A", "NXDOMAIN", True),
    ("x.wild", "A", "NOERROR", True), ("x.wild", "TXT", "NOERROR", True),
    ("x.y.wild", "MX", "NOERROR", True), ("insecure", "DS", "NOERROR", True),
]


def test_unbound_validates_every_answer_kind(servers):
    apexd, _, ds, workdir, denial = servers
    unbound = start_unbound(workdir, apexd.port, ZONE, ds)
    try:
        problems = []
        for label, qtype, rcode, by_cover in VALIDATED:
            qname = f"{label}.{ZONE}" if label else ZONE
            reply = resolve(unbound, qname, qtype)
            secure = not (by_cover and denial == "nsec3-optout")
            if dns.rcode.to_text(reply.rcode()) != rcode or \
                    bool(reply.flags & dns.flags.AD) != secure:
                problems.append(f"{qname} {qtype}: {dns.rcode.to_text(reply.rcode())} "
                                f"AD={bool(reply.flags & dns.flags.AD)}, want {rcode} "
                                f"AD={secure}")
        assert not problems, "\n".join(problems) + "\n" + unbound.log()[-3000:]
    finally:
        unbound.stop()


def test_wrong_trust_anchor_is_bogus(servers):
    apexd, _, ds, workdir, denial = servers
    fields = ds.split()
    digest = fields[-1]
    fields[-1] = ("0" if digest[0] != "0" else "1") + digest[1:]
    unbound = start_unbound(workdir, apexd.port, ZONE, " ".join(fields))
    try:
        for label, qtype, _, _ in VALIDATED[:4]:
            qname = f"{label}.{ZONE}" if label else ZONE
            reply = resolve(unbound, qname, qtype)
            assert reply.rcode() == dns.rcode.SERVFAIL, (qname, qtype, reply)
    finally:
        unbound.stop()
