// Specification of the canonical form of RRsets (RFC 4034 §6.2, §6.3, RFC 6840 §5.1):
// which embedded names are lower-cased, and the order and uniqueness of the RDATA.
#include "zones/canonical_rrset.hpp"

#include <doctest/doctest.h>

#include "tests/zones/dnssec_vectors.hpp"

using namespace apex;
using namespace apex::test;

TEST_CASE("names inside the RDATA of the RFC 4034 §6.2 types are lower-cased") {
  CHECK(canonical_rdata(RRType::MX, rdata(RRType::MX, "10 MAIL.Example.COM.")) ==
        rdata(RRType::MX, "10 mail.example.com."));
  CHECK(canonical_rdata(RRType::SOA, rdata(RRType::SOA, "NS.Ex. Host.Ex. 1 2 3 4 5")) ==
        rdata(RRType::SOA, "ns.ex. host.ex. 1 2 3 4 5"));
  CHECK(canonical_rdata(RRType::SRV, rdata(RRType::SRV, "1 2 3 Target.Ex.")) ==
        rdata(RRType::SRV, "1 2 3 target.ex."));
  CHECK(
      canonical_rdata(RRType::NAPTR, rdata(RRType::NAPTR, "1 2 \"U\" \"E2U+sip\" \"\" Rep.Ex.")) ==
      rdata(RRType::NAPTR, "1 2 \"U\" \"E2U+sip\" \"\" rep.ex."));
  CHECK(canonical_rdata(RRType::CNAME, rdata(RRType::CNAME, "WWW.Ex.")) ==
        rdata(RRType::CNAME, "www.ex."));
  CHECK(
      canonical_rdata(RRType::RRSIG,
                      rdata(RRType::RRSIG, "A 13 2 60 20300101000000 20200101000000 1 EX. AAAA")) ==
      rdata(RRType::RRSIG, "A 13 2 60 20300101000000 20200101000000 1 ex. AAAA"));
  // RT (21), which apexdns keeps as opaque RDATA: preference 1, then "A.B." in wire form.
  const std::vector<std::uint8_t> rt{0, 1, 1, 'A', 1, 'B', 0};
  CHECK(canonical_rdata(static_cast<RRType>(21), rt) ==
        std::vector<std::uint8_t>{0, 1, 1, 'a', 1, 'b', 0});
}

TEST_CASE("other RDATA keeps its case: NSEC (RFC 6840 §5.1), TXT, SVCB targets") {
  for (auto [type, text] :
       {std::pair{RRType::NSEC, "Host.Example. A"}, std::pair{RRType::TXT, "\"MiXeD\""},
        std::pair{RRType::HTTPS, "1 CDN.Example."}}) {
    auto octets = rdata(type, text);
    CHECK(canonical_rdata(type, octets) == octets);
  }
}

TEST_CASE("RRset RDATA is sorted as octet strings and duplicates are removed (§6.3)") {
  std::vector<std::vector<std::uint8_t>> set{rdata(RRType::A, "192.0.2.10"),
                                             rdata(RRType::A, "192.0.2.9"),
                                             rdata(RRType::A, "192.0.2.10")};
  auto canonical = canonical_rdata_set(RRType::A, set);
  CHECK(canonical == std::vector<std::vector<std::uint8_t>>{rdata(RRType::A, "192.0.2.9"),
                                                            rdata(RRType::A, "192.0.2.10")});
  // A shorter RDATA that is a prefix of another sorts first; names that differ only in case
  // are one RR.
  std::vector<std::vector<std::uint8_t>> names{
      rdata(RRType::NS, "ab.ex."), rdata(RRType::NS, "A.ex."), rdata(RRType::NS, "a.ex.")};
  CHECK(canonical_rdata_set(RRType::NS, names) ==
        std::vector<std::vector<std::uint8_t>>{rdata(RRType::NS, "a.ex."),
                                               rdata(RRType::NS, "ab.ex.")});
}
