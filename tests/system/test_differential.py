"""Same answers as a reference: apexd and NSD serve the same zone files (the test data
in data/ and the examples/ hosting set) and get the same few thousand queries (every
name × type of interest), each sent in every VARIANT: UDP without EDNS, with EDNS,
with a small payload + DO + RD + odd options, TCP with and without EDNS, QCLASS *.

Specified: for every query both servers give the same rcode, header flags (AA, TC,
RD, RA, AD, CD) and EDNS reply (version, DO, options), the question echoed byte for
byte (case preserved), an OPT record exactly when the query had one, a UDP reply
within the size limit, no compression where the rdata type forbids it, and the same
answer/authority/additional sections as multisets of RRs (owner names compared
case-insensitively, rdata canonically, TTLs exactly).

Where the RFCs allow both behaviours the comparison is normalised, each rule citing
the RFC that permits it (see `normalise_*` and `*_rule` below). Nothing expected is
hard-coded: the reference's answer, and the zone files themselves for the "may"
parts (additional data), are the only sources of truth.
"""

from __future__ import annotations

import os
import random
import struct
from collections import Counter
from dataclasses import dataclass, field

import dns.edns
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import dns.zone
import pytest

import dnsharness as h

SEED = int(os.environ.get("APEX_DIFF_SEED", "20240601"))
MAX_REPORTED = int(os.environ.get("APEX_DIFF_REPORT", "20"))

# Types asked for at every existing name and at every name derived from one.
FULL_TYPES = ["A", "AAAA", "NS", "SOA", "MX", "TXT", "CNAME", "SRV", "PTR", "CAA",
              "NAPTR", "DS", "SSHFP", "TLSA", "SVCB", "HTTPS", "HINFO", "DNSKEY",
              "TYPE65280", "ANY"]
# Types asked for at names that do not exist, and at case-mangled variants.
SHORT_TYPES = ["A", "AAAA", "MX", "TXT", "NS", "DS", "CNAME", "ANY"]
# Names outside every served zone: the answer is REFUSED (or whatever NSD says).
OUTSIDE = ["outside.invalid.", "test.", ".", "example.", "nothere.example.",
           "xdiff.test.", "hostco.example.com."]
ADDRESS_TYPES = (dns.rdatatype.A, dns.rdatatype.AAAA)
# Types whose rdata names may be compressed (RFC 1035 §3.3; RFC 3597 §4 forbids it for
# every other type, RFC 2782 for SRV in particular).
COMPRESSIBLE = {dns.rdatatype.from_text(t) for t in
                ("NS", "MD", "MF", "CNAME", "SOA", "MB", "MG", "MR", "PTR", "MINFO", "MX")}


@dataclass(frozen=True)
class Variant:
    """How a query is sent: transport, EDNS(0) (payload, DO bit, options) and RD."""
    name: str
    transport: str
    edns: bool
    payload: int = 1232
    dnssec_ok: bool = False
    rd: bool = False
    options: tuple = ()
    qclass: str = "IN"


# An unknown option (must be ignored, RFC 6891 §6.1.2) and a client cookie (RFC 7873).
ODD_OPTIONS = (dns.edns.GenericOption(65001, b"apexdns"),
               dns.edns.GenericOption(dns.edns.OptionType.COOKIE, bytes(range(1, 9))))
TCP_EDNS = Variant("tcp-edns", "tcp", edns=True)
VARIANTS = [
    Variant("udp-noedns", "udp", edns=False),
    Variant("udp-edns", "udp", edns=True),
    Variant("udp-edns512-do-rd-options", "udp", edns=True, payload=512, dnssec_ok=True,
            rd=True, options=ODD_OPTIONS),
    TCP_EDNS,
    Variant("tcp-noedns-rd", "tcp", edns=False, rd=True),
    # QCLASS * (RFC 1035 §3.2.5) matches data of class IN like IN itself.
    Variant("udp-edns-qclass-any", "udp", edns=True, qclass="ANY"),
]


# --- the zone files as ground truth -----------------------------------------------

@dataclass(frozen=True)
class RR:
    """One resource record, compared as a DNS server must: owner case-insensitive,
    rdata in canonical form (RFC 4034 §6.2 lower-cases embedded names), TTL exact."""
    owner: dns.name.Name
    rdtype: int
    rdclass: int
    ttl: int
    rdata: bytes
    text: str = field(compare=False, hash=False, default="")

    @staticmethod
    def of(owner: dns.name.Name, rdclass: int, ttl: int, rd) -> "RR":
        text = f"{owner} {ttl} {dns.rdataclass.to_text(rdclass)} " \
               f"{dns.rdatatype.to_text(rd.rdtype)} {rd.to_text()}"
        return RR(owner.canonicalize(), rd.rdtype, rdclass, ttl, rd.to_digestable(), text)

    def __str__(self) -> str:
        return self.text


