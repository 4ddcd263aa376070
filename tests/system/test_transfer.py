"""Zone transfers from apexd to real secondaries, and the transfer access rules.

- NSD 4.6, Knot 3.2 and BIND 9.18, each a secondary of every example zone with one TSIG key
  (hmac-sha256), transfer the zones at their startup and then answer a query corpus (every
  owner and type of the zones, names and types that do not exist, the flattened ALIAS apex
  cafe.example) exactly as apexd does: rcode, AA and the answer section (rdata and TTL);
- apexd logs every transfer as TSIG-signed (RFC 8945);
- refusals (RFC 5936 §6, RFC 8945 §5.2): unsigned, unknown key, wrong secret, skewed time,
  unlisted source address, AXFR over UDP, malformed IXFR, truncated MAC, a name that is no
  zone; none of these replies carries a zone record, and apexd keeps answering;
- IXFR (RFC 1995): up to date -> our SOA alone; a serial the journal does not lead on from
  -> the whole zone (the journal itself: test_ixfr.py);
- a secondary limited to one zone (`secondary add ... --zone`) gets that zone only;
- a 20,000-name zone is transferred whole to a slow reader while UDP queries are answered;
- `apexctl zone status` shows, per secondary, the NOTIFY apexd sent and had acknowledged and
  the serial transferred, a few seconds after a change.

Run from the repository root:
  APEX_BUILD_DIR=$PWD/build /usr/bin/python3 -m pytest tests/system/test_transfer.py -q
"""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import socket
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from unittest import mock

import dns.message
import dns.flags
import dns.opcode
import dns.query
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import dns.tsig
import pytest

import dnsharness as h
import secondaries as S

NOERROR, FORMERR, REFUSED, NOTAUTH = (dns.rcode.NOERROR, dns.rcode.FORMERR,
                                      dns.rcode.REFUSED, dns.rcode.NOTAUTH)
BADSIG, BADKEY, BADTIME, BADTRUNC = 16, 17, 18, 22
ALIAS_DIR = h.REPO / "examples" / "alias"
PROVIDER_ZONE = "hostco.example."
SECONDARY_KINDS = ("nsd", "knot", "bind")
TRANSFERRED_WITHIN = 30.0  # seconds for all three secondaries to hold every zone
LIVE = 2.0                 # an apexctl change is served within this long

KEY = S.TsigKey("xfr.apexdns.test.", "hmac-sha256",
                base64.b64encode(os.urandom(32)).decode())


def dns_key(key: S.TsigKey = KEY) -> dns.tsig.Key:
    return dns.tsig.Key(key.name, key.secret, key.algorithm)


@dataclass
class Stack:
    dir: Path
    db: Path
    apexd: h.Server
    zones: list[str]
    secondaries: dict[str, h.Server]
    transferred_after: float = 0.0
    transfer_log: str = ""

    def ctl(self, *args, check: bool = True):
        return h.apexctl(self.db, *args, check=check)


def example_zone_names() -> list[str]:
    return [z.name for z in h.zone_files(h.EXAMPLES_DIR, ALIAS_DIR)]


def build_db(workdir: Path, secondary_ports: list[int]) -> Path:
    """The example zones (hostco.example provider-owned, so cafe.example's ALIAS flattens
    from it), one TSIG key, and one secondary per port on 127.0.0.1 using it."""
    db = workdir / "apex.db"
    h.apexctl(db, "init")
    for zone in h.zone_files(h.EXAMPLES_DIR, ALIAS_DIR):
        provider = ("--provider",) if zone.name == PROVIDER_ZONE else ()
        h.apexctl(db, "zone", "import", zone.path, *provider)
    h.apexctl(db, "tsig", "add", KEY.name, "--algorithm", KEY.algorithm, "--secret", KEY.secret)
    for port in secondary_ports:
        h.apexctl(db, "secondary", "add", f"{h.LOOPBACK}:{port}", "--key", KEY.name)
    return db


