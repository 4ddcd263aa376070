#!/usr/bin/python3
"""Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/TARGET/) from real
messages, zone snippets and RDATA lines. Run it again after changing it; the outputs are
committed. TSIG-signed seeds are signed with the targets' fixed key at their fixed time
(tests/fuzz/fuzz_zones.hpp), so they verify."""

import base64
import hashlib
import pathlib
import time

import dns.edns
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.renderer
import dns.rrset
import dns.tsig
import dns.tsigkeyring

FUZZ_NOW = 1_800_000_000
KEYRING = dns.tsigkeyring.from_text(
    {"fuzz-key.": ("hmac-sha256", base64.b64encode(b"fuzz-secret-fuzz-secret-0123").decode())})
OTHER_KEYRING = dns.tsigkeyring.from_text({"other-key.": base64.b64encode(b"x" * 32).decode()})
CORPUS = pathlib.Path(__file__).resolve().parent / "corpus"

# dnspython signs at the current time; the targets verify at FUZZ_NOW.
time.time = lambda: float(FUZZ_NOW)


def write(target, name, data):
    if isinstance(data, str):
        data = data.encode()
    directory = CORPUS / target
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(data)


def query(name, rdtype, *, edns=-1, payload=1232, do=False, signed=False, keyring=KEYRING,
          qid=0x1234, flags=None):
    m = dns.message.make_query(name, rdtype, use_edns=edns, payload=payload, want_dnssec=do)
    m.id = qid
    if flags is not None:
        m.flags = flags
    if signed:
        m.use_tsig(keyring, fudge=300)
    return m


def rr(text):
    owner, ttl, cls, rdtype, rdata = text.split(None, 4)
    return dns.rrset.from_text(owner, int(ttl), cls, rdtype, rdata)


def queries():
    """Requests as resolvers send them, for the responder."""
    cases = {
        "a": query("www.example.com.", "A"),
        "a-mixed-case": query("WwW.ExAmple.COM.", "A"),
        "aaaa-edns": query("ns1.example.com.", "AAAA", edns=0),
        "mx-do": query("example.com.", "MX", edns=0, do=True),
        "txt-4096": query("example.com.", "TXT", edns=0, payload=4096),
        "alias-apex-a": query("example.com.", "A", edns=0),
        "alias-apex-aaaa": query("example.com.", "AAAA"),
        "alias-shop-a": query("shop.example.com.", "A"),
        "alias-v4-aaaa": query("v4.example.com.", "AAAA", edns=0),
        "alias-broken-a": query("broken.example.com.", "A"),
        "alias-stale-a": query("stale.example.com.", "A"),
        "alias-backup-a": query("backup.example.com.", "A"),
        "alias-pending-a": query("fresh.example.com.", "A"),
        "alias-type": query("shop.example.com.", 65401),
        "any": query("example.com.", "ANY", edns=0),
        "cname-chain": query("chain.example.com.", "A"),
        "cname-loop": query("loop.example.com.", "A"),
        "cname-out": query("out.example.com.", "AAAA"),
        "wildcard": query("a.b.wild.example.com.", "TXT"),
        "dname": query("x.legacy.example.com.", "A"),
        "referral": query("host.deleg.example.com.", "A", edns=0, do=True),
        "child-zone": query("host.sub.example.com.", "A"),
        "ds-at-cut": query("sub.example.com.", "DS"),
        "srv": query("_sip._tcp.example.com.", "SRV"),
        "https": query("svc.example.com.", "HTTPS", edns=0),
        "nxdomain": query("nope.example.com.", "A", edns=0),
        "nodata": query("mail.example.com.", "AAAA"),
        "refused": query("www.example.org.", "A"),
        "soa": query("example.com.", "SOA", edns=0, payload=512),
        "edns-v1": query("example.com.", "A", edns=1),
        "edns-small": query("example.com.", "TXT", edns=0, payload=100),
        "signed": query("www.example.com.", "A", signed=True),
        "signed-edns": query("shop.example.com.", "AAAA", edns=0, signed=True),
        "signed-unknown-key": query("www.example.com.", "A", signed=True, keyring=OTHER_KEYRING),
        "dnssec-nsec-nxdomain": query("nope.signed.test.", "A", edns=0, do=True),
        "dnssec-nsec-wildcard": query("x.wild.signed.test.", "A", edns=0, do=True),
        "dnssec-nsec-ent": query("ent.signed.test.", "TXT", edns=0, do=True),
        "dnssec-nsec-referral": query("www.bare.signed.test.", "A", edns=0, do=True),
        "dnssec-nsec-cname": query("dangling.signed.test.", "A", edns=0, payload=512, do=True),
        "dnssec-nsec3-nxdomain": query("a.b.sub.example.com.", "A", edns=0, do=True),
        "dnssec-nsec3-nodata": query("host.sub.example.com.", "TXT", edns=0, do=True),
        "dnssec-rrsig": query("www.signed.test.", "RRSIG", edns=0),
        "axfr": query("example.com.", "AXFR"),
        "response-bit": query("www.example.com.", "A", flags=dns.flags.QR),
    }
    for name, m in cases.items():
        yield name, m.to_wire()
    notify = dns.message.make_query("example.com.", "SOA")
    notify.id = 0x4e4f
    notify.set_opcode(dns.opcode.NOTIFY)
    notify.flags |= dns.flags.AA
    yield "notify", notify.to_wire()
    update = dns.message.make_query("example.com.", "SOA")
    update.id = 0x5550
    update.set_opcode(dns.opcode.UPDATE)
    yield "opcode-update", update.to_wire()
    wire = bytearray(query("www.example.com.", "A", signed=True).to_wire())
    wire[-20] ^= 1  # inside the MAC
    yield "signed-bad-mac", bytes(wire)
    yield "header-only", bytes(query("example.com.", "A").to_wire()[:12])
    yield "no-question", bytes([0x12, 0x34, 1, 0] + [0] * 8)


