"""Bad input on the wire: malformed queries over UDP and TCP, and random mutations.

Specified (docs/ARCHITECTURE.md §3.4, RFC 1035 §4.1, RFC 6891, RFC 7766):
- a message too short for a header is dropped; a response (QR=1) is never answered;
- a header that parses but a question or OPT that does not gives FORMERR, carrying
  the request's ID with QR=1;
- EDNS version > 0 gives BADVERS (extended rcode 16) with an OPT record;
- an opcode other than QUERY that is not implemented gives NOTIMP;
- over TCP, bad length prefixes close the connection, pipelined queries are answered;
- a query signed with an unknown TSIG key gets NOTAUTH (RFC 8945 §5.2.2);
- random mutations of valid queries (UDP and TCP; seed printed, APEX_FUZZ_SEED and
  APEX_FUZZ_COUNT override) only ever get well-formed replies with the request's ID;
- after every one of these the server still answers a valid query.
"""

from __future__ import annotations

import os
import random
import select
import socket
import struct
import time

import dns.flags
import dns.message
import dns.opcode
import dns.rcode
import dns.tsigkeyring
import pytest

import dnsharness as h

SILENCE = 0.3  # seconds without a reply that count as "dropped"
PROBE_NAME = "diff.test."
QNAME = "host.diff.test."
FORMERR, NOTIMP, BADVERS = dns.rcode.FORMERR, dns.rcode.NOTIMP, dns.rcode.BADVERS
FUZZ_SEED = int(os.environ.get("APEX_FUZZ_SEED", str(int(time.time()))))
FUZZ_COUNT = int(os.environ.get("APEX_FUZZ_COUNT", "3000"))


# --- building raw messages -----------------------------------------------------------

def header(qid: int = 0x4A5B, flags: int = 0, qd: int = 1, an: int = 0, ns: int = 0,
           ar: int = 0) -> bytes:
    return struct.pack("!HHHHHH", qid, flags, qd, an, ns, ar)


def name_wire(*labels: bytes) -> bytes:
    return b"".join(bytes([len(l)]) + l for l in labels) + b"\x00"


QNAME_WIRE = name_wire(b"host", b"diff", b"test")


def question(qname: bytes = QNAME_WIRE, qtype: int = 1, qclass: int = 1) -> bytes:
    return qname + struct.pack("!HH", qtype, qclass)


def opt(payload: int = 1232, ext_rcode: int = 0, version: int = 0, rdata: bytes = b"",
        rdlength: int | None = None) -> bytes:
    """An OPT pseudo-RR (RFC 6891 §6.1.2); rdlength can be made to lie."""
    length = len(rdata) if rdlength is None else rdlength
    return b"\x00" + struct.pack("!HHBBHH", 41, payload, ext_rcode, version, 0, length) + rdata


def valid_query(qid: int = 0x4A5B, edns: bool = True) -> bytes:
    return header(qid, ar=int(edns)) + question() + (opt() if edns else b"")


def opcode_flags(opcode: int) -> int:
    return opcode << 11


