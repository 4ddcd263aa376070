// The fixed data fuzz targets answer from: two zones (one delegated below the other) with
// the record kinds the answer engine treats specially, the child signed with NSEC3 and a
// third zone signed with NSEC (DO=1 answers with their proofs), ALIAS results of every
// state, and one TSIG key. Seeds in corpus/ are built against these (tests/fuzz/make_corpus.py).
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "tests/fuzz/fuzz_check.hpp"
#include "tests/zones/sample_aliases.hpp"
#include "zones/alias_table.hpp"
#include "zones/master_file.hpp"
#include "zones/signing_key.hpp"
#include "zones/tsig_key.hpp"
#include "zones/zone_builder.hpp"
#include "zones/zone_index.hpp"
#include "zones/zone_signer.hpp"

namespace apex::fuzz {

// The time every target verifies TSIGs at; the signed seeds were signed at it.
inline constexpr std::uint64_t kFuzzNow = 1'800'000'000;

inline constexpr std::string_view kExampleZone = R"(
$TTL 300
@         IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300
          IN NS ns1
          IN NS ns2.example.net.
          IN MX 10 mail
          IN TXT "v=spf1 -all"
          IN CAA 0 issue "ca.example"
          IN ALIAS lb.cdn.test.
ns1       IN A 192.0.2.1
ns1       IN AAAA 2001:db8::1
mail      IN A 192.0.2.25
www       IN CNAME example.com.
shop      IN ALIAS lb.cdn.test.
v4        IN ALIAS only4.cdn.test.
broken    IN ALIAS broken.cdn.test.
stale     IN ALIAS stale.cdn.test.
backup    IN ALIAS broken.cdn.test.
fresh     IN ALIAS pending.cdn.test.
*.wild    IN A 192.0.2.42
*.wild    IN TXT "wildcard"
chain     IN CNAME www
loop      IN CNAME loop
out       IN CNAME www.example.org.
_sip._tcp IN SRV 10 60 5060 sip
sip       IN AAAA 2001:db8::5060
svc       IN HTTPS 1 . alpn=h2,h3 port=443 ipv4hint=192.0.2.80
legacy    IN DNAME example.net.
sub       IN NS ns.sub
ns.sub    IN A 192.0.2.53
sub       IN DS 12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF
deleg     IN NS ns.example.net.
)";

inline constexpr std::string_view kChildZone = R"(
$TTL 60
@    IN SOA ns hostmaster 7 3600 600 86400 60
     IN NS ns
ns   IN A 192.0.2.53
host IN A 192.0.2.54
)";

inline ZonePtr fixed_zone(std::string_view origin, std::string_view text) {
  auto apex = Name::from_text(origin);
  FUZZ_CHECK(apex.ok());
  auto file = read_master_text(text, *apex, "fuzz.zone");
  FUZZ_CHECK(file.ok());
  auto zone = build_zone(*apex, std::move(file->records));
  FUZZ_CHECK(zone.ok());
  return *zone;
}

inline constexpr std::string_view kSignedZone = R"(
$TTL 300
@        IN SOA ns1 hostmaster 1 7200 3600 1209600 60
         IN NS  ns1
         IN MX  10 mail
ns1      IN A   192.0.2.1
mail     IN A   192.0.2.25
www      IN CNAME mail
dangling IN CNAME nowhere
a.ent    IN TXT "below an empty non-terminal"
*.wild   IN A   192.0.2.42
secure   IN NS  ns.secure
secure   IN DS  12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF
ns.secure IN A  192.0.2.53
bare     IN NS  ns.example.net.
)";

// A zone signed as a snapshot is when published (validity fixed around kFuzzNow).
inline ZonePtr signed_zone(std::string_view origin, std::string_view text,
                           DenialOfExistence denial) {
  auto apex = Name::from_text(origin);
  FUZZ_CHECK(apex.ok());
  auto file = read_master_text(text, *apex, "fuzz.zone");
  FUZZ_CHECK(file.ok());
  static const auto key = SigningKey::generate(DnssecAlgorithm::kEcdsaP256Sha256);
  FUZZ_CHECK(key.ok());
  ZoneSigningOptions options;
  options.denial = denial;
  options.validity = {static_cast<std::uint32_t>(kFuzzNow - 3600),
                      static_cast<std::uint32_t>(kFuzzNow + 14 * 86400)};
  auto records = sign_zone(*apex, std::move(file->records), *key, options);
  FUZZ_CHECK(records.ok());
  auto zone = build_zone(*apex, std::move(*records));
  FUZZ_CHECK(zone.ok());
  return *zone;
}

inline ZoneIndexPtr fixed_index() {
  return ZoneIndex::from_zones(
      {fixed_zone("example.com.", kExampleZone),
       signed_zone("sub.example.com.", kChildZone, DenialOfExistence::kNsec3),
       signed_zone("signed.test.", kSignedZone, DenialOfExistence::kNsec)});
}

// The alias results the unit tests use too (tests/zones/sample_aliases.hpp).
inline AliasTablePtr fixed_aliases() {
  auto table = test::sample_alias_table();
  FUZZ_CHECK(table.ok());
  return *table;
}

// "fuzz-key." hmac-sha256 with the secret "fuzz-secret-fuzz-secret-0123".
inline const TsigKey& fixed_key() {
  static const TsigKey key = [] {
    auto k =
        tsig_key_from_text("fuzz-key.", "hmac-sha256", "ZnV6ei1zZWNyZXQtZnV6ei1zZWNyZXQtMDEyMw==");
    FUZZ_CHECK(k.ok());
    return *k;
  }();
  return key;
}

inline const TsigKeyring& fixed_keyring() {
  static const TsigKeyring keyring = [] {
    auto ring = TsigKeyring::create({fixed_key()});
    FUZZ_CHECK(ring.ok());
    return *ring;
  }();
  return keyring;
}

}  // namespace apex::fuzz