def transfers():
    """AXFR and IXFR requests (RFC 5936 §2.1, RFC 1995 §3), plain and TSIG-signed."""
    def ixfr(zone, serial, **kw):
        m = query(zone, "IXFR", **kw)
        m.authority.append(rr(f"{zone} 0 IN SOA ns1.{zone} hostmaster.{zone} {serial} 1 1 1 1"))
        if kw.get("signed"):
            m.use_tsig(KEYRING, fudge=300)
        return m

    cases = {
        "dnssec-nsec-nxdomain": query("nope.signed.test.", "A", edns=0, do=True),
        "dnssec-nsec-wildcard": query("x.wild.signed.test.", "A", edns=0, do=True),
        "dnssec-nsec-ent": query("ent.signed.test.", "TXT", edns=0, do=True),
        "dnssec-nsec-referral": query("www.bare.signed.test.", "A", edns=0, do=True),
        "dnssec-nsec-cname": query("dangling.signed.test.", "A", edns=0, payload=512, do=True),
        "dnssec-nsec3-nxdomain": query("a.b.sub.example.com.", "A", edns=0, do=True),
        "dnssec-nsec3-nodata": query("host.sub.example.com.", "TXT", edns=0, do=True),
        "dnssec-rrsig": query("www.signed.test.", "RRSIG", edns=0),
        "axfr": query("example.com.", "AXFR"),
        "axfr-child": query("sub.example.com.", "AXFR", edns=0),
        "axfr-signed": query("example.com.", "AXFR", signed=True),
        "axfr-other-key": query("example.com.", "AXFR", signed=True, keyring=OTHER_KEYRING),
        "axfr-not-apex": query("www.example.com.", "AXFR"),
        "axfr-unknown": query("example.org.", "AXFR"),
        "ixfr-old": ixfr("example.com.", 2024010100),
        "ixfr-current": ixfr("example.com.", 2024010101, edns=0),
        "ixfr-newer": ixfr("example.com.", 2024010102),
        "ixfr-signed": ixfr("sub.example.com.", 3, signed=True),
        "ixfr-no-soa": query("example.com.", "IXFR"),
        "soa-signed": query("example.com.", "SOA", signed=True),
    }
    for name, m in cases.items():
        yield name, m.to_wire()
    wire = bytearray(query("example.com.", "AXFR", signed=True).to_wire())
    wire[-20] ^= 1
    yield "axfr-bad-mac", bytes(wire)
    chclass = dns.message.make_query("example.com.", "AXFR", rdclass="CH")
    chclass.id = 0x4348
    yield "axfr-class-ch", chclass.to_wire()