# Each case: (id, message bytes, expected rcode or None for "dropped").
CASES = [
    ("short-header-5", valid_query()[:5], None),
    ("short-header-11", valid_query()[:11], None),
    ("truncated-qname", header() + QNAME_WIRE[:7], FORMERR),
    ("truncated-qtype", header() + QNAME_WIRE + b"\x00", FORMERR),
    ("missing-question", header(), FORMERR),
    ("pointer-loop-self", header() + b"\xc0\x0c" + struct.pack("!HH", 1, 1), FORMERR),
    ("pointer-loop-two", header() + b"\x01a\xc0\x0e\xc0\x0c" + struct.pack("!HH", 1, 1),
     FORMERR),
    ("forward-pointer", header() + b"\x04host\xc0\x13" + struct.pack("!HH", 1, 1)
     + b"\x00" + name_wire(b"diff", b"test"), FORMERR),
    ("pointer-past-end", header() + b"\x04host\xc0\xff" + struct.pack("!HH", 1, 1), FORMERR),
    ("label-64", header() + name_wire(b"a" * 64, b"test") + struct.pack("!HH", 1, 1),
     FORMERR),
    ("name-over-255", header() + name_wire(*[b"b" * 63] * 4, b"diff", b"test")
     + struct.pack("!HH", 1, 1), FORMERR),
    ("qdcount-0-with-question", header(qd=0) + question(), FORMERR),
    ("qdcount-0-empty", header(qd=0), FORMERR),
    ("qdcount-2", header(qd=2) + question() + question(qtype=28), FORMERR),
    ("qdcount-2-one-present", header(qd=2) + question(), FORMERR),
    ("two-opt", header(ar=2) + question() + opt() + opt(), FORMERR),
    ("opt-rdlength-past-end", header(ar=1) + question() + opt(rdlength=40), FORMERR),
    ("opt-option-past-rdlength", header(ar=1) + question()
     + opt(rdata=struct.pack("!HH", 10, 16) + b"\x01" * 8), FORMERR),
    ("opt-option-header-cut", header(ar=1) + question() + opt(rdata=b"\x00\x0a\x00"),
     FORMERR),
    ("opt-not-root-owner", header(ar=1) + question()
     + b"\x01x\x00" + opt()[1:], FORMERR),
    ("arcount-past-end", header(ar=1) + question(), FORMERR),
    ("edns-version-1", header(ar=1) + question() + opt(version=1), BADVERS),
    ("opcode-3", header(flags=opcode_flags(3)) + question(), NOTIMP),
    ("opcode-15", header(flags=opcode_flags(15)) + question(), NOTIMP),
    ("opcode-status", header(flags=opcode_flags(2)) + question(), NOTIMP),
    ("qr-set-query", header(flags=0x8000) + question(), None),
    ("qr-set-formerr-shape", header(flags=0x8000, qd=0), None),
    ("qr-set-notimp-shape", header(flags=0x8000 | opcode_flags(3)) + question(), None),
]


# --- sending and expecting ------------------------------------------------------------

def udp_reply(server: h.Server, wire: bytes, wait: float) -> bytes | None:
    """The first datagram coming back within `wait` seconds, whatever its ID."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(wait)
        s.sendto(wire, server.addr)
        try:
            return s.recvfrom(65535)[0]
        except socket.timeout:
            return None


def tcp_reply(server: h.Server, wire: bytes, wait: float) -> bytes | None:
    """The reply to one length-prefixed message, or None if the server closes the
    connection or stays silent for `wait` seconds."""
    with h.tcp_connect(server.addr) as s:
        s.sendall(struct.pack("!H", len(wire)) + wire)
        s.settimeout(wait)
        try:
            return h.tcp_recv_message(s)
        except (socket.timeout, ConnectionResetError):
            return None


def reply_for(server: h.Server, wire: bytes, transport: str, wait: float) -> bytes | None:
    return (udp_reply if transport == "udp" else tcp_reply)(server, wire, wait)


def describe(wire: bytes | None) -> str:
    if wire is None:
        return "no reply"
    try:
        return parse_any_opcode(wire).to_text()
    except Exception as e:  # noqa: BLE001 - shown as diagnostics only
        return f"unparseable reply {wire.hex()} ({e})"


def assert_error_reply(request: bytes, reply: bytes | None, rcode: int) -> None:
    """A reply with the request's ID, QR=1, and the given (possibly extended) rcode."""
    assert reply is not None, f"no reply, expected {dns.rcode.to_text(rcode)}"
    assert len(reply) >= 12, f"reply shorter than a header: {reply.hex()}"
    assert reply[:2] == request[:2], f"reply ID {reply[:2].hex()} != request ID {request[:2].hex()}"
    assert reply[2] & 0x80, "QR clear in reply"
    if rcode > 15:  # extended rcode: the reply must carry an OPT record (RFC 6891 §6.1.3)
        msg = h.parse(reply)
        assert msg.edns >= 0, f"no OPT record in reply:\n{msg.to_text()}"
        assert msg.rcode() == rcode, describe(reply)
    else:
        assert reply[3] & 0x0F == rcode, \
            f"rcode {reply[3] & 0x0F}, expected {dns.rcode.to_text(rcode)}:\n{describe(reply)}"


def assert_still_serving(server: h.Server) -> None:
    """The server process runs and answers a valid query over UDP and TCP."""
    assert server.alive(), f"{server} exited:\n{server.log()}"
    for transport in ("udp", "tcp"):
        reply = reply_for(server, valid_query(0x7777), transport, 2.0)
        assert reply is not None and reply[:2] == b"\x77\x77" and reply[3] & 0x0F == 0, \
            f"{server} no longer answers a valid query over {transport}: {describe(reply)}"


