// Specification of what the per-query metrics read from the octets: QTYPE from the request's
// question, RCODE and TC from the response header, with malformed input classed as "other".
#include "server/query_class.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "server/query_metrics.hpp"
#include "tests/zones/answer_fixture.hpp"
#include "zones/alias_table.hpp"
#include "zones/responder.hpp"

using namespace apex;
using namespace apex::server;
using namespace apex::test;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes query(const char* name, std::uint16_t type) {
  Bytes b{0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
  auto n = Name::from_text(name);
  b.insert(b.end(), n->wire().begin(), n->wire().end());
  b.insert(b.end(), {static_cast<std::uint8_t>(type >> 8), static_cast<std::uint8_t>(type), 0, 1});
  return b;
}

struct Served {
  ZoneIndexPtr index = ZoneIndex::from_zones({zone_from_text("example.com.", [] {
    std::string text =
        "$TTL 300\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n  IN NS ns1\n"
        "ns1 IN A 192.0.2.1\n";
    for (int i = 0; i < 40; ++i) text += "big IN TXT \"record number " + std::to_string(i) + "\"\n";
    return text;
  }())});
  AliasTable aliases;
  Responder responder;
  Bytes out = Bytes(kMaxMessageSize);

  Bytes respond(const Bytes& request) {
    std::size_t n = responder.respond(*index, aliases, request, Transport::kUdp, out);
    return Bytes(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n));
  }
};

}  // namespace

TEST_CASE("the QTYPE of the first question names the type counted") {
  CHECK(qtype_class(query("www.example.com.", 1)) == QtypeClass::kA);
  CHECK(qtype_class(query("www.example.com.", 28)) == QtypeClass::kAAAA);
  CHECK(qtype_class(query("example.com.", 65)) == QtypeClass::kHTTPS);
  CHECK(qtype_class(query("example.com.", 64)) == QtypeClass::kSVCB);
  CHECK(qtype_class(query("example.com.", 257)) == QtypeClass::kCAA);
  CHECK(qtype_class(query("example.com.", 252)) == QtypeClass::kAXFR);
  CHECK(qtype_class(query("example.com.", 251)) == QtypeClass::kIXFR);
  CHECK(qtype_class(query(".", 2)) == QtypeClass::kNS);
  // Types outside the list are counted together.
  CHECK(qtype_class(query("example.com.", 99)) == QtypeClass::kOther);
  CHECK(kQtypeNames[static_cast<std::size_t>(QtypeClass::kDNSKEY)] == "DNSKEY");
}

TEST_CASE("a question that is missing or runs past the octets is counted as other") {
  const Bytes a = query("www.example.com.", 1);
  CHECK(qtype_class({}) == QtypeClass::kOther);
  CHECK(qtype_class(Bytes(a.begin(), a.begin() + 11)) == QtypeClass::kOther);  // short header
  Bytes no_question = a;
  no_question[5] = 0;  // QDCOUNT 0
  CHECK(qtype_class(no_question) == QtypeClass::kOther);
  // Cut inside the name, and cut inside QTYPE.
  CHECK(qtype_class(Bytes(a.begin(), a.begin() + 16)) == QtypeClass::kOther);
  CHECK(qtype_class(Bytes(a.end() - 4, a.end())) == QtypeClass::kOther);
  CHECK(qtype_class(Bytes(a.begin(), a.end() - 3)) == QtypeClass::kOther);
  // A label length pointing past the end.
  Bytes overlong = Bytes(a.begin(), a.begin() + 12);
  overlong.push_back(63);
  overlong.insert(overlong.end(), 5, 'x');
  CHECK(qtype_class(overlong) == QtypeClass::kOther);
  // Reserved label types (0x40, 0x80) end the reading.
  Bytes reserved = a;
  reserved[12] = 0x40;
  CHECK(qtype_class(reserved) == QtypeClass::kOther);
}

TEST_CASE("a compression pointer ends the question's name") {
  Bytes b{0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 0x0C, 0, 15, 0, 1};
  CHECK(qtype_class(b) == QtypeClass::kMX);
}