def responses():
    """Messages as upstream servers and NOTIFY peers answer, for the decoder."""
    def answer(qname, rdtype, records, *, authority=(), additional=(), edns=-1, rcode=0,
               signed=False, compress=True):
        q = query(qname, rdtype, edns=edns, signed=signed)
        r = dns.message.make_response(q)
        r.set_rcode(rcode)
        for text in records:
            r.answer.append(rr(text))
        for text in authority:
            r.authority.append(rr(text))
        for text in additional:
            r.additional.append(rr(text))
        if not compress:
            return uncompressed(r)
        return r.to_wire()

    yield "a", answer("lb.cdn.test.", "A", ["lb.cdn.test. 60 IN A 198.51.100.1",
                                            "lb.cdn.test. 60 IN A 198.51.100.2"])
    yield "aaaa-edns", answer("lb.cdn.test.", "AAAA", ["lb.cdn.test. 60 IN AAAA 2001:db8::1"],
                              edns=0)
    yield "cname-chain", answer("www.cdn.test.", "A", [
        "www.cdn.test. 300 IN CNAME edge.cdn.test.", "edge.cdn.test. 20 IN A 192.0.2.7"])
    yield "nxdomain", answer("nope.cdn.test.", "A", [], rcode=dns.rcode.NXDOMAIN, authority=[
        "cdn.test. 300 IN SOA ns.cdn.test. admin.cdn.test. 5 3600 600 86400 60"], edns=0)
    yield "referral", answer("a.b.test.", "A", [], authority=[
        "b.test. 3600 IN NS ns1.b.test.", "b.test. 3600 IN NS ns2.b.test."], additional=[
        "ns1.b.test. 3600 IN A 192.0.2.1", "ns2.b.test. 3600 IN AAAA 2001:db8::2"])
    yield "mx-srv", answer("cdn.test.", "MX", ["cdn.test. 300 IN MX 10 mx.cdn.test."],
                           additional=["_x._tcp.cdn.test. 300 IN SRV 1 2 3 t.cdn.test."])
    yield "txt-caa", answer("cdn.test.", "TXT", ['cdn.test. 300 IN TXT "a b" "c\\"d"',
                                                 'cdn.test. 300 IN CAA 0 issue "ca.test"'])
    yield "svcb", answer("svc.test.", "HTTPS",
                         ["svc.test. 300 IN HTTPS 1 . alpn=h2,h3 port=8443 ipv6hint=2001:db8::1",
                          "svc.test. 300 IN SVCB 0 target.test."])
    yield "dnssec", answer("cdn.test.", "DS", [
        "cdn.test. 300 IN DS 12345 13 2 " + "ab" * 32,
        "cdn.test. 300 IN DNSKEY 257 3 13 " + base64.b64encode(b"k" * 64).decode(),
        "cdn.test. 300 IN NSEC z.cdn.test. A NS SOA RRSIG NSEC DNSKEY",
        "cdn.test. 300 IN RRSIG DS 13 2 300 20300101000000 20200101000000 12345 cdn.test. "
        + base64.b64encode(b"s" * 64).decode()], edns=0)
    yield "misc-types", answer("cdn.test.", "PTR", [
        "cdn.test. 300 IN PTR host.cdn.test.", 'cdn.test. 300 IN HINFO "cpu" "os"',
        'cdn.test. 300 IN NAPTR 100 10 "S" "SIP+D2U" "" _sip._udp.cdn.test.',
        "cdn.test. 300 IN SSHFP 1 1 " + "12" * 20,
        "cdn.test. 300 IN TLSA 3 1 1 " + "34" * 32,
        "cdn.test. 300 IN DNAME other.test.", "cdn.test. 300 IN TYPE65280 \\# 3 010203"])
    yield "uncompressed", answer("lb.cdn.test.", "A", ["lb.cdn.test. 60 IN A 198.51.100.1"],
                                 compress=False)
    yield "signed", answer("lb.cdn.test.", "A", ["lb.cdn.test. 60 IN A 198.51.100.1"],
                           signed=True)
    notify = dns.message.make_query("example.com.", "SOA")
    notify.id = 0x4e4f
    notify.set_opcode(dns.opcode.NOTIFY)
    notify.answer.append(rr("example.com. 300 IN SOA ns1.example.com. h.example.com. 9 1 1 1 1"))
    yield "notify", notify.to_wire()
    ack = dns.message.make_response(notify)
    yield "notify-ack", ack.to_wire()
    tc = dns.message.make_response(query("big.test.", "TXT"))
    tc.flags |= dns.flags.TC
    yield "truncated", tc.to_wire()


