// Specification of the snapshot apexd serves for a stored zone: unsigned without an active
// key; with one, signed as it is built (DNSKEY, RRSIGs over the policy's window, the NSEC or
// NSEC3 chain), and refused rather than served unsigned when it cannot be signed.
#include "storage/served_zone.hpp"

#include <doctest/doctest.h>

#include <ctime>

#include "zones/master_file.hpp"
#include "zones/signing_key.hpp"
#include "zones/wire_reader.hpp"

namespace apex::storage {
namespace {

constexpr const char* kZone = R"(
@        3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 300
@        3600 IN NS  ns1
ns1      3600 IN A   192.0.2.1
www      300  IN A   192.0.2.80
shop     300  IN CNAME www
child    3600 IN NS  ns.child
ns.child 3600 IN A   192.0.2.53
)";

constexpr std::int64_t kNow = 1'700'000'000;

Name apex() {
  return Name::from_text("example.org.").value();
}

std::vector<Record> records(std::string_view text = kZone) {
  auto zone = read_master_text(text, apex());
  REQUIRE_MESSAGE(zone, zone.error());
  return zone->records;
}

ZoneDnssec with_key(const SigningKey& key, DnssecSettings settings = {}) {
  DnssecKeyRow row{key.key_tag(),
                   static_cast<std::uint8_t>(key.algorithm()),
                   key.flags(),
                   key.to_pkcs8(),
                   {key.dnskey_rdata().begin(), key.dnskey_rdata().end()},
                   DnssecKeyState::kActive,
                   kNow};
  return ZoneDnssec{apex(), settings, {row}};
}

SigningKey fresh_key(DnssecAlgorithm algorithm = DnssecAlgorithm::kEcdsaP256Sha256) {
  auto key = SigningKey::generate(algorithm);
  REQUIRE_MESSAGE(key, key.error());
  return std::move(*key);
}

const Node& node(const Zone& zone, const char* owner) {
  const Name key = Name::from_text(owner).value().lowercased();
  const Node* found = zone.find(key.wire_view());
  REQUIRE(found != nullptr);
  return *found;
}

std::uint32_t u32(const std::vector<std::uint8_t>& packed, std::size_t at) {
  return (std::uint32_t{packed[at]} << 24) | (std::uint32_t{packed[at + 1]} << 16) |
         (std::uint32_t{packed[at + 2]} << 8) | packed[at + 3];
}

}  // namespace

TEST_CASE("a zone without an active key is served as stored") {
  SigningKey key = fresh_key();
  ZoneDnssec retired = with_key(key);
  retired.keys[0].state = DnssecKeyState::kRetired;
  for (const ZoneDnssec* dnssec :
       {static_cast<const ZoneDnssec*>(nullptr), static_cast<const ZoneDnssec*>(&retired)}) {
    auto zone = build_served_zone(apex(), records(), dnssec, {}, kNow);
    REQUIRE_MESSAGE(zone, zone.error());
    CHECK((*zone)->record_count() == 7);
    CHECK(node(**zone, "example.org.").find(RRType::DNSKEY) == nullptr);
    CHECK(node(**zone, "example.org.").find(RRType::RRSIG) == nullptr);
  }
}

TEST_CASE("a zone with an active key is served with its DNSKEY, RRSIGs and NSEC chain") {
  SigningKey key = fresh_key();
  const ZoneDnssec dnssec = with_key(key);
  const SigningPolicy policy{7 * 86400, 3600};
  auto zone = build_served_zone(apex(), records(), &dnssec, policy, kNow);
  REQUIRE_MESSAGE(zone, zone.error());
  const Node& top = node(**zone, "example.org.");
  const RRset* dnskey = top.find(RRType::DNSKEY);
  REQUIRE(dnskey != nullptr);
  // RDLENGTH, then the RDATA of the one DNSKEY.
  CHECK(std::vector<std::uint8_t>(dnskey->rdata.begin() + 2, dnskey->rdata.end()) ==
        dnssec.keys[0].dnskey_rdata);
  CHECK(top.find(RRType::NSEC) != nullptr);
  const RRset* rrsig = top.find(RRType::RRSIG);
  REQUIRE(rrsig != nullptr);
  // Each RRSIG: RDLENGTH(2) type(2) algorithm(1) labels(1) original TTL(4) expiration(4)
  // inception(4) key tag(2) … (RFC 4034 §3.1).
  // The expiration less its jitter, up to policy.jitter_fraction of the validity (RFC 6781
  // §4.4.2.3).
  const std::uint32_t expiration = u32(rrsig->rdata, 2 + 8);
  CHECK(expiration <= kNow + 7 * 86400);
  CHECK(expiration > kNow + 7 * 86400 - policy.jitter_fraction * 7 * 86400);
  CHECK(u32(rrsig->rdata, 2 + 12) == kNow - 3600);
  CHECK(((rrsig->rdata[2 + 16] << 8) | rrsig->rdata[2 + 17]) == key.key_tag());
  CHECK(node(**zone, "shop.example.org.").find(RRType::RRSIG) != nullptr);
  // RFC 4035 §2.2: the NS RRset of a delegation and its glue are not signed.
  CHECK(node(**zone, "child.example.org.").find(RRType::RRSIG) != nullptr);  // over its NSEC
  CHECK(node(**zone, "ns.child.example.org.").find(RRType::RRSIG) == nullptr);
}

