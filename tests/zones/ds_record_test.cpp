// Specification of DS records made from a DNSKEY (RFC 4034 §5.1.4, RFC 4509): the published
// examples' DS RDATA exactly, and the owner name in canonical (lower-case) form.
#include "zones/ds_record.hpp"

#include <doctest/doctest.h>

#include "tests/zones/dnssec_vectors.hpp"

using namespace apex;
using namespace apex::test;

TEST_CASE("RFC 8080 §6.1 and RFC 6605 §6.1: DS digest type 2 of the published DNSKEYs") {
  for (const auto* example : {&kRfc8080Ed25519, &kRfc8080Ed25519Second, &kRfc6605P256}) {
    auto ds = ds_rdata(name(example->zone), rdata(RRType::DNSKEY, example->dnskey));
    REQUIRE(ds);
    CHECK(*ds == rdata(RRType::DS, example->ds));
  }
}

TEST_CASE("the digest covers the owner in canonical form, whatever its case") {
  auto dnskey = rdata(RRType::DNSKEY, kRfc6605P256.dnskey);
  auto ds = ds_rdata(name("Example.NET."), dnskey);
  REQUIRE(ds);
  CHECK(*ds == rdata(RRType::DS, kRfc6605P256.ds));
}

TEST_CASE("DS as a master-file line, and only SHA-256 is made") {
  auto ds = ds_rdata(name("example.com."), rdata(RRType::DNSKEY, kRfc8080Ed25519.dnskey));
  REQUIRE(ds);
  CHECK(ds_master_line(name("example.com."), 3600, *ds) ==
        "example.com. 3600 IN DS 3613 15 2 "
        "3AA5AB37EFCE57F737FC1627013FEE07BDF241BD10F3B1964AB55C78E79A304B\n");
  CHECK_FALSE(ds_rdata(name("example.com."), rdata(RRType::DNSKEY, kRfc8080Ed25519.dnskey), 1));
  CHECK_FALSE(ds_rdata(name("example.com."), std::vector<std::uint8_t>{1, 1, 3}));
}
