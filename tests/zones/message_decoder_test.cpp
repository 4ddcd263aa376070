// Specification of the general message decoder (RFC 1035 §4.1, §4.1.4; RFC 6891 §6.1): what
// a well-formed response decodes to, and that every malformation is an error, never a crash.
#include <doctest/doctest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "zones/message_decoder.hpp"

using namespace apex;

namespace {

using Bytes = std::vector<std::uint8_t>;

void append(Bytes& b, std::initializer_list<std::uint8_t> more) {
  b.insert(b.end(), more);
}
void append(Bytes& b, const Bytes& more) {
  b.insert(b.end(), more.begin(), more.end());
}
void append_u16(Bytes& b, std::uint16_t v) {
  append(b, {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)});
}
void append_u32(Bytes& b, std::uint32_t v) {
  append_u16(b, static_cast<std::uint16_t>(v >> 16));
  append_u16(b, static_cast<std::uint16_t>(v));
}

Bytes header(std::uint16_t flags, std::uint16_t qd, std::uint16_t an, std::uint16_t ns,
             std::uint16_t ar) {
  Bytes b = {0xBE, 0xEF};
  for (std::uint16_t v : {flags, qd, an, ns, ar}) append_u16(b, v);
  return b;
}

Bytes wire(const char* text) {
  const Name name = *Name::from_text(text);
  return Bytes(name.wire().begin(), name.wire().end());
}

Bytes pointer(std::uint16_t offset) {
  return {static_cast<std::uint8_t>(0xC0 | offset >> 8), static_cast<std::uint8_t>(offset)};
}

// Type, class IN, TTL, then RDLENGTH and RDATA.
void append_rr_tail(Bytes& b, RRType type, std::uint32_t ttl, const Bytes& rdata) {
  append_u16(b, static_cast<std::uint16_t>(type));
  append_u16(b, 1);
  append_u32(b, ttl);
  append_u16(b, static_cast<std::uint16_t>(rdata.size()));
  append(b, rdata);
}

// OPT: payload in CLASS, extended RCODE / version / DO in TTL (RFC 6891 §6.1.2).
void append_opt(Bytes& b, std::uint16_t payload, std::uint8_t ext_rcode, std::uint8_t version,
                const Bytes& options = {}) {
  append(b, {0, 0, 41});
  append_u16(b, payload);
  append(b, {ext_rcode, version, 0x80, 0});
  append_u16(b, static_cast<std::uint16_t>(options.size()));
  append(b, options);
}

constexpr std::size_t kQname = 12;    // "www.example." in the question
constexpr std::size_t kExample = 16;  // its "example." suffix

// A recursive resolver's answer with compression everywhere it is allowed:
//   www.example. CNAME web.example. ; web.example. A 192.0.2.1
//   example. NS ns1.example.        ; ns1.example. A 192.0.2.53 ; OPT 1232
Bytes compressed_response() {
  Bytes b = header(0x8180, 1, 2, 1, 2);
  append(b, wire("www.example."));  // offset 12
  append(b, {0, 1, 0, 1});
  append(b, pointer(kQname));  // offset 29
  Bytes cname = {3, 'w', 'e', 'b'};
  append(cname, pointer(kExample));
  append_rr_tail(b, RRType::CNAME, 300, cname);  // CNAME RDATA at offset 41
  append(b, pointer(41));
  append_rr_tail(b, RRType::A, 60, {192, 0, 2, 1});
  append(b, pointer(kExample));
  Bytes ns = {3, 'n', 's', '1'};
  append(ns, pointer(kExample));
  append_rr_tail(b, RRType::NS, 3600, ns);
  const std::size_t ns_rdata = b.size() - ns.size();
  append(b, pointer(static_cast<std::uint16_t>(ns_rdata)));
  append_rr_tail(b, RRType::A, 3600, {192, 0, 2, 53});
  append_opt(b, 1232, 0, 0);
  return b;
}

Bytes rdata_of(const char* text) {
  return wire(text);
}

}  // namespace