TEST_CASE("NSEC3 settings give an NSEC3PARAM and no NSEC; Ed25519 keys sign too") {
  SigningKey key = fresh_key(DnssecAlgorithm::kEd25519);
  const ZoneDnssec dnssec = with_key(key, {DenialOfExistence::kNsec3, true});
  auto zone = build_served_zone(apex(), records(), &dnssec, {}, kNow);
  REQUIRE_MESSAGE(zone, zone.error());
  const Node& top = node(**zone, "example.org.");
  const RRset* param = top.find(RRType::NSEC3PARAM);
  REQUIRE(param != nullptr);
  // Hash 1, flags 0 (opt-out is an NSEC3 flag, not an NSEC3PARAM one), 0 iterations, no salt
  // (RFC 9276 §3.1).
  CHECK(std::vector<std::uint8_t>(param->rdata.begin() + 2, param->rdata.end()) ==
        std::vector<std::uint8_t>{1, 0, 0, 0, 0});
  CHECK(top.find(RRType::NSEC) == nullptr);
}

TEST_CASE("the signature window is now - backdate .. now + validity, modulo 2^32") {
  const SigningPolicy policy{14 * 86400, 3600};
  CHECK(signature_validity(policy, kNow).inception == kNow - 3600);
  CHECK(signature_validity(policy, kNow).expiration == kNow + 14 * 86400);
  // RFC 4034 §3.1.5: past 2106 the fields wrap.
  const std::int64_t later = (std::int64_t{1} << 32) + 100;
  CHECK(signature_validity(policy, later).inception == static_cast<std::uint32_t>(100 - 3600));
  CHECK(signature_validity(policy, later).expiration == 100 + 14 * 86400);
}

TEST_CASE("a zone that breaks the rules is refused with the rule's message, key or not") {
  SigningKey key = fresh_key();
  const ZoneDnssec dnssec = with_key(key);
  auto bad = records(std::string(kZone) + "www 300 IN CNAME shop\n");
  auto plain = build_served_zone(apex(), bad, nullptr, {}, kNow);
  auto signed_zone = build_served_zone(apex(), bad, &dnssec, {}, kNow);
  REQUIRE_FALSE(plain);
  REQUIRE_FALSE(signed_zone);
  CHECK(signed_zone.error() == plain.error());
}

TEST_CASE("a signed zone that cannot be signed is refused, never served unsigned") {
  SigningKey key = fresh_key();
  SUBCASE("an ALIAS record") {
    const ZoneDnssec dnssec = with_key(key);
    auto zone = build_served_zone(
        apex(), records(std::string(kZone) + "cdn 300 IN ALIAS edge.cdn.example.\n"), &dnssec, {},
        kNow);
    REQUIRE_FALSE(zone);
    CHECK(zone.error() == "not signed: cdn.example.org.: ALIAS is not flattened");
  }
  SUBCASE("a private key that does not publish the stored DNSKEY") {
    ZoneDnssec dnssec = with_key(key);
    dnssec.keys[0].private_key = fresh_key().to_pkcs8();
    auto zone = build_served_zone(apex(), records(), &dnssec, {}, kNow);
    REQUIRE_FALSE(zone);
    CHECK(zone.error() == "DNSSEC key " + std::to_string(key.key_tag()) +
                              ": the private key does not match its stored DNSKEY");
  }
  SUBCASE("a private key that does not parse") {
    ZoneDnssec dnssec = with_key(key);
    dnssec.keys[0].private_key = {0x30, 0x00};
    CHECK_FALSE(build_served_zone(apex(), records(), &dnssec, {}, kNow));
  }
}

}  // namespace apex::storage