def uncompressed(message):
    """The message with every name written in full, as the journal stores it."""
    r = dns.renderer.Renderer(message.id, message.flags, 65535)
    r.compress = _NoCompression()
    for section, rrsets in ((dns.renderer.QUESTION, message.question),
                            (dns.renderer.ANSWER, message.answer),
                            (dns.renderer.AUTHORITY, message.authority),
                            (dns.renderer.ADDITIONAL, message.additional)):
        for rrset in rrsets:
            if section == dns.renderer.QUESTION:
                r.add_question(rrset.name, rrset.rdtype, rrset.rdclass)
            else:
                r.add_rrset(section, rrset)
    r.write_header()
    return r.get_wire()


class _NoCompression(dict):
    """A compression table that never remembers a name."""

    def __setitem__(self, key, value):
        pass


def differences():
    """Journal versions (RFC 1995 §4: old SOA, deletions, new SOA, additions)."""
    def version(old, deleted, new, added):
        m = dns.message.Message(id=0)
        m.flags = dns.flags.QR
        soa = "example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. {} 7200 3600 1209600 300"
        m.answer.append(rr(soa.format(old)))
        for text in deleted:
            m.answer.append(rr(text))
        m.answer.append(rr(soa.format(new)))
        for text in added:
            m.answer.append(rr(text))
        return uncompressed(m)

    yield "add-one", version(1, [], 2, ["www.example.com. 300 IN A 192.0.2.80"])
    yield "delete-one", version(2, ["www.example.com. 300 IN A 192.0.2.80"], 3, [])
    yield "replace", version(3, ["mail.example.com. 300 IN A 192.0.2.25"], 4,
                             ["mail.example.com. 300 IN A 192.0.2.26",
                              "mail.example.com. 300 IN AAAA 2001:db8::26"])
    yield "soa-only", version(4, [], 5, [])
    yield "wrap", version(4294967295, [], 0, ['example.com. 300 IN TXT "after wrap"'])
    alias = "shop.example.com. 300 IN TYPE65401 \\# 13 026c620363646e047465737400"
    yield "alias", version(6, [], 7, [alias])
    yield "many", version(8, [f"h{i}.example.com. 60 IN A 192.0.2.{i}" for i in range(10)], 9,
                          [f"h{i}.example.com. 60 IN AAAA 2001:db8::{i:x}" for i in range(10)])
    # Regression: empty RDATA once reached memcpy with a null source on re-encoding.
    yield "empty-rdata", version(9, ["e.example.com. 60 IN TYPE65280 \\# 0"], 10,
                                 ["f.example.com. 60 IN TYPE65281 \\# 0"])
    m = dns.message.Message(id=0)
    m.answer.append(rr("example.com. 300 IN A 192.0.2.1"))
    yield "no-soa", m.to_wire()


ZONE_SNIPPETS = {
    "soa-ns": """$TTL 300
@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300
  IN NS ns1
ns1 IN A 192.0.2.1
""",
    "parentheses": """$ORIGIN example.com.
@ 3600 IN SOA ns1.example.com. hostmaster.example.com. (
        2024010101 ; serial
        7200       ; refresh
        3600 1209600 300 )
""",
    "ttl-units": "$TTL 1h30m\n@ IN SOA ns h 1 2h 1h 1w 5m\nwww 1d IN A 192.0.2.1\n",
    "origin-change": "$ORIGIN sub.example.com.\nhost IN A 192.0.2.2\n$ORIGIN example.com.\nx A 192.0.2.3\n",
    "owner-inherit": "a 60 IN A 192.0.2.1\n  60 IN AAAA 2001:db8::1\n   IN TXT \"x\"\n",
    "escapes": 'e\\.dot 60 IN TXT "quote \\" and \\092 and \\255"\n\\@at 60 IN A 192.0.2.9\n',
    "generic": "g 60 IN TYPE65280 \\# 4 0A0B0C0D\nh 60 CLASS1 A \\# 4 C0000201\n",
    "include-refused": "$INCLUDE other.zone\n",
    "bom": "\ufeff@ 60 IN A 192.0.2.1\n",
    "crlf": "@ 60 IN A 192.0.2.1\r\nwww 60 IN CNAME @\r\n",
    "alias": "@ 60 IN ALIAS lb.cdn.test.\nshop 60 IN ALIAS lb.cdn.test.\n",
    "mixed-types": """mx 60 IN MX 10 mail
srv 60 IN SRV 0 5 443 host
caa 60 IN CAA 128 iodef "mailto:x@example.com"
naptr 60 IN NAPTR 10 20 "U" "E2U+sip" "!^.*$!sip:x@example.com!" .
sshfp 60 IN SSHFP 4 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
tlsa 60 IN TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
svc 60 IN HTTPS 1 . alpn="h2,h3" ech=AEX+DQBBpAAgACCBAGq0GAkHzh0MwWs7ao5TrvuJUwM+8HM+LUVF+mMrdQAEAAEAAQASY2xvdWRmbGFyZS1lY2guY29tAAA=
svcb 60 IN SVCB 2 svc mandatory=port port=8443 ipv4hint=192.0.2.1,192.0.2.2
hinfo 60 IN HINFO "x86" "linux"
ptr 60 IN PTR host
ds 60 IN DS 1 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
""",
    "wildcard": "* 60 IN A 192.0.2.1\n*.sub 60 IN TXT wild\n",
    "comment-only": "; nothing here\n\n   ; still nothing\n",
    "class-first": "www IN 60 A 192.0.2.1\n",
    "long-txt": "t 60 IN TXT " + " ".join(['"' + "x" * 255 + '"'] * 3) + "\n",
    "unbalanced": "@ 60 IN SOA ns h ( 1 2 3 4\n",
    "bad-ip": "www 60 IN A 192.0.2.256\n",
}