TEST_CASE("a compressed response decodes to uncompressed names and canonical RDATA") {
  auto m = decode_message(compressed_response());
  REQUIRE_MESSAGE(m.ok(), m.error());
  CHECK(m->id == 0xBEEF);
  CHECK(m->is_response());
  CHECK_FALSE(m->truncated());
  CHECK(m->opcode() == 0);
  CHECK(m->rcode() == Rcode::NoError);
  REQUIRE(m->questions.size() == 1);
  CHECK(m->questions[0].qname == *Name::from_text("www.example."));
  CHECK(m->questions[0].qtype == RRType::A);
  CHECK(m->questions[0].qclass == RRClass::IN);

  REQUIRE(m->answer.size() == 2);
  CHECK(m->answer[0].owner == *Name::from_text("www.example."));
  CHECK(m->answer[0].type == RRType::CNAME);
  CHECK(m->answer[0].ttl == 300);
  CHECK(m->answer[0].rdata == rdata_of("web.example."));
  CHECK(m->answer[1].owner == *Name::from_text("web.example."));
  CHECK(m->answer[1].rdata == Bytes{192, 0, 2, 1});

  REQUIRE(m->authority.size() == 1);
  CHECK(m->authority[0].owner == *Name::from_text("example."));
  CHECK(m->authority[0].rdata == rdata_of("ns1.example."));
  REQUIRE(m->additional.size() == 1);  // the OPT is not a record
  CHECK(m->additional[0].owner == *Name::from_text("ns1.example."));

  REQUIRE(m->opt.has_value());
  CHECK(m->opt->udp_payload == 1232);
  CHECK(m->opt->version == 0);
  CHECK(m->opt->dnssec_ok);
  CHECK(m->opt->options.empty());
}

TEST_CASE("RDATA names of MX, SOA, SRV, PTR, DNAME and NAPTR are decompressed; others copied") {
  Bytes b = header(0x8400, 1, 7, 0, 0);
  append(b, wire("example."));  // offset 12
  append(b, {0, 255, 0, 1});
  auto add = [&](RRType type, Bytes rdata) {
    append(b, pointer(kQname));
    append_rr_tail(b, type, 3600, rdata);
  };
  Bytes mx = {0, 10, 4, 'm', 'a', 'i', 'l'};
  append(mx, pointer(kQname));
  add(RRType::MX, mx);
  Bytes soa = {2, 'n', 's'};
  append(soa, pointer(kQname));
  append(soa, {5, 'a', 'd', 'm', 'i', 'n'});
  append(soa, pointer(kQname));
  for (std::uint32_t v : {2024010101u, 7200u, 3600u, 1209600u, 300u}) append_u32(soa, v);
  add(RRType::SOA, soa);
  Bytes srv = {0, 1, 0, 2, 0x01, 0xBB, 3, 's', 'r', 'v'};
  append(srv, pointer(kQname));
  add(RRType::SRV, srv);
  add(RRType::PTR, pointer(kQname));
  add(RRType::DNAME, pointer(kQname));
  Bytes naptr = {0, 100, 0, 10, 1, 'U', 7, 'E', '2', 'U', '+', 's', 'i', 'p', 0};
  append(naptr, pointer(kQname));
  add(RRType::NAPTR, naptr);
  // A TXT whose octets look like a pointer is opaque data: copied as it is.
  add(RRType::TXT, {2, 0xC0, 0x0C});

  auto m = decode_message(b);
  REQUIRE_MESSAGE(m.ok(), m.error());
  REQUIRE(m->answer.size() == 7);
  Bytes mx_wire = {0, 10};
  append(mx_wire, wire("mail.example."));
  CHECK(m->answer[0].rdata == mx_wire);
  Bytes soa_wire = wire("ns.example.");
  append(soa_wire, wire("admin.example."));
  for (std::uint32_t v : {2024010101u, 7200u, 3600u, 1209600u, 300u}) append_u32(soa_wire, v);
  CHECK(m->answer[1].rdata == soa_wire);
  Bytes srv_wire = {0, 1, 0, 2, 0x01, 0xBB};
  append(srv_wire, wire("srv.example."));
  CHECK(m->answer[2].rdata == srv_wire);
  CHECK(m->answer[3].rdata == wire("example."));
  CHECK(m->answer[4].rdata == wire("example."));
  Bytes naptr_wire = {0, 100, 0, 10, 1, 'U', 7, 'E', '2', 'U', '+', 's', 'i', 'p', 0};
  append(naptr_wire, wire("example."));
  CHECK(m->answer[5].rdata == naptr_wire);
  CHECK(m->answer[6].rdata == Bytes{2, 0xC0, 0x0C});
}