class ZoneData:
    """Every record of the served zone files (glue included) and their apexes."""

    def __init__(self, zones: list[h.ZoneFile]):
        self.apexes: set[dns.name.Name] = set()
        self.nodes: dict[dns.name.Name, list[RR]] = {}
        self.zone_names: dict[dns.name.Name, list[dns.name.Name]] = {}
        for zf in zones:
            self._load(zf)

    def _load(self, zf: h.ZoneFile) -> None:
        zone = dns.zone.from_file(str(zf.path), origin=zf.name, relativize=False,
                                  check_origin=True)
        self.apexes.add(zone.origin)
        self.zone_names[zone.origin] = sorted(zone.nodes.keys())
        for name, node in zone.nodes.items():
            rrs = self.nodes.setdefault(name.canonicalize(), [])
            for rds in node.rdatasets:
                rrs.extend(RR.of(name, rds.rdclass, rds.ttl, rd) for rd in rds)

    def zone_of(self, name: dns.name.Name) -> dns.name.Name | None:
        """The closest enclosing served zone (its apex), or None."""
        while True:
            if name in self.apexes:
                return name
            if name == dns.name.root:
                return None
            name = name.parent()

    def addresses_at(self, name: dns.name.Name) -> set[RR]:
        return {rr for rr in self.nodes.get(name.canonicalize(), [])
                if rr.rdtype in ADDRESS_TYPES}

    def holds(self, rr: RR) -> bool:
        return rr in self.nodes.get(rr.owner, ())


# --- the queries ------------------------------------------------------------------

def mangle_case(name: dns.name.Name, rng: random.Random) -> dns.name.Name:
    """The same name with letters in random case (RFC 4343: still the same name)."""
    labels = [bytes(c ^ 0x20 if chr(c).isalpha() and rng.random() < 0.5 else c
                    for c in label) for label in name.labels]
    return dns.name.Name(labels)


def derived_names(data: ZoneData, apex: dns.name.Name) -> tuple[list, list]:
    """(names that exist or may be synthesised, names that should not exist) in a zone:
    owners, wildcard owners and names they match, empty non-terminals, and a
    non-existent child below every owner (NXDOMAIN, wildcard match or referral)."""
    existing, missing = [], []
    for owner in data.zone_names[apex]:
        existing.append(owner)
        if owner.labels[0] == b"*":
            parent = owner.parent()
            existing += [dns.name.from_text("synth", parent),
                         dns.name.from_text("a.b", parent)]
        name = owner.parent()
        while name != apex and name.is_subdomain(apex):  # empty non-terminals
            existing.append(name)
            name = name.parent()
        try:
            missing.append(dns.name.from_text("nx-child", owner))
        except dns.name.NameTooLong:
            pass
    missing.append(dns.name.from_text("zz-missing", apex))
    return existing, missing


def build_cases(data: ZoneData, rng: random.Random) -> list[tuple[dns.name.Name, str]]:
    """(qname, qtype) pairs: full type list at existing names, a short one at missing
    names, case-mangled variants (a quarter of all names) and names outside every zone."""
    full, short = [], []
    for apex in sorted(data.apexes):
        existing, missing = derived_names(data, apex)
        full += existing
        short += missing
    full = list(dict.fromkeys(full))
    short = list(dict.fromkeys(short))
    short += [mangle_case(n, rng) for n in full + short if rng.random() < 0.25]
    short += [dns.name.from_text(n) for n in OUTSIDE]
    return [(n, t) for n in full for t in FULL_TYPES] + \
           [(n, t) for n in short for t in SHORT_TYPES]


# --- normalised responses -----------------------------------------------------------