RDATA_LINES = {
    "a": "A 192.0.2.1",
    "aaaa": "AAAA 2001:db8::1",
    "aaaa-v4": "AAAA ::ffff:192.0.2.1",
    "ns": "NS ns1",
    "cname": "CNAME www.example.org.",
    "soa": "SOA ns1 hostmaster 2024010101 2h 1h 1w 300",
    "mx": "MX 10 mail.example.com.",
    "txt": 'TXT "v=spf1 -all" "second \\"string\\"" unquoted',
    "txt-escapes": 'TXT "\\000\\255\\\\"',
    "srv": "SRV 10 60 5060 sip",
    "caa": 'CAA 0 issue "letsencrypt.org"',
    "caa-flag": 'CAA 128 tbs "Unknown"',
    "ptr": "PTR host.example.com.",
    "hinfo": 'HINFO "INTEL-386" "Unix"',
    "naptr": 'NAPTR 100 50 "s" "http+I2L+I2C+I2R" "" _http._tcp.example.com.',
    "dname": "DNAME example.net.",
    "ds": "DS 60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118",
    "sshfp": "SSHFP 1 1 dd465c09cfa51fb45020cc83316fff21b9ec74ac",
    "tlsa": "TLSA 3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6",
    "dnskey": "DNSKEY 257 3 13 " + base64.b64encode(hashlib.sha512(b"k").digest()).decode(),
    "rrsig": "RRSIG A 13 3 300 20300101000000 20200101000000 12345 example.com. "
             + base64.b64encode(hashlib.sha512(b"s").digest()).decode(),
    "nsec": "NSEC host.example.com. A MX RRSIG NSEC TYPE1234",
    "nsec3": "NSEC3 1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS SOA NSEC3PARAM RRSIG",
    "nsec3-empty": "NSEC3 1 0 0 - k8udemvp1j2f7eg6jebps17vp3n8i58h",
    "nsec3param": "NSEC3PARAM 1 0 0 -",
    "cds-delete": "CDS 0 0 0 00",
    "cdnskey": "CDNSKEY 257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=",
    "svcb": "SVCB 1 svc.example.com. alpn=h2,h3 port=8443 ipv4hint=192.0.2.1 ipv6hint=2001:db8::1",
    "svcb-alias": "SVCB 0 target.example.com.",
    "https-mandatory": 'HTTPS 1 . mandatory=alpn,port alpn="h3" port=443 no-default-alpn',
    "https-key": "HTTPS 1 . key65000=abc key65001",
    "alias": "ALIAS lb.cdn.test.",
    "generic": "TYPE65280 \\# 4 0a0b0c0d",
    "generic-known": "A \\# 4 c0000201",
    "generic-empty": "TYPE65281 \\# 0",
}


def main():
    for name, wire in queries():
        write("responder", name, wire)
    for name, wire in transfers():
        write("transfer_request", name, wire)
    for name, wire in responses():
        write("message_decoder", name, wire)
    for name, wire in queries():
        write("message_decoder", "query-" + name, wire)
    for name, wire in differences():
        write("zone_difference", name, wire)
    for name, text in ZONE_SNIPPETS.items():
        write("master_file_reader", name, text)
    fixed = (pathlib.Path(__file__).resolve().parent / "fuzz_zones.hpp").read_text()
    write("master_file_reader", "fixed-zone", fixed.split('R"(')[1].split(')"')[0])
    for name, text in RDATA_LINES.items():
        write("rdata_text", name, text)


if __name__ == "__main__":
    main()