TEST_CASE("the OPT extends the RCODE (RFC 6891 §6.1.3)") {
  Bytes b = header(0x8000, 0, 0, 0, 1);
  append_opt(b, 512, 1, 0, {0, 10, 0, 2, 0xAB, 0xCD});  // BADVERS = 16 = 1 << 4 | 0
  auto m = decode_message(b);
  REQUIRE_MESSAGE(m.ok(), m.error());
  CHECK(m->rcode() == Rcode::BadVers);
  CHECK(m->opt->options == Bytes{0, 10, 0, 2, 0xAB, 0xCD});
  CHECK(m->opt->extended_rcode == 1);
}

TEST_CASE("without an OPT the RCODE is the header's four bits") {
  Bytes b = header(0x8183, 0, 0, 0, 0);
  auto m = decode_message(b);
  REQUIRE(m.ok());
  CHECK(m->rcode() == Rcode::NXDomain);
  CHECK_FALSE(m->opt.has_value());
}

TEST_CASE("a TTL with the top bit set reads as zero (RFC 2181 §8)") {
  Bytes b = header(0x8000, 0, 1, 0, 0);
  append(b, {0});
  append_rr_tail(b, RRType::A, 0x80000001u, {192, 0, 2, 1});
  auto m = decode_message(b);
  REQUIRE(m.ok());
  CHECK(m->answer[0].ttl == 0);
}

TEST_CASE("every truncation of a valid message is an error, not a crash") {
  const Bytes full = compressed_response();
  for (std::size_t n = 0; n < full.size(); ++n) {
    Bytes cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
    CAPTURE(n);
    CHECK_FALSE(decode_message(cut).ok());
  }
}

TEST_CASE("header and question decode even when the sections after them are cut short") {
  Bytes b = compressed_response();
  b[2] |= 0x02;  // TC
  b.resize(40);  // inside the first answer record
  CHECK_FALSE(decode_message(b).ok());
  auto m = decode_header_and_question(b);
  REQUIRE_MESSAGE(m.ok(), m.error());
  CHECK(m->truncated());
  REQUIRE(m->questions.size() == 1);
  CHECK(m->questions[0].qname == *Name::from_text("www.example."));
  CHECK(m->answer.empty());
}

TEST_CASE("compression pointers must point backwards") {
  SUBCASE("a pointer to itself") {
    Bytes b = header(0x8000, 1, 0, 0, 0);
    append(b, pointer(12));
    append(b, {0, 1, 0, 1});
    auto m = decode_message(b);
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().find("backwards") != std::string::npos);
  }
  SUBCASE("a forward pointer") {
    Bytes b = header(0x8000, 1, 0, 0, 0);
    append(b, pointer(18));
    append(b, {0, 1, 0, 1});
    append(b, wire("example."));  // at offset 18: real, but after the pointer
    CHECK_FALSE(decode_header_and_question(b).ok());
  }
  SUBCASE("two pointers pointing at each other") {
    Bytes b = header(0x8000, 1, 1, 0, 0);
    append(b, wire("a."));  // offset 12
    append(b, {0, 1, 0, 1});
    append(b, pointer(19));  // offset 19: points at itself via 21
    append(b, pointer(19));
    append_rr_tail(b, RRType::A, 1, {1, 2, 3, 4});
    CHECK_FALSE(decode_message(b).ok());
  }
  SUBCASE("a label that leads back into the name that points at it") {
    // offset 12: "\1a" then a pointer to 12: would expand to a.a.a.… forever.
    Bytes b = header(0x8000, 1, 0, 0, 0);
    append(b, {1, 'a'});
    append(b, pointer(12));
    append(b, {0, 1, 0, 1});
    CHECK_FALSE(decode_message(b).ok());
  }
  SUBCASE("a pointer into the header") {
    Bytes b = header(0x8000, 1, 0, 0, 0);
    append(b, pointer(4));
    append(b, {0, 1, 0, 1});
    // Offset 4 holds QDCOUNT = 0x00 0x01: a root label, then more. Reading it is in bounds and
    // backwards, so it is only an odd name, never an out-of-bounds read.
    auto m = decode_message(b);
    REQUIRE(m.ok());
    CHECK(m->questions[0].qname.is_root());
  }
}