@dataclass
class Response:
    """A reply reduced to what the comparison looks at."""
    message: dns.message.Message
    wire: bytes
    rcode: int
    aa: bool
    tc: bool
    question: bytes
    has_opt: bool
    answer: Counter
    authority: Counter
    additional: Counter

    @property
    def flags_text(self) -> str:
        return dns.flags.to_text(self.message.flags) or "(none)"

    @property
    def opt_text(self) -> str:
        """EDNS as compared: version, DO bit, options (the payload size is the server's
        own choice, RFC 6891 §6.2.5)."""
        m = self.message
        if m.edns < 0:
            return "no OPT"
        do = "DO" if m.ednsflags & dns.flags.DO else "no DO"
        # Extended DNS Errors are optional and informational (RFC 8914 §3: "MAY"); NSD
        # adds EDE 20 to REFUSED, apexdns does not.
        options = sorted(o.to_text() for o in m.options if o.otype != dns.edns.OptionType.EDE)
        return f"EDNS{m.edns} {do} options={options}"


def section(rrsets) -> Counter:
    """A section as a multiset of RRs (duplicates stay visible)."""
    return Counter(RR.of(rrset.name, rrset.rdclass, rrset.ttl, rd)
                   for rrset in rrsets for rd in rrset)


def question_wire(msg: dns.message.Message) -> bytes:
    return b"".join(q.name.to_wire() + q.rdtype.to_bytes(2, "big") +
                    q.rdclass.to_bytes(2, "big") for q in msg.question)


def reduce(wire: bytes) -> Response:
    msg = h.parse(wire)
    return Response(msg, wire, msg.rcode(), bool(msg.flags & dns.flags.AA),
                    bool(msg.flags & dns.flags.TC), question_wire(msg), msg.edns >= 0,
                    section(msg.answer), section(msg.authority), section(msg.additional))


def normalise_positive_ns(resp: Response, data: ZoneData) -> None:
    """Drop the zone's own NS RRset from the authority section of positive answers.

    RFC 1034 §4.3.2 step 6 and RFC 2181 §6.1 let a server add it, and nothing
    requires it: NSD adds it, Knot and apexdns leave it out."""
    if resp.rcode != dns.rcode.NOERROR or not resp.answer:
        return
    for rr in list(resp.authority):
        if rr.rdtype == dns.rdatatype.NS and rr.owner in data.apexes:
            del resp.authority[rr]


def normalise_qclass_any_negative(resp: Response, case: "Case") -> None:
    """Drop the SOA from the authority section of replies to QCLASS=* queries (negative
    answers, also after a CNAME chain): such replies are never authoritative (RFC 1034
    §3.7.1, RFC 1035 §6.2) and RFC 2308 §3 requires the SOA only in authoritative ones
    (NSD leaves it out, apexdns puts it in)."""
    if case.variant.qclass != "ANY":
        return
    for rr in list(resp.authority):
        if rr.rdtype == dns.rdatatype.SOA:
            del resp.authority[rr]


def qclass_any_aa_rule(apex: Response, ref: Response, case: "Case") -> list[str]:
    """Replies to QCLASS=* are never authoritative (RFC 1034 §3.7.1, RFC 6895 §3.2):
    apexd must not set AA. NSD clears it too, except when a CNAME leads into a
    referral, so AA is not compared with NSD's for these queries."""
    if case.variant.qclass != "ANY":
        return []
    problems = ["flags: apexd sets AA on a QCLASS=ANY reply"] \
        if apex.message.flags & dns.flags.AA else []
    for resp in (apex, ref):
        resp.message.flags &= ~dns.flags.AA
        resp.aa = False
    return problems


# --- comparison rules ---------------------------------------------------------------

@dataclass
class Case:
    qname: dns.name.Name
    qtype: str
    variant: Variant

    @property
    def edns(self) -> bool:
        return self.variant.edns

    @property
    def transport(self) -> str:
        return self.variant.transport

    def query(self) -> dns.message.Message:
        v = self.variant
        q = h.make_query(self.qname, self.qtype, v.edns, v.payload, v.dnssec_ok, v.qclass)
        if v.edns and v.options:
            q.use_edns(0, q.ednsflags, v.payload, options=list(v.options))
        if v.rd:
            q.flags |= dns.flags.RD
        return q

    def __str__(self) -> str:
        return f"{self.qname} {self.qtype} ({self.variant.name})"


def diff_counter(what: str, got: Counter, want: Counter) -> list[str]:
    extra = sorted(map(str, (got - want).elements()))
    missing = sorted(map(str, (want - got).elements()))
    out = [f"{what}: apexd has extra {r}" for r in extra]
    return out + [f"{what}: apexd lacks {r}" for r in missing]


