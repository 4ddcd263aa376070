// Specification of the NSEC and NSEC3 chains (RFC 4034 §4, RFC 4035 §2.3, RFC 5155 §7.1):
// canonical order, the last link back to the apex, bitmaps with RRSIG and NSEC, and for
// NSEC3 the chain of RFC 5155 Appendix A's zone with its empty non-terminals and opt-out.
#include "zones/nsec_chain.hpp"

#include <doctest/doctest.h>

#include "tests/zones/dnssec_vectors.hpp"
#include "zones/nsec3_chain.hpp"

using namespace apex;
using namespace apex::test;

namespace {

OwnerTypes owner(std::string_view text, std::vector<RRType> types) {
  return OwnerTypes{name(text), std::move(types)};
}

std::string line(const Record& r) {
  return r.owner.to_text() + " " + rrtype_to_text(r.type) + " " + rdata_to_text(r.type, r.rdata);
}

}  // namespace

TEST_CASE("NSEC: canonical order (the RFC 4034 §6.1 example), the last pointing to the apex") {
  using enum RRType;
  // Given out of order; names of RFC 4034 §6.1, each with one A record but the apex.
  std::vector<OwnerTypes> owners{owner("z.example.", {A}),          owner("\\200.z.example.", {A}),
                                 owner("a.example.", {A}),          owner("Z.a.example.", {A}),
                                 owner("example.", {SOA, NS}),      owner("*.z.example.", {A}),
                                 owner("yljkjljk.a.example.", {A}), owner("zABC.a.EXAMPLE.", {A}),
                                 owner("\\001.z.example.", {A})};
  auto chain = nsec_chain(owners, 300);
  std::vector<std::string> lines;
  for (const auto& r : chain) {
    CHECK(r.ttl == 300);
    lines.push_back(line(r));
  }
  CHECK(lines == std::vector<std::string>{
                     "example. NSEC a.example. NS SOA RRSIG NSEC",
                     "a.example. NSEC yljkjljk.a.example. A RRSIG NSEC",
                     "yljkjljk.a.example. NSEC Z.a.example. A RRSIG NSEC",
                     "Z.a.example. NSEC zABC.a.EXAMPLE. A RRSIG NSEC",
                     "zABC.a.EXAMPLE. NSEC z.example. A RRSIG NSEC",
                     "z.example. NSEC \\001.z.example. A RRSIG NSEC",
                     "\\001.z.example. NSEC *.z.example. A RRSIG NSEC",
                     "*.z.example. NSEC \\200.z.example. A RRSIG NSEC",
                     "\\200.z.example. NSEC example. A RRSIG NSEC",
                 });
}

TEST_CASE("NSEC: a zone of only its apex points to itself") {
  std::vector<OwnerTypes> owners{owner("example.", {RRType::SOA, RRType::NS})};
  auto chain = nsec_chain(owners, 60);
  REQUIRE(chain.size() == 1);
  CHECK(line(chain[0]) == "example. NSEC example. NS SOA RRSIG NSEC");
}

namespace {

// RFC 5155 Appendix A's zone without b.example, which only the RFC's own records show, and
// with c.example as its unsigned delegation.
std::vector<OwnerTypes> rfc5155_zone() {
  using enum RRType;
  return {owner("example.", {NS, SOA, MX, DNSKEY, NSEC3PARAM}),
          owner("a.example.", {NS, DS}),
          owner("ai.example.", {A, HINFO, AAAA}),
          owner("c.example.", {NS}),
          owner("ns1.example.", {A}),
          owner("ns2.example.", {A}),
          owner("*.w.example.", {MX}),
          owner("x.w.example.", {MX}),
          owner("x.y.w.example.", {MX}),
          owner("xx.example.", {A, HINFO, AAAA})};
}

Nsec3Parameters rfc5155_parameters(bool opt_out) {
  Nsec3Parameters p;
  p.iterations = 12;
  p.salt = {0xaa, 0xbb, 0xcc, 0xdd};
  p.opt_out = opt_out;
  return p;
}

}  // namespace