TEST_CASE("a chain of pointers is bounded") {
  // Pointer pairs inside opaque RDATA, each pointing at the previous pair; the first points at
  // the root name at offset 12. A record owner then points at the last pair.
  auto chain = [](std::size_t pairs) {
    Bytes b = header(0x8000, 1, 2, 0, 0);
    append(b, {0, 0, 1, 0, 1});  // ". A IN" at offset 12
    append(b, {0});              // first record: owner root, opaque RDATA
    Bytes rdata;
    const std::size_t rdata_start = b.size() + 10;  // after type, class, TTL, RDLENGTH
    std::uint16_t previous = 12;
    for (std::size_t i = 0; i < pairs; ++i) {
      append(rdata, pointer(previous));
      previous = static_cast<std::uint16_t>(rdata_start + 2 * i);
    }
    append_rr_tail(b, static_cast<RRType>(65280), 0, rdata);
    append(b, pointer(previous));
    append_rr_tail(b, RRType::A, 0, {1, 2, 3, 4});
    return b;
  };
  auto ok = decode_message(chain(100));
  REQUIRE_MESSAGE(ok.ok(), ok.error());
  CHECK(ok->answer[1].owner.is_root());
  auto bad = decode_message(chain(200));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().find("too many compression pointers") != std::string::npos);
}

TEST_CASE("names longer than 255 octets are rejected, in place or through pointers") {
  const Bytes label63(63, 'x');
  auto label = [&](Bytes& b) {
    b.push_back(63);
    append(b, label63);
  };
  SUBCASE("exactly 255 octets is fine") {
    Bytes b = header(0x8000, 1, 0, 0, 0);
    for (int i = 0; i < 3; ++i) label(b);
    append(b, {61});
    append(b, Bytes(61, 'y'));
    append(b, {0, 0, 1, 0, 1});
    auto m = decode_message(b);
    REQUIRE_MESSAGE(m.ok(), m.error());
    CHECK(m->questions[0].qname.wire_length() == 255);
  }
  SUBCASE("256 octets in place") {
    Bytes b = header(0x8000, 1, 0, 0, 0);
    for (int i = 0; i < 3; ++i) label(b);
    append(b, {62});
    append(b, Bytes(62, 'y'));
    append(b, {0, 0, 1, 0, 1});
    auto m = decode_message(b);
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().find("255") != std::string::npos);
  }
  SUBCASE("over 255 only once a pointer is followed") {
    Bytes b = header(0x8000, 1, 1, 0, 0);
    for (int i = 0; i < 3; ++i) label(b);  // 192 octets + root at offset 12
    append(b, {0, 0, 1, 0, 1});
    label(b);  // 64 more, then the 193-octet suffix: 257
    append(b, pointer(12));
    append_rr_tail(b, RRType::A, 0, {1, 2, 3, 4});
    CHECK_FALSE(decode_message(b).ok());
  }
}

TEST_CASE("RDLENGTH must match the RDATA") {
  SUBCASE("RDLENGTH runs past the end of the message") {
    Bytes b = header(0x8000, 0, 1, 0, 0);
    append(b, {0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 10, 1, 2, 3, 4});
    auto m = decode_message(b);
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().find("RDATA runs past the end") != std::string::npos);
  }
  SUBCASE("a CNAME target running past RDLENGTH") {
    Bytes b = header(0x8000, 0, 2, 0, 0);
    append(b, {0});
    Bytes rdata = wire("target.example.");
    append_rr_tail(b, RRType::CNAME, 0, rdata);
    b[b.size() - rdata.size() - 1] = 5;  // RDLENGTH 5: the name does not fit
    append(b, {0});
    append_rr_tail(b, RRType::A, 0, {1, 2, 3, 4});
    CHECK_FALSE(decode_message(b).ok());
  }
  SUBCASE("octets after the RDATA's last field") {
    Bytes b = header(0x8000, 0, 1, 0, 0);
    append(b, {0});
    Bytes rdata = wire("target.example.");
    rdata.push_back(0xFF);
    append_rr_tail(b, RRType::NS, 0, rdata);
    CHECK_FALSE(decode_message(b).ok());
  }
  SUBCASE("an SOA without its 20 octets of counters") {
    Bytes b = header(0x8000, 0, 1, 0, 0);
    append(b, {0});
    Bytes rdata = {0, 0, 0, 0, 0, 1};
    append_rr_tail(b, RRType::SOA, 0, rdata);
    CHECK_FALSE(decode_message(b).ok());
  }
}