def header_problems(case: Case, query: dns.message.Message, resp: Response,
                    who: str) -> list[str]:
    """Things every reply must get right whatever the reference says."""
    problems = []
    if resp.message.id != query.id or not resp.message.flags & dns.flags.QR:
        problems.append(f"{who}: wrong ID or QR clear")
    if resp.question != question_wire(query):
        problems.append(f"{who}: question not echoed byte for byte (case preserved)")
    if resp.has_opt != case.edns and resp.rcode != dns.rcode.FORMERR:
        problems.append(f"{who}: OPT record {'missing' if case.edns else 'unexpected'}")
    if (resp.message.flags & dns.flags.RD) != (query.flags & dns.flags.RD):
        problems.append(f"{who}: RD not copied from the query (RFC 1035 §4.1.1)")
    limit = max(512, case.variant.payload) if case.edns else 512
    if case.transport == "udp" and len(resp.wire) > limit:
        problems.append(f"{who}: {len(resp.wire)}-byte UDP reply exceeds {limit} "
                        f"(RFC 1035 §4.2.1, RFC 6891 §6.2.5)")
    return problems + compressed_rdata(resp.wire, who)


def skip_name(wire: bytes, i: int) -> int:
    """Offset just past the (possibly compressed) name at i."""
    while True:
        n = wire[i]
        if n >= 0xC0:
            return i + 2
        if n == 0:
            return i + 1
        i += 1 + n


def compressed_rdata(wire: bytes, who: str) -> list[str]:
    """RRs whose rdata uses compression although their type forbids it: rdlength on the
    wire shorter than the rdata written out uncompressed (RFC 3597 §4, RFC 2782)."""
    qd, an, ns, ar = struct.unpack("!4H", wire[4:12])
    i = 12
    for _ in range(qd):
        i = skip_name(wire, i) + 4
    rrs = []
    for _ in range(an + ns + ar):
        i = skip_name(wire, i)
        rdtype, _cls, _ttl, rdlength = struct.unpack("!HHIH", wire[i:i + 10])
        rrs.append((rdtype, rdlength))
        i += 10 + rdlength
    msg = h.parse(wire)
    problems = []
    parsed = [rrset for sec in (msg.answer, msg.authority, msg.additional) for rrset in sec]
    for (rdtype, rdlength), rrset in zip([r for r in rrs if r[0] != dns.rdatatype.OPT], parsed):
        if rdtype not in COMPRESSIBLE and rdlength != len(rrset[0].to_wire()):
            problems.append(f"{who}: compressed name in the rdata of {rrset.name} "
                            f"{dns.rdatatype.to_text(rdtype)} (RFC 3597 §4)")
    return problems


def flag_problems(apex: Response, ref: Response, check_tc: bool = True) -> list[str]:
    """Same rcode, same header flags (AA, TC, RD, RA, AD, CD) and the same EDNS reply."""
    problems = []
    if apex.rcode != ref.rcode:
        problems.append(f"rcode: apexd {dns.rcode.to_text(apex.rcode)}, "
                        f"NSD {dns.rcode.to_text(ref.rcode)}")
    mask = ~0 if check_tc else ~dns.flags.TC
    if apex.message.flags & mask != ref.message.flags & mask:
        problems.append(f"flags: apexd {apex.flags_text}, NSD {ref.flags_text}")
    if apex.opt_text != ref.opt_text:
        problems.append(f"EDNS: apexd {apex.opt_text}, NSD {ref.opt_text}")
    return problems


TARGET_TYPES = (dns.rdatatype.NS, dns.rdatatype.MX, dns.rdatatype.SRV,
                dns.rdatatype.SVCB, dns.rdatatype.HTTPS)


def target_of(rr: RR) -> dns.name.Name:
    """The host name an NS, MX, SRV, SVCB or HTTPS record points at ("." in SVCB and
    HTTPS means the owner itself, RFC 9460 §2.5)."""
    rd = dns.rdata.from_wire(rr.rdclass, rr.rdtype, rr.rdata, 0, len(rr.rdata))
    name = rd.exchange if rr.rdtype == dns.rdatatype.MX else rd.target
    return rr.owner if name == dns.name.root else name


def targets_of(rrs) -> set[dns.name.Name]:
    """Names whose addresses additional section processing may add: NS, MX (RFC 1034
    §4.3.2 step 6, RFC 1035 §3.3), SRV (RFC 2782) and SVCB/HTTPS targets (RFC 9460 §4.1)."""
    return {target_of(rr) for rr in rrs if rr.rdtype in TARGET_TYPES}