def distinct_free_ports(n: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < n:
        port = h.free_port()
        if port not in ports:
            ports.append(port)
    return ports


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("transfer")
    ports = distinct_free_ports(len(SECONDARY_KINDS))
    db = build_db(workdir, ports)
    zones = example_zone_names()
    apexd = h.start_apexd(workdir, db, zones[0])
    started: dict[str, h.Server] = {}
    stack = None
    try:
        # The transfers must carry the flattened apex, not a pending ALIAS.
        took, last = h.wait_served(apexd.addr, "cafe.example.", "A",
                                   lambda s: s.rcode == NOERROR and s.answer, timeout=5.0)
        assert took is not None, f"cafe.example A never flattened: {last}\n{apexd.log()}"
        for kind, port in zip(SECONDARY_KINDS, ports):
            started[kind] = S.start_secondary(kind, workdir, port, apexd.port, KEY, zones)
        stack = Stack(workdir, db, apexd, zones, started)
        stack.transferred_after = wait_transferred(stack)
        # What apexd logged of the secondaries' transfers, before the tests' own.
        stack.transfer_log = apexd.log_path.read_text(errors="replace")
        yield stack
    finally:
        for server in started.values():
            server.stop()
        apexd = stack.apexd if stack else apexd  # a test may have restarted it
        code = apexd.stop()
    assert code == 0, f"apexd exited with {code} on SIGTERM:\n{apexd.log()}"


# --- transfers with dnspython ----------------------------------------------------------------

def transfer_query(zone: str, rdtype: str = "AXFR", key: dns.tsig.Key | None = None,
                   serial: int | None = None) -> dns.message.Message:
    q = dns.message.make_query(zone, rdtype)
    if serial is not None:  # RFC 1995 §3: the client's SOA in the authority section
        q.authority.append(dns.rrset.from_text(
            zone, 0, "IN", "SOA", f". . {serial} 0 0 0 0"))
    if key is not None:
        q.use_tsig(key)
    return q


def read_transfer(sock: socket.socket, q: dns.message.Message, wire: bytes,
                  key: dns.tsig.Key | None) -> tuple[int, list[dns.rrset.RRset], int]:
    """Sends the rendered query `wire` and reads the transfer: (rcode, records in order,
    messages). Every message's TSIG is verified against `key` (RFC 8945 §5.3.1). Stops at
    the closing SOA, at an error rcode, or after a lone SOA answering an IXFR."""
    sock.sendall(len(wire).to_bytes(2, "big") + wire)
    records: list[dns.rrset.RRset] = []
    ctx, messages = None, 0
    ixfr = q.question[0].rdtype == dns.rdatatype.IXFR
    while True:
        reply = h.tcp_recv_message(sock)
        if reply is None:
            raise AssertionError(f"connection closed after {messages} messages")
        messages += 1
        m = dns.message.from_wire(reply, keyring=key, request_mac=q.mac, xfr=True,
                                  tsig_ctx=ctx, multi=True, one_rr_per_rrset=True)
        ctx = m.tsig_ctx
        if key is not None:
            assert m.had_tsig, f"message {messages} is not signed"
        if m.rcode() != NOERROR:
            return m.rcode(), records, messages
        records += m.answer
        soas = [r for r in records if r.rdtype == dns.rdatatype.SOA]
        if len(soas) >= 2 and records[-1].rdtype == dns.rdatatype.SOA:
            return NOERROR, records, messages
        if ixfr and len(records) == 1 and soas and not h.tcp_replies(sock, quiet=0.3):
            return NOERROR, records, messages


def xfr(addr, zone: str, rdtype: str = "AXFR", key=None, serial=None,
        source: str = h.LOOPBACK) -> tuple[int, list[dns.rrset.RRset], int]:
    q = transfer_query(zone, rdtype, key, serial)
    with h.tcp_connect_from(source, addr) as sock:
        return read_transfer(sock, q, q.to_wire(), key)


def refused_exchange(addr, wire: bytes, source: str = h.LOOPBACK) -> list[h.RawReply]:
    """Sends one request over TCP; every reply the server sends before going quiet."""
    with h.tcp_connect_from(source, addr) as sock:
        sock.sendall(len(wire).to_bytes(2, "big") + wire)
        return [h.raw_reply(w) for w in h.tcp_replies(sock, quiet=0.5)]


def single_error(replies: list[h.RawReply], what: str) -> h.RawReply:
    """A refusal is one message with no record (RFC 5936 §2.2.1: no partial zone)."""
    assert len(replies) == 1, f"{what}: {len(replies)} replies, wanted one"
    assert replies[0].records == (), f"{what}: the refusal carries records " \
                                     f"{replies[0].records}"
    return replies[0]


def soa_serial(addr, zone: str) -> int:
    s = h.served(addr, zone, "SOA", timeout=1.0)
    assert s.rcode == NOERROR and s.serial is not None, f"{zone} SOA from {addr}: {s}"
    return s.serial


# --- 1. the secondaries serve what apexd serves ----------------------------------------------

EXTRA_QUERIES = [
    ("cafe.example.", "A"), ("cafe.example.", "AAAA"),      # the flattened ALIAS apex
    ("shop.sites.hostco.example.", "A"),                    # wildcard
    ("a.b.sites.hostco.example.", "TXT"),
    ("_tcp.bakery.example.", "TXT"),                        # empty non-terminal: NODATA
    ("branches.florist.test.", "A"),
    ("shop.example.", "SSHFP"),                             # NODATA at the apex
    ("www.shop.example.", "MX"),                            # CNAME, other type
    ("host.dev.hostco.example.", "A"),                      # below a zone cut: referral
]


def corpus(stack: Stack) -> list[tuple[str, str]]:
    """Every owner/type apexd transfers, plus NXDOMAIN, NODATA and the extras above."""
    pairs = set()
    for zone in stack.zones:
        rcode, records, _ = xfr(stack.apexd.addr, zone, key=dns_key())
        assert rcode == NOERROR, f"AXFR of {zone} from apexd: {dns.rcode.to_text(rcode)}"
        pairs |= {(r.name.to_text().lower(), dns.rdatatype.to_text(r.rdtype)) for r in records}
        pairs |= {(f"no-such-name.{zone}", "A"), (zone, "NAPTR")}
    pairs |= set(EXTRA_QUERIES)
    return sorted(pairs)


def wait_transferred(stack: Stack) -> float:
    """Waits until every secondary serves every zone with apexd's serial; seconds taken."""
    started = time.monotonic()
    serials = {zone: soa_serial(stack.apexd.addr, zone) for zone in stack.zones}
    deadline = time.monotonic() + TRANSFERRED_WITHIN
    missing = []
    for kind, server in stack.secondaries.items():
        for zone, serial in serials.items():
            left = max(0.1, deadline - time.monotonic())
            took, last = h.wait_served(
                server.addr, zone, "SOA",
                lambda s: s.rcode == NOERROR and s.aa and s.serial == serial,
                timeout=left, interval=0.1)
            if took is None:
                missing.append(f"{kind}: {zone} serial {serial} not served (last {last})")
    assert not missing, "\n".join(missing) + "".join(
        f"\n--- {k} log ---\n{s.log()[-2000:]}" for k, s in stack.secondaries.items()) + \
        f"\n--- apexd log ---\n{stack.apexd.log()[-2000:]}"
    return time.monotonic() - started


@pytest.mark.timeout_seconds(60)
def test_secondaries_answer_like_apexd(stack, report):
    report(f"all {len(stack.zones)} zones on {', '.join(stack.secondaries)} within "
           f"{stack.transferred_after:.1f} s of their start")
    queries = corpus(stack)
    assert ("cafe.example.", "A") in queries and len(queries) > 100
    differences = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for qname, qtype in queries:
            want = h.served(stack.apexd.addr, qname, qtype, 1.0, sock)
            assert want.rcode != -1, f"apexd did not answer {qname}/{qtype}"
            for kind, server in stack.secondaries.items():
                got = h.served(server.addr, qname, qtype, 1.0, sock)
                if (got.rcode, got.aa, set(got.answer)) != (want.rcode, want.aa,
                                                             set(want.answer)):
                    differences.append(f"{kind} {qname}/{qtype}: {got}\n    apexd: {want}")
    assert not differences, f"{len(differences)} of {len(queries)} queries differ:\n" + \
        "\n".join(differences[:30])
    flattened = h.served(stack.apexd.addr, "cafe.example.", "A")
    assert flattened.rdatas == {"192.0.2.80", "192.0.2.81"}, flattened


# --- 2. the transfers were signed -------------------------------------------------------------

def test_transfers_to_secondaries_were_signed(stack):
    """apexd logs each secondary's transfer with the key; NSD and BIND log the key they
    verified (Knot, configured with the key, refuses an unsigned or badly signed reply)."""
    nsd = stack.secondaries["nsd"].log_path.read_text(errors="replace")
    bind = stack.secondaries["bind"].log_path.read_text(errors="replace")
    bare_key = KEY.name.rstrip(".")
    problems = []
    for zone in stack.zones:
        done = re.findall(rf"[AI]XFR of {re.escape(zone)} to 127\.0\.0\.1: serial \d+, "
                          rf"[^\n]*", stack.transfer_log)
        signed = [line for line in done if line.endswith(f", TSIG {KEY.name}")]
        if len(signed) < len(SECONDARY_KINDS) or signed != done:
            problems.append(f"apexd, {zone}: {len(signed)} signed of {len(done)} "
                            f"transfers logged, wanted one signed per secondary")
        if not re.search(rf"zone {re.escape(zone)} committed \"received update to serial "
                         rf"\d+ [^\n]* TSIG verified with key {re.escape(KEY.name)}", nsd):
            problems.append(f"nsd, {zone}: no TSIG-verified transfer logged")
        if not re.search(rf"zone {re.escape(zone.rstrip('.'))}/IN: transferred serial \d+: "
                         rf"TSIG '{re.escape(bare_key)}'", bind):
            problems.append(f"bind, {zone}: no TSIG-signed transfer logged")
    assert not problems, "\n".join(problems) + f"\n--- apexd ---\n{stack.transfer_log[-3000:]}"


# --- 3. refusals ------------------------------------------------------------------------------

def signed_wire(zone: str, key: dns.tsig.Key, rdtype: str = "AXFR",
                at: float | None = None) -> tuple[dns.message.Message, bytes]:
    q = transfer_query(zone, rdtype, key)
    if at is None:
        return q, q.to_wire()
    with mock.patch("time.time", return_value=at):
        return q, q.to_wire()


def with_mac(wire: bytes, q: dns.message.Message, mac: bytes) -> bytes:
    """The signed request `wire` with its TSIG's MAC replaced (the TSIG is the last RR)."""
    tsig = q.tsig[0]
    owner = q.tsig.name.to_wire()
    old_rdata = tsig.to_digestable()
    start = len(wire) - (len(owner) + 10 + len(old_rdata))
    assert wire[start:start + len(owner)] == owner, "TSIG not where expected"
    rdata = tsig.replace(mac=mac).to_digestable()
    rr = owner + dns.rdatatype.TSIG.to_bytes(2, "big") + \
        int(dns.rdataclass.ANY).to_bytes(2, "big") + (0).to_bytes(4, "big") + \
        len(rdata).to_bytes(2, "big") + rdata
    return wire[:start] + rr


def mac_verifies(wire: bytes, reply: h.RawReply, key: dns.tsig.Key, request_mac: bytes) -> bool:
    """The reply's MAC over the request MAC, the reply without its TSIG and the TSIG
    variables (RFC 8945 §4.3.3), which dnspython does not check on error replies."""
    arcount = int.from_bytes(wire[10:12], "big") - 1
    unsigned = wire[:10] + arcount.to_bytes(2, "big") + wire[12:reply.tsig_offset]
    ctx = dns.tsig._digest(unsigned, key, reply.tsig, None, request_mac)
    try:
        ctx.verify(reply.tsig.mac)
    except dns.tsig.BadSignature:
        return False
    return True


def test_refusals(stack):
    addr, zone = stack.apexd.addr, "shop.example."
    good = dns_key()

    unsigned = single_error(refused_exchange(addr, transfer_query(zone).to_wire()),
                            "unsigned")
    assert unsigned.rcode == REFUSED and unsigned.tsig is None

    # RFC 8945 §5.3.2: BADKEY and BADSIG replies carry an empty MAC (the client cannot
    # verify one); a BADTIME reply is signed and tells the server's time (§5.2.3).
    unknown = dns.tsig.Key("other-key.apexdns.test.", KEY.secret, KEY.algorithm)
    r = single_error(refused_exchange(addr, signed_wire(zone, unknown)[1]), "unknown key")
    assert (r.rcode, r.tsig_error) == (NOTAUTH, BADKEY), r
    assert r.tsig.mac == b"", r

    wrong = dns.tsig.Key(KEY.name, base64.b64encode(os.urandom(32)).decode(), KEY.algorithm)
    r = single_error(refused_exchange(addr, signed_wire(zone, wrong)[1]), "wrong secret")
    assert (r.rcode, r.tsig_error) == (NOTAUTH, BADSIG), r
    assert r.tsig.mac == b"", r

    asked_at = int(time.time())
    skewed_q, wire = signed_wire(zone, good, at=asked_at - 3600)
    with h.tcp_connect_from(h.LOOPBACK, addr) as sock:
        sock.sendall(len(wire).to_bytes(2, "big") + wire)
        replies = h.tcp_replies(sock)
    skewed = single_error([h.raw_reply(w) for w in replies], "time skewed by an hour")
    skewed_wire = replies[0]
    assert (skewed.rcode, skewed.tsig_error) == (NOTAUTH, BADTIME), skewed
    assert mac_verifies(skewed_wire, skewed, good, skewed_q.mac), \
        "RFC 8945 §5.2.3: a BADTIME reply is signed like a successful one"
    assert not mac_verifies(skewed_wire, skewed, wrong, skewed_q.mac)  # the check can fail
    assert len(skewed.tsig.other) == 6 and \
        abs(int.from_bytes(skewed.tsig.other, "big") - asked_at) <= 5, skewed.tsig

    # Right key, unlisted address: refused, and signed since the request verified.
    q, wire = signed_wire(zone, good)
    with h.tcp_connect_from("127.0.0.2", addr) as sock:
        sock.sendall(len(wire).to_bytes(2, "big") + wire)
        replies = h.tcp_replies(sock)
    r = single_error([h.raw_reply(w) for w in replies], "from 127.0.0.2")
    assert r.rcode == REFUSED
    assert dns.message.from_wire(replies[0], keyring=good, request_mac=q.mac).rcode() == REFUSED

    for name, w in (("unsigned", transfer_query(zone).to_wire()),
                    ("signed", signed_wire(zone, good)[1])):
        reply = h.exchange_udp(addr, w, timeout=1.0)
        assert reply is not None, f"AXFR over UDP ({name}): no reply"
        r = h.raw_reply(reply)
        assert r.rcode == REFUSED and r.records == (), f"AXFR over UDP ({name}): {r}"

    # RFC 1995 §3: an IXFR carries the client's SOA in the authority section.
    r = single_error(refused_exchange(addr, signed_wire(zone, good, "IXFR")[1]),
                     "IXFR without SOA")
    assert r.rcode == FORMERR, r
    other_zone = transfer_query(zone, "IXFR")
    other_zone.authority.append(dns.rrset.from_text("bakery.example.", 0, "IN", "SOA",
                                                    ". . 1 0 0 0 0"))
    other_zone.use_tsig(good)
    r = single_error(refused_exchange(addr, other_zone.to_wire()), "IXFR, another zone's SOA")
    assert r.rcode == FORMERR, r

    # RFC 8945 §5.2.2.1: 16 octets (half of hmac-sha256) is a truncated MAC this server
    # does not accept (BADTRUNC, or FORMERR); 8 octets is below the minimum (FORMERR).
    q, wire = signed_wire(zone, good)
    mac = q.tsig[0].mac
    r = single_error(refused_exchange(addr, with_mac(wire, q, mac[:16])), "16-octet MAC")
    assert r.rcode == FORMERR or (r.rcode, r.tsig_error) == (NOTAUTH, BADTRUNC), r
    r = single_error(refused_exchange(addr, with_mac(wire, q, mac[:8])), "8-octet MAC")
    assert r.rcode == FORMERR, r
    # The MAC replacement itself is sound: the full MAC put back is accepted.
    rcode, records, _ = read_transfer_raw(addr, q, with_mac(wire, q, mac), good)
    assert rcode == NOERROR and records, "re-assembled request with the full MAC refused"

    for name in ("www.shop.example.", "not-served.example.", "example."):
        q, wire = signed_wire(name, good)
        with h.tcp_connect_from(h.LOOPBACK, addr) as sock:
            sock.sendall(len(wire).to_bytes(2, "big") + wire)
            replies = h.tcp_replies(sock)
        r = single_error([h.raw_reply(w) for w in replies], f"AXFR of {name}")
        assert r.rcode == NOTAUTH and not r.tsig_error, f"AXFR of {name}: {r}"
        dns.message.from_wire(replies[0], keyring=good, request_mac=q.mac)  # signed

    assert h.is_alive(stack.apexd, zone), "apexd stopped answering after the refusals"
    assert h.served(addr, zone, "SOA").rcode == NOERROR


def read_transfer_raw(addr, q, wire, key):
    with h.tcp_connect_from(h.LOOPBACK, addr) as sock:
        return read_transfer(sock, q, wire, key)


# --- 4. IXFR from a serial the journal does not hold -----------------------------------------

def test_ixfr_current_serial_is_one_soa_older_serial_is_whole_zone(stack):
    addr, zone, key = stack.apexd.addr, "bakery.example.", dns_key()
    serial = soa_serial(addr, zone)
    _, axfr, _ = xfr(addr, zone, key=key)

    rcode, records, messages = xfr(addr, zone, "IXFR", key=key, serial=serial)
    assert rcode == NOERROR and messages == 1
    assert [r.rdtype for r in records] == [dns.rdatatype.SOA] and records[0][0].serial == serial

    # RFC 1982: a client serial ahead of ours is up to date too (nothing to send).
    rcode, records, messages = xfr(addr, zone, "IXFR", key=key, serial=(serial + 10) % 2**32)
    assert rcode == NOERROR and [r.rdtype for r in records] == [dns.rdatatype.SOA]

    # No change was journaled since the zone was imported: serial - 1 is not in the journal.
    rcode, records, _ = xfr(addr, zone, "IXFR", key=key, serial=serial - 1)
    assert rcode == NOERROR
    assert records[0].rdtype == records[-1].rdtype == dns.rdatatype.SOA
    assert records[0][0].serial == serial
    assert sorted(map(str, records)) == sorted(map(str, axfr)), "IXFR from an older " \
        "serial is not the zone AXFR sends"
    assert len(records) > 10


# --- 5. a secondary limited to one zone ------------------------------------------------------

def test_secondary_limited_to_listed_zones(stack):
    addr, key = stack.apexd.addr, dns_key()
    assert xfr(addr, "shop.example.", key=key, source="127.0.0.3")[0] == REFUSED
    stack.ctl("secondary", "add", "127.0.0.3", "--key", KEY.name, "--zone", "shop.example")
    deadline = time.monotonic() + LIVE
    while True:
        rcode, records, _ = xfr(addr, "shop.example.", key=key, source="127.0.0.3")
        if rcode == NOERROR or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert rcode == NOERROR and len(records) > 10, \
        f"shop.example from 127.0.0.3: {dns.rcode.to_text(rcode)}"
    for zone in ("bakery.example.", "hostco.example."):
        replies = refused_exchange(addr, signed_wire(zone, key)[1], source="127.0.0.3")
        r = single_error(replies, f"{zone} from 127.0.0.3")
        assert r.rcode == REFUSED, f"{zone} from 127.0.0.3: {r}"


# --- 6. a large zone to a slow reader ------------------------------------------------------------

BIG_NAMES = 20_000


def big_zone_text(zone: str) -> str:
    lines = [f"$ORIGIN {zone}", "$TTL 3600",
             "@ IN SOA ns1.hostco.example. hostmaster.hostco.example. 1 7200 1800 1209600 300",
             "@ IN NS ns1.hostco.example."]
    lines += [f"host{i} IN A 10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"
              for i in range(BIG_NAMES)]
    return "\n".join(lines) + "\n"


@pytest.mark.timeout_seconds(60)
def test_large_zone_transfer_while_answering_udp(tmp_path, report):
    zone = "big.example."
    path = tmp_path / "big.example.zone"
    path.write_text(big_zone_text(zone))
    db = tmp_path / "apex.db"
    h.apexctl(db, "init")
    h.apexctl(db, "zone", "import", path)
    h.apexctl(db, "tsig", "add", KEY.name, "--secret", KEY.secret)
    h.apexctl(db, "secondary", "add", h.LOOPBACK, "--key", KEY.name)
    apexd = h.start_apexd(tmp_path, db, zone)  # one worker thread: UDP shares it
    try:
        key = dns_key()
        q = transfer_query(zone, key=key)
        wire = q.to_wire()
        result: dict = {}
        sock = h.tcp_connect_from(h.LOOPBACK, apexd.addr, timeout=10.0)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32768)

        class Slow:
            """The connection, read in small steps with pauses: a slow secondary."""
            def sendall(self, data):
                sock.sendall(data)

            def recv(self, n):
                time.sleep(0.002)
                return sock.recv(min(n, 2048))

            def settimeout(self, t):
                sock.settimeout(t)

            def gettimeout(self):
                return sock.gettimeout()

        def run():
            try:
                result["out"] = read_transfer(Slow(), q, wire, key)
            except Exception as e:  # noqa: BLE001 - reported by the main thread
                result["error"] = e

        reader = threading.Thread(target=run, daemon=True)
        started = time.monotonic()
        reader.start()
        answered, asked, wrong = 0, 0, []
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            while reader.is_alive():
                i = (asked * 7919) % BIG_NAMES
                asked += 1
                got = h.served(apexd.addr, f"host{i}.{zone}", "A", 1.0, udp)
                want = {f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"}
                if got.rcode == NOERROR and got.rdatas == want:
                    answered += 1
                else:
                    wrong.append((i, got))
                time.sleep(0.01)
        took = time.monotonic() - started
        reader.join(timeout=1)
        sock.close()
        assert "error" not in result, f"transfer failed: {result.get('error')!r}"
        rcode, records, messages = result["out"]
        report(f"{len(records)} records in {messages} messages in {took:.2f} s; "
               f"{answered}/{asked} UDP queries answered meanwhile")
        assert rcode == NOERROR
        assert len(records) == BIG_NAMES + 3  # SOA, NS, the A records, SOA again
        owners = {r.name.to_text() for r in records if r.rdtype == dns.rdatatype.A}
        assert len(owners) == BIG_NAMES
        assert asked >= 5, f"the transfer took {took:.2f} s: too fast to sample UDP"
        assert not wrong and answered == asked, f"UDP during the transfer: {wrong[:5]}"
        log = apexd.log_path.read_text(errors="replace")
        assert f"AXFR of {zone} to 127.0.0.1: serial 1, {messages} messages" in log
    finally:
        code = apexd.stop()
    assert code == 0, f"apexd exited with {code}:\n{apexd.log()}"


# --- 7. a change reaches the secondaries -------------------------------------------------------

@pytest.mark.timeout_seconds(40)
def test_change_reaches_secondaries_within_two_seconds(stack):
    """apexd's own NOTIFY (signed) brings a record change to every secondary within 2 s,
    although their SOA refresh is 2 h: all three ask for IXFR and get the change alone, from
    apexd's journal (RFC 1995 §4)."""
    zone = "shop.example."
    before = soa_serial(stack.apexd.addr, zone)
    log_mark = len(stack.apexd.log_path.read_text(errors="replace"))
    started = time.monotonic()
    stack.ctl("record", "add", f"notified.{zone}", "A", "192.0.2.77")
    took, now = h.wait_served(stack.apexd.addr, zone, "SOA",
                              lambda s: s.serial is not None and s.serial != before,
                              timeout=LIVE)
    assert took is not None, f"apexd still serves serial {before}"
    stale = []
    for kind, server in stack.secondaries.items():
        remaining = max(0.1, 2.0 - (time.monotonic() - started))
        took, last = h.wait_served(server.addr, f"notified.{zone}", "A",
                                   lambda s: s.rdatas == {"192.0.2.77"}, timeout=remaining,
                                   interval=0.05)
        if took is None or soa_serial(server.addr, zone) != now.serial:
            stale.append(f"{kind}: {last}\n{server.log()[-1500:]}")
    log = stack.apexd.log_path.read_text(errors="replace")[log_mark:]
    assert not stale, "\n".join(stale) + f"\n--- apexd ---\n{log}"
    kinds = re.findall(rf"([AI]XFR) of {re.escape(zone)} to 127\.0\.0\.1: serial {now.serial}, "
                       rf"[^\n]*, 1 version\(s\) from serial {before}, TSIG {re.escape(KEY.name)}",
                       log)
    assert kinds == ["IXFR"] * 3, log


# --- 8. a crash between a change and its NOTIFY ----------------------------------------------

@pytest.mark.timeout_seconds(60)
def test_change_made_while_apexd_is_down_reaches_secondaries_after_restart(stack):
    """kill -9 apexd, commit a change while it is down (so no NOTIFY can have gone out), start
    it again on the same address: it announces every zone at start, the secondaries converge,
    and the serial they and apexd serve never went backwards."""
    zone = "bakery.example."
    before = soa_serial(stack.apexd.addr, zone)
    port = stack.apexd.port
    os.kill(stack.apexd.pid, signal.SIGKILL)
    stack.apexd.proc.wait(timeout=5)
    stack.ctl("record", "add", f"after-crash.{zone}", "A", "192.0.2.78")
    stack.apexd = h.start_server(
        "apexd", lambda p: [h.apexd_binary(), "--db", stack.db, "--listen", f"{h.LOOPBACK}:{p}",
                            "--threads", "1"],
        stack.dir, zone, pick_port=lambda: port)
    now = soa_serial(stack.apexd.addr, zone)
    assert serial_newer(now, before), f"apexd serves {now} after {before}"
    stale = []
    for kind, server in stack.secondaries.items():
        took, last = h.wait_served(server.addr, f"after-crash.{zone}", "A",
                                   lambda s: s.rdatas == {"192.0.2.78"}, timeout=10.0,
                                   interval=0.1)
        if took is None or soa_serial(server.addr, zone) != now:
            stale.append(f"{kind}: {last}\n{server.log()[-1500:]}")
    assert not stale, "\n".join(stale) + f"\n--- apexd ---\n{stack.apexd.log()}"


def serial_newer(a: int, b: int) -> bool:
    """RFC 1982 §3.2: a is greater than b."""
    return a != b and ((a - b) % 2**32) < 2**31


# --- 9. what each secondary has, as apexctl zone status shows it -------------------------------

STATUS_WITHIN = 5.0  # apexd records at most a second after the fact


def status_problems(status: dict, serial: int, ports: set[int], since: float) -> list[str]:
    """What keeps `zone status --json` from showing, for each secondary port, a NOTIFY of
    serial sent (not before since, Unix seconds) and acknowledged, and serial transferred."""
    problems = []
    if status["serial"] != serial:
        problems.append(f"zone serial {status['serial']}, expected {serial}")
    seen = {s["port"]: s for s in status["secondaries"] if s["address"] == h.LOOPBACK}
    for port in sorted(ports):
        s = seen.get(port)
        if s is None:
            problems.append(f"port {port}: not listed")
            continue
        notify, transfer = s["notify"], s["transfer"]
        sent = notify["sent"] and datetime.fromisoformat(notify["sent"].replace("Z", "+00:00"))
        if not sent or sent.timestamp() < since - 1 or notify["serial"] != serial:
            problems.append(f"port {port}: NOTIFY {notify}")
        elif not notify["acknowledged"] or notify["acknowledged"] < notify["sent"]:
            problems.append(f"port {port}: NOTIFY not acknowledged {notify}")
        if transfer["serial"] != serial or s["behind"] or s["key"] != KEY.name:
            problems.append(f"port {port}: {s}")
    return problems


@pytest.mark.timeout_seconds(40)
def test_zone_status_shows_notify_and_transfer_per_secondary(stack):
    """After a change, `apexctl zone status shop.example --json` shows for NSD, Knot and BIND
    (one secondary each, same address, their own ports) the NOTIFY of the new serial sent and
    acknowledged, and the new serial transferred (transfers are matched by source address,
    NOTIFY by address and port), within a few seconds."""
    zone = "shop.example."
    since = time.time()
    before = soa_serial(stack.apexd.addr, zone)
    stack.ctl("record", "add", f"status.{zone}", "A", "192.0.2.79")
    took, now = h.wait_served(stack.apexd.addr, zone, "SOA",
                              lambda s: s.serial is not None and s.serial != before,
                              timeout=LIVE)
    assert took is not None, f"apexd still serves serial {before}"
    ports = {server.port for server in stack.secondaries.values()}
    deadline = time.monotonic() + STATUS_WITHIN
    while True:
        out = stack.ctl("zone", "status", zone, "--json").stdout
        problems = status_problems(json.loads(out), now.serial, ports, since)
        if not problems or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert not problems, "\n".join(problems) + \
        f"\n{out}\n--- apexd ---\n{stack.apexd.log()[-3000:]}"
    text = stack.ctl("zone", "status", zone).stdout
    assert text.count("status        current") == len(ports), text


# --- 10. a change of flattened ALIAS addresses is a zone change -------------------------------

@pytest.mark.timeout_seconds(40)
def test_alias_target_change_reaches_secondaries_damped(stack):
    """cafe.example's ALIAS follows www.hostco.example (a provider zone's CNAME chain to lb).
    A new address at lb changes what cafe.example answers: apexd raises cafe.example's serial,
    so the secondaries transfer it and serve the new address too. A second change right after
    is answered by apexd at once but does not raise the serial again within the damping
    interval (60 s by default)."""
    zone = "cafe.example."
    before = soa_serial(stack.apexd.addr, zone)
    stack.ctl("record", "add", "lb.hostco.example.", "A", "192.0.2.97")
    took, last = h.wait_served(stack.apexd.addr, zone, "A", lambda s: "192.0.2.97" in s.rdatas,
                               timeout=5.0, interval=0.05)
    assert took is not None, f"apexd does not answer the new address: {last}"
    took, now = h.wait_served(stack.apexd.addr, zone, "SOA",
                              lambda s: s.serial is not None and serial_newer(s.serial, before),
                              timeout=5.0, interval=0.05)
    assert took is not None, f"serial of {zone} still {before}\n{stack.apexd.log()}"
    stale = []
    for kind, server in stack.secondaries.items():
        took, last = h.wait_served(server.addr, zone, "A", lambda s: "192.0.2.97" in s.rdatas,
                                   timeout=5.0, interval=0.1)
        if took is None:
            stale.append(f"{kind}: {last}")
    assert not stale, "\n".join(stale) + f"\n--- apexd ---\n{stack.apexd.log()}"

    stack.ctl("record", "add", "lb.hostco.example.", "A", "192.0.2.96")
    took, _ = h.wait_served(stack.apexd.addr, zone, "A", lambda s: "192.0.2.96" in s.rdatas,
                            timeout=5.0, interval=0.05)
    assert took is not None, "apexd's own answer must follow at once"
    time.sleep(2.0)
    assert soa_serial(stack.apexd.addr, zone) == now.serial, "damping: one bump per interval"
