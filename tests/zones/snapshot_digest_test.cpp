// Specification of the snapshot digest: the same zone data gives the same digest however it
// was written; any served difference (a record, a TTL) gives another; the private ALIAS
// type, never served as such, does not count.
#include "zones/snapshot_digest.hpp"

#include <doctest/doctest.h>

#include <algorithm>

#include "zones/master_file.hpp"
#include "zones/zone_builder.hpp"

namespace apex {
namespace {

SnapshotDigest digest_of(const std::string& text) {
  const Name origin = Name::from_text("digest.test.").value();
  auto file = read_master_text(text, origin, "test.zone");
  REQUIRE_MESSAGE(file.ok(), file.error());
  auto zone = build_zone(origin, file->records);
  REQUIRE_MESSAGE(zone.ok(), zone.error());
  auto digest = snapshot_digest(**zone);
  REQUIRE(digest);
  return *digest;
}

const std::string kSoa = "@ 300 IN SOA ns1 host 7 7200 1800 1209600 300\n@ 300 IN NS ns1\n";

}  // namespace

TEST_CASE("the same zone data in any order or case has the same digest") {
  const auto a = digest_of(kSoa +
                           "ns1 300 IN A 192.0.2.1\nwww 60 IN A 192.0.2.2\n"
                           "www 60 IN A 192.0.2.3\nmail 60 IN MX 10 ns1\n");
  const auto b = digest_of("WWW 60 IN A 192.0.2.3\nmail 60 IN MX 10 ns1\n" + kSoa +
                           "www 60 IN A 192.0.2.2\nNs1 300 IN A 192.0.2.1\n");
  CHECK(a == b);
}

TEST_CASE("a record, a TTL or the SOA changed gives another digest") {
  const auto base = digest_of(kSoa + "www 60 IN A 192.0.2.2\n");
  CHECK(base != digest_of(kSoa + "www 60 IN A 192.0.2.9\n"));
  CHECK(base != digest_of(kSoa + "www 61 IN A 192.0.2.2\n"));
  CHECK(base != digest_of(kSoa + "www 60 IN A 192.0.2.2\nwww2 60 IN A 192.0.2.2\n"));
  std::string serial8 = kSoa;
  serial8.replace(serial8.find(" 7 "), 3, " 8 ");
  CHECK(base != digest_of(serial8 + "www 60 IN A 192.0.2.2\n"));
}

TEST_CASE("an ALIAS record, never served as such, does not count") {
  CHECK(digest_of(kSoa + "www 60 IN A 192.0.2.2\n") ==
        digest_of(kSoa + "@ 60 IN ALIAS lb.cdn.test.\nwww 60 IN A 192.0.2.2\n"));
}

}  // namespace apex