def required_glue(resp: Response, data: ZoneData) -> set[RR]:
    """In-domain glue of a referral: addresses of name servers below the cut they serve.
    RFC 9471 §2.1: all of it goes in the additional section, or TC is set."""
    glue = set()
    for rr in resp.authority:
        if rr.rdtype != dns.rdatatype.NS or rr.owner in data.apexes:
            continue
        target = target_of(rr)
        if target.is_subdomain(rr.owner):
            glue |= data.addresses_at(target)
    return glue


def additional_rule(apex: Response, ref: Response, data: ZoneData) -> list[str]:
    """Additional data beyond required glue is optional (RFC 1034 §4.3.2 step 6: "may";
    RFC 2181 §9 lets it be dropped for size): apexd's additional section must hold only
    RRs that NSD sent or that the zone files hold for an NS/MX/SRV target in apexd's
    answer or authority section, and all required glue unless TC is set."""
    permitted = set(ref.additional)
    for target in targets_of(list(apex.answer) + list(apex.authority)):
        permitted |= data.addresses_at(target)
    problems = [f"additional: apexd has {rr}, which neither NSD sent nor the zone data "
                f"allow" for rr in apex.additional.elements() if rr not in permitted]
    if apex.additional and max(apex.additional.values()) > 1:
        problems.append("additional: apexd repeats an RR")
    if not apex.tc:
        problems += [f"additional: apexd lacks required glue {rr}"
                     for rr in sorted(required_glue(apex, data) - set(apex.additional),
                                      key=str)]
    return problems


def reference_glue_incomplete(ref: Response, data: ZoneData) -> bool:
    """NSD 4.6 predates RFC 9471 and drops in-domain glue that does not fit without
    setting TC. RFC 9471 §2.1 (updating RFC 1034) requires TC then, so in that case the
    expected answer is the reference's with TC=1."""
    return not ref.tc and bool(required_glue(ref, data) - set(ref.additional))


def truncated_glue_rule(apex: Response, ref: Response) -> list[str]:
    """NSD's referral lacks in-domain glue without TC: apexd must set TC (RFC 9471 §2.1)."""
    return flag_problems(apex, ref, check_tc=False) + \
        ([] if apex.tc else ["TC: apexd 0, but NSD dropped in-domain glue "
                             "(RFC 9471 §2.1 requires TC=1)"])


def exact_rule(apex: Response, ref: Response, data: ZoneData) -> list[str]:
    """Same rcode, AA, TC, answer and authority; additional per additional_rule."""
    problems = flag_problems(apex, ref)
    if apex.tc and ref.tc:
        # RFC 2181 §9 / RFC 1035 §4.1.1: a truncated reply is discarded and retried
        # over TCP, so what a server leaves in it is not compared.
        return problems
    problems += diff_counter("answer", apex.answer, ref.answer)
    problems += diff_counter("authority", apex.authority, ref.authority)
    return problems + additional_rule(apex, ref, data)


def split_rrsets(rrs: Counter, superset: Counter) -> list[str]:
    """RRs that come without the rest of their RRset (RFC 2181 §5: never split)."""
    keys = {(rr.owner, rr.rdtype) for rr in rrs}
    return [f"answer: apexd sends part of the {dns.rdatatype.to_text(t)} RRset at {o}"
            for o, t in keys
            if {rr for rr in superset if (rr.owner, rr.rdtype) == (o, t)} - set(rrs)]


def any_rule(apex: Response, ref: Response, superset, data: ZoneData) -> list[str]:
    """RFC 8482 §4.1: a server may answer ANY with a non-empty subset of the RRsets at
    the name (NSD 4.6 itself sends one RRset). So apexd's answer must be non-empty
    when NSD's is, and made of whole RRsets that the name owns: `superset()` gives
    them, as NSD answers each type at that name. Everything else as in exact_rule."""
    problems = flag_problems(apex, ref, check_tc=False)
    if apex.tc:
        return problems
    if ref.answer and not apex.answer:
        problems.append("answer: apexd's ANY answer is empty, NSD's is not")
    if apex.answer - ref.answer:
        everything = superset()
        problems += [f"answer: apexd has {rr}, which the name does not own"
                     for rr in (apex.answer - everything).elements()]
        problems += split_rrsets(apex.answer, everything)
    problems += diff_counter("authority", apex.authority, ref.authority)
    return problems + additional_rule(apex, ref, data)