@pytest.mark.parametrize("transport", ["udp", "tcp"])
@pytest.mark.parametrize("wire,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_message(target_server, transport, wire, expected):
    """Each malformed message gets the specified rcode (with ID and QR=1) or no reply,
    and the server goes on answering."""
    reply = reply_for(target_server, wire, transport, SILENCE if expected is None else 2.0)
    if expected is None:
        assert reply is None, f"expected no reply, got:\n{describe(reply)}"
    else:
        assert_error_reply(wire, reply, expected)
    assert_still_serving(target_server)


def test_valid_queries_are_answered(target_server):
    """The reference query the cases above are mutations of is itself answered with
    NOERROR and data (so a server that answers nothing cannot pass them)."""
    for transport in ("udp", "tcp"):
        for edns in (False, True):
            reply = reply_for(target_server, valid_query(0x1111, edns), transport, 2.0)
            msg = h.parse(reply)
            assert msg.id == 0x1111 and msg.rcode() == 0 and msg.answer, describe(reply)
            assert (msg.edns >= 0) == edns


# --- TCP framing (RFC 7766 §8, RFC 1035 §4.2.2) -----------------------------------------

def closes_without_reply(sock: socket.socket, wait: float = 2.0) -> bool:
    """True when the server closes the connection (or resets it) with no reply bytes."""
    sock.settimeout(wait)
    try:
        return sock.recv(65535) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def test_tcp_zero_length_prefix(target_server):
    """A zero length prefix is no DNS message: the connection is closed or ignored,
    never answered, and the server survives."""
    with h.tcp_connect(target_server.addr) as s:
        s.sendall(b"\x00\x00")
        s.settimeout(SILENCE)
        try:
            data = s.recv(65535)
        except (socket.timeout, ConnectionResetError):
            data = b""
        assert data == b"", f"reply to an empty TCP message: {data.hex()}"
    assert_still_serving(target_server)


@pytest.mark.parametrize("length,sent", [(65535, 100), (300, 299), (12, 1), (1, 0)],
                         ids=["65535-got-100", "300-got-299", "12-got-1", "1-got-0"])
def test_tcp_length_longer_than_data_then_close(target_server, length, sent):
    """A length prefix promising more than is sent, then a half-close: the server reads
    end-of-stream, closes without a reply, and keeps serving."""
    with h.tcp_connect(target_server.addr) as s:
        s.sendall(struct.pack("!H", length) + valid_query()[:sent].ljust(sent, b"\x00"))
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:  # the server closed first (e.g. it rejects short lengths at once)
            pass
        assert closes_without_reply(s), "server did not close the half-closed connection"
    assert_still_serving(target_server)


def test_tcp_length_prefix_split_and_abandoned(target_server):
    """One byte of a length prefix, then an abortive close (RST): nothing breaks."""
    s = h.tcp_connect(target_server.addr)
    s.sendall(b"\x00")
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
    assert_still_serving(target_server)


def test_tcp_pipelined_queries_in_one_write(target_server):
    """Two queries in one write get two replies, each with its own ID (RFC 7766 §6.2.1)."""
    first, second = valid_query(0x0101), header(0x0202) + question(qtype=28)
    with h.tcp_connect(target_server.addr) as s:
        s.sendall(b"".join(struct.pack("!H", len(m)) + m for m in (first, second)))
        replies = [h.tcp_recv_message(s), h.tcp_recv_message(s)]
    assert all(r is not None for r in replies), f"got {replies}"
    ids = sorted(h.parse(r).id for r in replies)
    assert ids == [0x0101, 0x0202]
    by_id = {h.parse(r).id: h.parse(r) for r in replies}
    assert by_id[0x0202].question[0].rdtype == 28 and by_id[0x0202].rcode() == 0
    assert_still_serving(target_server)


def test_tcp_malformed_then_valid_on_same_connection(target_server):
    """A FORMERR on a connection does not stop the next query on it from being answered
    (or the connection is closed cleanly and a new one works)."""
    bad = header(0x0303, qd=2) + question() + question()
    with h.tcp_connect(target_server.addr) as s:
        s.sendall(struct.pack("!H", len(bad)) + bad)
        assert_error_reply(bad, h.tcp_recv_message(s), FORMERR)
        good = valid_query(0x0404)
        try:
            s.sendall(struct.pack("!H", len(good)) + good)
            reply = h.tcp_recv_message(s)
        except (ConnectionResetError, BrokenPipeError):
            reply = None
        if reply is not None:
            assert h.parse(reply).id == 0x0404 and h.parse(reply).rcode() == 0
    assert_still_serving(target_server)


# --- random mutations ---------------------------------------------------------------------

def base_queries() -> list[bytes]:
    """Valid queries the mutations start from: plain, EDNS with options, other types."""
    cookie = struct.pack("!HH", 10, 8) + b"\x01\x02\x03\x04\x05\x06\x07\x08"
    nsid = struct.pack("!HH", 3, 0)
    return [
        valid_query(0x1000, edns=False),
        valid_query(0x2000, edns=True),
        header(0x3000, ar=1) + question(qtype=255) + opt(rdata=cookie + nsid),
        header(0x4000, ar=1) + question(name_wire(b"x", b"wild", b"diff", b"test"), 16)
        + opt(payload=4096),
        header(0x5000) + question(name_wire(b"deleg1", b"diff", b"test"), 43),
    ]


def mutate(msg: bytes, rng: random.Random) -> bytes:
    """One random mutation: bit flips, truncation, insertion, overwrite or duplication."""
    data = bytearray(msg)
    kind = rng.randrange(5)
    if kind == 0:
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(data))
            data[i] ^= 1 << rng.randrange(8)
    elif kind == 1:
        del data[rng.randrange(len(data)):]
    elif kind == 2:
        i = rng.randrange(len(data) + 1)
        data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    elif kind == 3:
        i = rng.randrange(len(data))
        data[i:i + 4] = bytes(rng.randrange(256) for _ in range(4))
    else:
        i, j = sorted(rng.randrange(len(data) + 1) for _ in range(2))
        data[j:j] = data[i:j]
    return bytes(data)