TEST_CASE("OPT rules: additional only, once, owned by the root, options well formed") {
  SUBCASE("two OPTs") {
    Bytes b = header(0x8000, 0, 0, 0, 2);
    append_opt(b, 1232, 0, 0);
    append_opt(b, 1232, 0, 0);
    CHECK_FALSE(decode_message(b).ok());
  }
  SUBCASE("OPT in the answer section") {
    Bytes b = header(0x8000, 0, 1, 0, 0);
    append_opt(b, 1232, 0, 0);
    CHECK_FALSE(decode_message(b).ok());
  }
  SUBCASE("OPT not owned by the root") {
    Bytes b = header(0x8000, 0, 0, 0, 1);
    append(b, {1, 'a'});
    append_opt(b, 1232, 0, 0);
    CHECK_FALSE(decode_message(b).ok());
  }
  SUBCASE("an option running past the RDATA") {
    Bytes b = header(0x8000, 0, 0, 0, 1);
    append_opt(b, 1232, 0, 0, {0, 10, 0, 8, 1, 2});
    CHECK_FALSE(decode_message(b).ok());
  }
}

TEST_CASE("other malformations") {
  SUBCASE("a message shorter than the header") {
    CHECK_FALSE(decode_message(Bytes{1, 2, 3}).ok());
  }
  SUBCASE("octets after the last record") {
    Bytes b = header(0x8000, 0, 0, 0, 0);
    b.push_back(0);
    CHECK_FALSE(decode_message(b).ok());
    CHECK(decode_header_and_question(b).ok());
  }
  SUBCASE("extended label types (0x40, 0x80)") {
    for (std::uint8_t type : {0x40, 0x80}) {
      Bytes b = header(0x8000, 1, 0, 0, 0);
      append(b, {type, 0, 0, 1, 0, 1});
      CHECK_FALSE(decode_message(b).ok());
    }
  }
  SUBCASE("hostile counts with a short packet fail fast") {
    Bytes b = header(0x8000, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF);
    append(b, {0, 0, 1, 0, 1});
    CHECK_FALSE(decode_message(b).ok());
  }
  SUBCASE("a pointer cut short at the end of the packet") {
    Bytes b = header(0x8000, 1, 0, 0, 0);
    b.push_back(0xC0);
    CHECK_FALSE(decode_message(b).ok());
  }
}

TEST_CASE("a query decodes too: the decoder is for any message") {
  Bytes b = header(0x0100, 1, 0, 0, 1);
  append(b, wire("Example.COM."));
  append(b, {0, 28, 0, 1});
  append_opt(b, 4096, 0, 0);
  auto m = decode_message(b);
  REQUIRE(m.ok());
  CHECK_FALSE(m->is_response());
  CHECK(m->questions[0].qtype == RRType::AAAA);
  CHECK(m->questions[0].qname.to_text() == "Example.COM.");  // case preserved
  CHECK(m->opt->udp_payload == 4096);
}

TEST_CASE("names of later types are not decompressed: their RDATA is copied (RFC 3597 §4)") {
  Bytes b = header(0x8400, 1, 1, 0, 0);
  append(b, wire("example."));  // offset 12
  append(b, {0, 64, 0, 1});
  // An SVCB whose octets after the priority look like a pointer to the question name.
  const Bytes svcb = {0, 1, 0xC0, 0x0C};
  append(b, pointer(kQname));
  append_rr_tail(b, RRType::SVCB, 300, svcb);
  auto m = decode_message(b);
  REQUIRE_MESSAGE(m.ok(), m.error());
  REQUIRE(m->answer.size() == 1);
  CHECK(m->answer[0].rdata == svcb);
}