def chain_prefix(ref: Response, qname: dns.name.Name, data: ZoneData) -> Counter | None:
    """NSD's answer cut after the first CNAME whose target lies in another zone (or
    outside all zones), or None when its CNAME chain never leaves the zone of qname."""
    zone = data.zone_of(qname)
    owner, kept = qname, Counter()
    for _ in range(len(ref.answer) + 1):
        here = [rr for rr in ref.answer if rr.owner == owner]
        kept.update({rr: ref.answer[rr] for rr in here})
        cnames = [rr for rr in here if rr.rdtype == dns.rdatatype.CNAME]
        if not cnames:
            return None
        target = dns.name.from_wire(cnames[0].rdata, 0)[0]
        if data.zone_of(target) != zone:
            return kept
        owner = target
    return None


def cross_zone_cname_rule(apex: Response, ref: Response, qname: dns.name.Name,
                          data: ZoneData) -> list[str] | None:
    """A CNAME chain that leaves the zone: NSD follows it into any zone it serves
    (RFC 1034 §4.3.2 step 3a, "go back to step 1"), Knot and apexdns stop at the zone's
    edge; a resolver then completes the chain itself (RFC 1034 §5.3.3 step 4, RFC 6604
    §3). Accept the chain cut after the CNAME that leaves the zone, with NOERROR and
    NSD's flags; what follows that CNAME (authority, additional) must be true zone data.
    Returns None when the rule does not apply."""
    prefix = chain_prefix(ref, qname, data)
    if prefix is None or apex.tc:
        return None
    problems = [p for p in flag_problems(apex, ref) if not p.startswith("rcode")]
    if apex.rcode != dns.rcode.NOERROR:
        problems.append("cut CNAME chain: expected NOERROR")
    problems += diff_counter("answer (chain cut at the zone edge)", apex.answer, prefix)
    problems += [f"authority: apexd has {rr}, not in the zone data"
                 for rr in apex.authority if not data.holds(rr)]
    problems += [f"additional: apexd has {rr}, not in the zone data"
                 for rr in apex.additional if not data.holds(rr)]
    return problems


def compare(case: Case, query, apex: Response, ref: Response, superset,
            data: ZoneData) -> list[str]:
    """All the ways apexd's reply differs from NSD's beyond what the RFCs allow."""
    problems = header_problems(case, query, apex, "apexd") + \
        header_problems(case, query, ref, "NSD")
    problems += qclass_any_aa_rule(apex, ref, case)
    for resp in (apex, ref):
        normalise_positive_ns(resp, data)
        normalise_qclass_any_negative(resp, case)
    if reference_glue_incomplete(ref, data):
        return problems + truncated_glue_rule(apex, ref)
    if case.qtype == "ANY":
        return problems + any_rule(apex, ref, superset, data)
    exact = exact_rule(apex, ref, data)
    if exact:
        cut = cross_zone_cname_rule(apex, ref, case.qname, data)
        if cut is not None and len(cut) < len(exact):
            return problems + cut
    return problems + exact


# --- running the queries ------------------------------------------------------------

@dataclass
class Mismatch:
    case: Case
    problems: list[str]
    apex_text: str
    ref_text: str

    def report(self) -> str:
        lines = [f"QUERY {self.case}", *[f"  - {p}" for p in self.problems],
                 "  apexd replied:", *("    " + l for l in self.apex_text.splitlines()),
                 "  NSD replied:", *("    " + l for l in self.ref_text.splitlines())]
        return "\n".join(lines)


class Reference:
    """NSD as the source of truth, with the RRsets each name owns (for ANY) cached."""

    def __init__(self, client: h.Client, data: ZoneData):
        self.client = client
        self.types = sorted({rr.rdtype for rrs in data.nodes.values() for rr in rrs})
        self.owned: dict[dns.name.Name, Counter] = {}

    def ask(self, query, transport: str) -> bytes | None:
        return self.client.ask(query, transport)

    def rrs_owned_by(self, qname: dns.name.Name) -> Counter:
        """Every RR NSD serves at qname (itself or by wildcard), one type at a time."""
        key = qname.canonicalize()
        if key not in self.owned:
            found = Counter()
            for rdtype in self.types:
                wire = self.client.ask(h.make_query(qname, rdtype, True), "tcp")
                wanted = (rdtype, dns.rdatatype.CNAME)
                found |= Counter({rr: n for rr, n in reduce(wire).answer.items()
                                  if rr.owner == key and rr.rdtype in wanted})
            self.owned[key] = found
        return self.owned[key]