def reply_problem(request: bytes, reply: bytes) -> str | None:
    """Why a reply to a (mutated) request is not acceptable, or None."""
    if len(request) < 12:
        return "replied to a message shorter than a header"
    if request[2] & 0x80:
        return "replied to a message with QR=1"
    if len(reply) < 12 or reply[:2] != request[:2] or not reply[2] & 0x80:
        return "reply with another ID, QR clear, or shorter than a header"
    try:
        parse_any_opcode(reply)
    except Exception as e:  # noqa: BLE001 - any parse failure is the finding
        return f"reply does not parse: {e}"
    return None


def parse_any_opcode(wire: bytes) -> dns.message.Message:
    """Parse a reply whatever its opcode: a NOTIMP reply echoes an opcode dnspython does
    not know (RFC 1035 §4.1.1), so the opcode bits are cleared before parsing."""
    patched = wire[:2] + bytes([wire[2] & 0x87]) + wire[3:]
    return dns.message.from_wire(patched, ignore_trailing=False)


def fuzz_round(server: h.Server, batch: list[bytes], wait: float) -> list[tuple]:
    """Send each message from its own socket; collect (request, reply) for every reply
    arriving within `wait` seconds after the last send."""
    socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in batch]
    try:
        for s, m in zip(socks, batch):
            s.setblocking(False)
            s.sendto(m, server.addr)
        return collect_replies(dict(zip(socks, batch)), wait)
    finally:
        for s in socks:
            s.close()


def collect_replies(pending: dict, wait: float) -> list[tuple]:
    got, deadline = [], time.monotonic() + wait
    while pending and time.monotonic() < deadline:
        ready, _, _ = select.select(list(pending), [], [], max(0.0, deadline - time.monotonic()))
        for s in ready:
            try:
                got.append((pending[s], s.recv(65535)))
            except OSError:
                pass
            del pending[s]  # one reply per request; a second one is not read
    return got