TEST_CASE_FIXTURE(Served, "RCODE and TC come from the responder's own responses") {
  CHECK(response_class(respond(query("ns1.example.com.", 1))).rcode == RcodeClass::kNoError);
  CHECK(response_class(respond(query("nope.example.com.", 1))).rcode == RcodeClass::kNxDomain);
  CHECK(response_class(respond(query("example.org.", 1))).rcode == RcodeClass::kRefused);
  Bytes bad = query("ns1.example.com.", 1);
  bad.push_back(7);  // trailing garbage
  CHECK(response_class(respond(bad)).rcode == RcodeClass::kFormErr);
  const ResponseClass big = response_class(respond(query("big.example.com.", 16)));
  CHECK(big.truncated);  // 40 TXT records do not fit 512 octets without EDNS
  CHECK_FALSE(response_class(respond(query("ns1.example.com.", 1))).truncated);
}

TEST_CASE("RCODEs outside the list, and headers cut short, are counted as other") {
  Bytes header(12, 0);
  header[3] = 9;
  CHECK(response_class(header).rcode == RcodeClass::kNotAuth);
  header[3] = 4;
  CHECK(response_class(header).rcode == RcodeClass::kNotImp);
  header[3] = 10;  // NOTZONE
  CHECK(response_class(header).rcode == RcodeClass::kOther);
  header[3] = 0xF2;  // the high nibble is Z/AD/CD, not RCODE
  CHECK(response_class(header).rcode == RcodeClass::kServFail);
  CHECK(response_class(Bytes(11, 0)).rcode == RcodeClass::kOther);
  CHECK(kRcodeNames[static_cast<std::size_t>(RcodeClass::kServFail)] == "SERVFAIL");
}

TEST_CASE("a worker's counters add up what it received and answered") {
  QueryMetrics metrics;
  const Bytes response = [] {
    Bytes r(100, 0);
    r[2] = 0x82;  // QR, TC
    r[3] = 3;     // NXDOMAIN
    return r;
  }();
  metrics.received(Transport::kUdp, Family::kIpv4, query("a.example.", 1));
  metrics.received(Transport::kTcp, Family::kIpv6, query("a.example.", 28));
  metrics.received(Transport::kUdp, Family::kIpv4, Bytes{1, 2, 3});
  metrics.answered(response, std::chrono::microseconds(30));
  metrics.answered(Bytes(12, 0), std::chrono::seconds(2));
  metrics.dropped();
  const QueryTotals t = metrics.read();
  CHECK(t.queries[0][0] == 2);  // UDP, IPv4
  CHECK(t.queries[1][1] == 1);  // TCP, IPv6
  CHECK(t.queries[0][1] == 0);
  CHECK(t.by_type[static_cast<std::size_t>(QtypeClass::kA)] == 1);
  CHECK(t.by_type[static_cast<std::size_t>(QtypeClass::kAAAA)] == 1);
  CHECK(t.by_type[static_cast<std::size_t>(QtypeClass::kOther)] == 1);
  CHECK(t.responses[static_cast<std::size_t>(RcodeClass::kNxDomain)] == 1);
  CHECK(t.responses[static_cast<std::size_t>(RcodeClass::kNoError)] == 1);
  CHECK(t.truncated == 1);
  CHECK(t.dropped == 1);
  CHECK(t.malformed == 0);
  // 30 µs falls in the 50 µs bucket, 2 s above every bound.
  REQUIRE(t.duration.counts.size() == kDurationBoundsNs.size() + 1);
  CHECK(t.duration.counts[2] == 1);
  CHECK(t.duration.counts.back() == 1);
  CHECK(t.duration.sum == doctest::Approx(2.00003));
  // 100 octets in the 128 bucket, 12 in the 64 bucket.
  CHECK(t.size.counts[0] == 1);
  CHECK(t.size.counts[1] == 1);
  CHECK(t.size.sum == 112);
  QueryTotals twice = t;
  twice.add(t);
  CHECK(twice.queries[0][0] == 4);
  CHECK(twice.size.count() == 4);
}