def run_case(case: Case, apex_client: h.Client, reference: Reference,
             data: ZoneData) -> Mismatch | None:
    """Send one query to both servers; a Mismatch if apexd's reply is not acceptable."""
    query = case.query()
    apex_wire = apex_client.ask(query, case.transport)
    ref_wire = reference.ask(query, case.transport)
    if ref_wire is None:
        return Mismatch(case, ["NSD did not answer (harness problem)"], "", "")
    ref = reduce(ref_wire)
    if apex_wire is None:
        return Mismatch(case, ["apexd did not answer"], "(nothing)", ref.message.to_text())
    try:
        apex = reduce(apex_wire)
    except Exception as e:  # noqa: BLE001 - any parse failure is the finding
        return Mismatch(case, [f"apexd's reply does not parse: {e}"], apex_wire.hex(),
                        ref.message.to_text())
    problems = compare(case, query, apex, ref, lambda: reference.rrs_owned_by(case.qname),
                       data)
    if problems:
        return Mismatch(case, problems, apex.message.to_text(), ref.message.to_text())
    return None


@pytest.fixture(scope="module")
def zone_data(all_zones) -> ZoneData:
    return ZoneData(all_zones)


@pytest.fixture(scope="module")
def cases(zone_data) -> list[tuple[dns.name.Name, str]]:
    print(f"differential query seed: APEX_DIFF_SEED={SEED}")
    return build_cases(zone_data, random.Random(SEED))


def test_query_set_covers_the_lookup_cases(cases, zone_data):
    """The generated query set is a few thousand queries and includes every kind of
    lookup the test data was written for (so the differential test cannot pass vacuously)."""
    names = {n.canonicalize() for n, _ in cases}
    must = ["host.diff.test.", "b.c.ent.diff.test.", "synth.wild.diff.test.",
            "explicit.wild.diff.test.", "nx-child.deleg1.diff.test.", "deleg1.diff.test.",
            "cname1.diff.test.", "dangling.diff.test.", "to-wild.diff.test.",
            "zz-missing.diff.test.", "outside.invalid.", "x.*.sw.diff.test.",
            "_tcp.bakery.example.", "synth.sites.hostco.example."]
    assert [m for m in must if dns.name.from_text(m) not in names] == []
    assert any(n.to_text() != n.canonicalize().to_text() for n, _ in cases), "no mixed case"
    assert 2000 <= len(cases) <= 8000


@pytest.mark.timeout_seconds(180)
@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_same_answers_as_nsd(variant, cases, zone_data, candidate_server, nsd_server):
    """Every query gets the same reply from apexd as from NSD, up to the normalisations
    the RFCs allow. Reports the first 20 mismatches with both replies."""
    mismatches = []
    with h.Client(candidate_server.addr) as a, h.Client(nsd_server.addr) as n:
        reference = Reference(n, zone_data)
        for qname, qtype in cases:
            m = run_case(Case(qname, qtype, variant), a, reference, zone_data)
            if m:
                mismatches.append(m)
    assert h.is_alive(candidate_server, "diff.test."), f"{candidate_server} stopped answering"
    if mismatches:
        shown = "\n\n".join(m.report() for m in mismatches[:MAX_REPORTED])
        pytest.fail(f"{len(mismatches)} of {len(cases)} queries: {candidate_server} "
                    f"differs from NSD "
                    f"(first {min(len(mismatches), MAX_REPORTED)}):\n\n{shown}",
                    pytrace=False)


# --- the comparison itself can fail ---------------------------------------------------

def _drop_first_answer_rr(m):
    m.answer = m.answer[1:]


def _bump_answer_ttl(m):
    m.answer[0].ttl += 1


def _clear_aa(m):
    m.flags &= ~dns.flags.AA


def _set_aa(m):
    m.flags |= dns.flags.AA


def _set_tc(m):
    m.flags |= dns.flags.TC


def _nxdomain(m):
    m.set_rcode(dns.rcode.NXDOMAIN)


def _foreign_additional(m):
    m.additional.append(dns.rrset.from_text("ns1.diff.test.", 3600, "IN", "A", "192.0.2.99"))


def _drop_additional(m):
    m.additional = []


def _bump_authority_ttl(m):
    m.authority[0].ttl += 1


def _duplicate_answer(m):
    m.answer.append(m.answer[0])


def _mangle_question_case(m):
    m.question[0].name = dns.name.from_text(m.question[0].name.to_text().upper())


def _any_foreign_rrset(m):
    m.answer = [dns.rrset.from_text(m.question[0].name, 3600, "IN", "TXT", '"not there"')]