@pytest.mark.timeout_seconds(120)
def test_random_mutations_over_udp(target_server):
    """FUZZ_COUNT random mutations of valid queries: every reply parses as a DNS message
    with QR=1 and the request's ID (messages shorter than a header and QR=1 messages get
    none), and the server is alive and answering at the end."""
    print(f"fuzz seed: APEX_FUZZ_SEED={FUZZ_SEED} count={FUZZ_COUNT}")
    rng = random.Random(FUZZ_SEED)
    bases = base_queries()
    problems, replies = [], 0
    for start in range(0, FUZZ_COUNT, 50):
        batch = [mutate(rng.choice(bases), rng) for _ in range(min(50, FUZZ_COUNT - start))]
        for request, reply in fuzz_round(target_server, batch, 0.15):
            replies += 1
            why = reply_problem(request, reply)
            if why:
                problems.append(f"{why}\n  request {request.hex()}\n  reply   {reply.hex()}")
        assert target_server.alive(), f"server died (seed {FUZZ_SEED}):\n{target_server.log()}"
    print(f"{replies} replies to {FUZZ_COUNT} mutated queries")
    assert not problems, f"seed {FUZZ_SEED}: {len(problems)} bad replies, first 20:\n" + \
        "\n".join(problems[:20])
    assert replies > FUZZ_COUNT // 10, "suspiciously few replies: is the server answering?"
    assert_still_serving(target_server)


def tcp_fuzz_round(server: h.Server, batch: list[bytes], wait: float) -> list[tuple]:
    """Send each message, correctly framed, on its own TCP connection; collect
    (request, reply) for every reply arriving within `wait` seconds."""
    conns = {}
    try:
        for m in batch:
            s = h.tcp_connect(server.addr)
            s.sendall(struct.pack("!H", len(m)) + m)
            conns[s] = m
        got, deadline = [], time.monotonic() + wait
        while conns and time.monotonic() < deadline:
            ready, _, _ = select.select(list(conns), [], [],
                                        max(0.0, deadline - time.monotonic()))
            for s in ready:
                try:
                    reply = h.tcp_recv_message(s)
                except OSError:
                    reply = None
                if reply is not None:
                    got.append((conns[s], reply))
                s.close()
                del conns[s]
        return got
    finally:
        for s in conns:
            s.close()


@pytest.mark.timeout_seconds(120)
def test_random_mutations_over_tcp(target_server):
    """FUZZ_COUNT/10 random mutations sent over TCP, each correctly length-framed on its
    own connection: the same rules as over UDP, and the server keeps serving."""
    count = max(1, FUZZ_COUNT // 10)
    print(f"fuzz seed: APEX_FUZZ_SEED={FUZZ_SEED} count={count}")
    rng = random.Random(FUZZ_SEED + 1)
    bases = base_queries()
    problems, replies = [], 0
    for start in range(0, count, 25):
        batch = [mutate(rng.choice(bases), rng) for _ in range(min(25, count - start))]
        for request, reply in tcp_fuzz_round(target_server, batch, 0.3):
            replies += 1
            why = reply_problem(request, reply)
            if why:
                problems.append(f"{why}\n  request {request.hex()}\n  reply   {reply.hex()}")
        assert target_server.alive(), f"server died (seed {FUZZ_SEED}):\n{target_server.log()}"
    assert not problems, f"seed {FUZZ_SEED}: {len(problems)} bad replies, first 20:\n" + \
        "\n".join(problems[:20])
    assert replies > count // 10, "suspiciously few replies: is the server answering?"
    assert_still_serving(target_server)


def test_tsig_with_unknown_key_gets_notauth(target_server):
    """A query signed with a TSIG key the server does not know gets NOTAUTH, not data
    (RFC 8945 §5.2.2: "MUST generate an error response with RCODE 9 (NOTAUTH) and TSIG
    ERROR 17 (BADKEY)")."""
    keyring = dns.tsigkeyring.from_text({"unknown-key.": "aGVsbG8gd29ybGQ="})
    query = dns.message.make_query(QNAME, "A")
    query.use_tsig(keyring, "unknown-key.")
    wire = query.to_wire()
    for transport in ("udp", "tcp"):
        reply = reply_for(target_server, wire, transport, 2.0)
        assert reply is not None, f"no reply over {transport}"
        assert reply[:2] == wire[:2] and reply[2] & 0x80
        assert reply[3] & 0x0F == dns.rcode.NOTAUTH, \
            f"over {transport}: rcode {dns.rcode.to_text(reply[3] & 0x0F)}, expected NOTAUTH"
    assert_still_serving(target_server)