TEST_CASE("NSEC3 with opt-out: RFC 5155 Appendix A's chain, empty non-terminals included") {
  auto chain = nsec3_chain(rfc5155_zone(), name("example."), rfc5155_parameters(true), 3600);
  REQUIRE(chain);
  std::vector<std::string> lines;
  for (const auto& r : *chain) lines.push_back(line(r));
  // Hashes from RFC 5155 Appendix A; w.example and y.w.example are empty non-terminals;
  // c.example, an unsigned delegation, is left out.
  const std::string p = " NSEC3 1 1 12 AABBCCDD ";
  CHECK(lines ==
        std::vector<std::string>{
            "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example." + p +
                "2t7b4g4vsa5smi47k61mv5bv1a22bojr NS SOA MX RRSIG DNSKEY NSEC3PARAM",
            "2t7b4g4vsa5smi47k61mv5bv1a22bojr.example." + p +
                "2vptu5timamqttgl4luu9kg21e0aor3s A RRSIG",
            "2vptu5timamqttgl4luu9kg21e0aor3s.example." + p +
                "35mthgpgcu1qg68fab165klnsnk3dpvl MX RRSIG",
            "35mthgpgcu1qg68fab165klnsnk3dpvl.example." + p +
                "b4um86eghhds6nea196smvmlo4ors995 NS DS RRSIG",
            "b4um86eghhds6nea196smvmlo4ors995.example." + p +
                "gjeqe526plbf1g8mklp59enfd789njgi MX RRSIG",
            "gjeqe526plbf1g8mklp59enfd789njgi.example." + p +
                "ji6neoaepv8b5o6k4ev33abha8ht9fgc A HINFO AAAA RRSIG",
            "ji6neoaepv8b5o6k4ev33abha8ht9fgc.example." + p + "k8udemvp1j2f7eg6jebps17vp3n8i58h",
            "k8udemvp1j2f7eg6jebps17vp3n8i58h.example." + p + "q04jkcevqvmu85r014c7dkba38o0ji5r",
            "q04jkcevqvmu85r014c7dkba38o0ji5r.example." + p +
                "r53bq7cc2uvmubfu5ocmm6pers9tk9en A RRSIG",
            "r53bq7cc2uvmubfu5ocmm6pers9tk9en.example." + p +
                "t644ebqk9bibcna874givr6joj62mlhv MX RRSIG",
            "t644ebqk9bibcna874givr6joj62mlhv.example." + p +
                "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom A HINFO AAAA RRSIG",
        });
}

TEST_CASE("NSEC3 without opt-out: the unsigned delegation is in the chain, NS only") {
  auto chain = nsec3_chain(rfc5155_zone(), name("example."), rfc5155_parameters(false), 3600);
  REQUIRE(chain);
  CHECK(chain->size() == 12);
  int ns_only = 0;
  for (const auto& r : *chain) {
    auto text = rdata_to_text(RRType::NSEC3, r.rdata);
    CHECK(text.starts_with("1 0 12 AABBCCDD "));
    if (text.ends_with(" NS")) ++ns_only;
  }
  CHECK(ns_only == 1);
}

TEST_CASE("NSEC3 with RFC 9276 defaults: no salt, no extra iterations") {
  std::vector<OwnerTypes> owners{owner("example.", {RRType::SOA, RRType::NS})};
  auto chain = nsec3_chain(owners, name("example."), Nsec3Parameters{}, 60);
  REQUIRE(chain);
  REQUIRE(chain->size() == 1);
  const std::string hash = base32hex_encode(nsec3_hash(name("example."), {}, 0));
  CHECK(line((*chain)[0]) == hash + ".example. NSEC3 1 0 0 - " + hash + " NS SOA RRSIG");
}