def _any_empty(m):
    m.answer = []


def _drop_opt(m):
    m.use_edns(False)


# (qname, qtype, mutation): each mutated NSD reply must be reported as a mismatch.
MUTATIONS = [
    ("host.diff.test.", "A", _drop_first_answer_rr),
    ("host.diff.test.", "A", _bump_answer_ttl),
    ("host.diff.test.", "A", _clear_aa),
    ("host.diff.test.", "A", _set_tc),
    ("host.diff.test.", "A", _nxdomain),
    ("host.diff.test.", "A", _duplicate_answer),
    ("host.diff.test.", "A", _mangle_question_case),
    ("host.diff.test.", "A", _drop_opt),
    ("diff.test.", "MX", _foreign_additional),
    ("nx.diff.test.", "A", _bump_authority_ttl),
    ("synth.wild.diff.test.", "SSHFP", _bump_authority_ttl),
    ("x.deleg1.diff.test.", "A", _drop_additional),
    ("x.deleg1.diff.test.", "A", _set_aa),
    ("cname1.diff.test.", "A", _drop_first_answer_rr),
    ("to-other.diff.test.", "A", _drop_first_answer_rr),
    ("host.diff.test.", "ANY", _any_foreign_rrset),
    ("host.diff.test.", "ANY", _any_empty),
]


@pytest.mark.parametrize("qname,qtype,mutation", MUTATIONS,
                         ids=[f"{q}{t}-{m.__name__.strip('_')}" for q, t, m in MUTATIONS])
def test_comparison_catches_a_changed_reply(qname, qtype, mutation, zone_data, nsd_server):
    """NSD's own reply passes the comparison unchanged, and fails it once mutated: the
    normalisations do not hide the differences this test exists to find."""
    case = Case(dns.name.from_text(qname), qtype, VARIANTS[1])
    query = case.query()
    with h.Client(nsd_server.addr) as client:
        reference = Reference(client, zone_data)
        wire = client.ask(query, "udp")
        superset = lambda: reference.rrs_owned_by(case.qname)  # noqa: E731
        assert compare(case, query, reduce(wire), reduce(wire), superset, zone_data) == []
        mutated = h.parse(wire)
        mutation(mutated)
        problems = compare(case, query, reduce(mutated.to_wire()), reduce(wire), superset,
                           zone_data)
    assert problems, f"mutation {mutation.__name__} went unnoticed"


# --- the data itself ------------------------------------------------------------------

def test_zone_files_pass_reference_checkers(all_zones):
    """Every served zone file (test data and examples) is valid for NSD's and Knot's
    checkers, so a difference in answers is never a difference in accepted input."""
    for zf in all_zones:
        h.run_tool(["nsd-checkzone", zf.name, zf.path])
        if h.shutil.which("kzonecheck"):  # Debian package knot-dnssecutils
            h.run_tool(["kzonecheck", "-o", zf.name, zf.path])


@pytest.fixture(scope="module")
def nsd_on_exports(tmp_path_factory, apexd_server, all_zones):
    """NSD serving the zones as `apexctl zone export` writes them back out."""
    workdir = tmp_path_factory.mktemp("exports")
    exported = []
    for zf in all_zones:
        text = h.apexctl(apexd_server.extra["db"], "zone", "export", zf.name).stdout
        path = workdir / f"{zf.name}zone"
        path.write_text(text)
        exported.append(h.ZoneFile(zf.name, path))
    server = h.start_nsd(workdir, exported)
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.timeout_seconds(120)
def test_exported_zones_serve_the_same_answers(cases, zone_data, nsd_on_exports, nsd_server):
    """`apexctl zone export` loses nothing: NSD serving the exported files answers every
    query (over TCP, so that nothing is truncated) exactly as NSD serving the originals."""
    mismatches = []
    with h.Client(nsd_on_exports.addr) as a, h.Client(nsd_server.addr) as n:
        reference = Reference(n, zone_data)
        for qname, qtype in cases:
            m = run_case(Case(qname, qtype, TCP_EDNS), a, reference, zone_data)
            if m:
                mismatches.append(m)
    if mismatches:
        shown = "\n\n".join(m.report().replace("apexd", "exported")
                            for m in mismatches[:MAX_REPORTED])
        pytest.fail(f"{len(mismatches)} queries: NSD on exported zones differs from NSD on "
                    f"the originals (first {min(len(mismatches), MAX_REPORTED)}):\n\n{shown}",
                    pytrace=False)
