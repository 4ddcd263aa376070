// Specification of the snapshot apexd serves for a stored zone: unsigned without an active
// key; with one, signed as it is built (DNSKEY, RRSIGs over the policy's window, the NSEC or
// NSEC3 chain), and refused rather than served unsigned when it cannot be signed.
#include "storage/served_zone.hpp"

#include <doctest/doctest.h>

#include <ctime>
#include <set>

#include "zones/ds_record.hpp"
#include "zones/master_file.hpp"
#include "zones/rdata.hpp"
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

// Settings with this denial of existence, the rest as stored by default.
DnssecSettings denial(DenialOfExistence how, bool opt_out) {
  DnssecSettings settings;
  settings.denial = how;
  settings.nsec3_opt_out = opt_out;
  return settings;
}

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
                   kNow,
                   KeyTimes{kNow, kNow, {}, {}}};
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
  const ZoneDnssec dnssec = with_key(key, denial(DenialOfExistence::kNsec3, true));
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

TEST_CASE("a signed zone holds what its ALIAS owners serve, signed; the ALIAS stays unsigned") {
  SigningKey key = fresh_key();
  const ZoneDnssec dnssec = with_key(key);
  const auto zone_records = records(std::string(kZone) + "cdn 300 IN ALIAS edge.cdn.example.\n");
  const auto nsec_at_cdn = [](const Zone& zone) {
    const RRset* nsec = node(zone, "cdn.example.org.").find(RRType::NSEC);
    REQUIRE(nsec != nullptr);
    return rdata_to_text(RRType::NSEC, {nsec->rdata.begin() + 2, nsec->rdata.end()});
  };
  SUBCASE("A published, AAAA NODATA: the A is signed with the TTL served, the bitmap lists A") {
    const std::vector<std::vector<std::uint8_t>> a{{198, 51, 100, 7}};
    auto table = AliasTable::build(
        {AliasTargetEntry{Name::from_text("edge.cdn.example.").value(),
                          AliasResult{AliasFamilyResult::with_addresses(RRType::A, 60, a),
                                      AliasFamilyResult::no_data()}}});
    REQUIRE(table);
    auto zone = build_served_zone(apex(), zone_records, &dnssec, {}, kNow, nullptr, table->get());
    REQUIRE_MESSAGE(zone, zone.error());
    const Node& cdn = node(**zone, "cdn.example.org.");
    const RRset* flattened = cdn.find(RRType::A);
    REQUIRE(flattened != nullptr);
    CHECK(flattened->ttl == 60);  // min(ALIAS TTL 300, result TTL 60)
    REQUIRE(flattened->rrsig != nullptr);
    CHECK(u32(flattened->rrsig->rdata, 2 + 4) == 60);  // Original TTL = TTL served
    CHECK(cdn.find(RRType::AAAA) == nullptr);
    REQUIRE(cdn.find(RRType::ALIAS) != nullptr);
    CHECK(cdn.find(RRType::ALIAS)->rrsig == nullptr);
    CHECK(nsec_at_cdn(**zone) == "child.example.org. A RRSIG NSEC");
  }
  SUBCASE("pending (no result yet): no addresses, and no data at the owner to chain") {
    auto zone = build_served_zone(apex(), zone_records, &dnssec, {}, kNow);
    REQUIRE_MESSAGE(zone, zone.error());
    const Node& cdn = node(**zone, "cdn.example.org.");
    CHECK(cdn.find(RRType::A) == nullptr);
    CHECK(cdn.find(RRType::NSEC) == nullptr);
    REQUIRE(cdn.find(RRType::ALIAS) != nullptr);  // still handed to the flattener
  }
}

namespace {

// The RDATAs of an RRset of the snapshot (each after its RDLENGTH).
std::vector<std::vector<std::uint8_t>> rdatas(const RRset& set) {
  std::vector<std::vector<std::uint8_t>> out;
  for (std::size_t at = 0; at + 2 <= set.rdata.size();) {
    const std::size_t length = (std::size_t{set.rdata[at]} << 8) | set.rdata[at + 1];
    out.emplace_back(set.rdata.begin() + static_cast<std::ptrdiff_t>(at + 2),
                     set.rdata.begin() + static_cast<std::ptrdiff_t>(at + 2 + length));
    at += 2 + length;
  }
  return out;
}

// The key tags of the signatures over the RRset (RFC 4034 §3.1: octets 16-17 of each RDATA).
std::multiset<std::uint16_t> signer_tags(const RRset& set) {
  std::multiset<std::uint16_t> tags;
  REQUIRE(set.rrsig != nullptr);
  for (const auto& rdata : rdatas(*set.rrsig))
    tags.insert(static_cast<std::uint16_t>((rdata[16] << 8) | rdata[17]));
  return tags;
}

}  // namespace

TEST_CASE("during a rollover the snapshot follows the key times (RFC 7583 §3.3.1)") {
  SigningKey old_key = fresh_key();
  SigningKey new_key = fresh_key();
  ZoneDnssec dnssec = with_key(old_key);
  dnssec.keys.push_back(with_key(new_key).keys[0]);
  dnssec.keys[0].times = KeyTimes{kNow - 100, kNow - 100, kNow + 10, kNow + 20};
  dnssec.keys[1].times = KeyTimes{kNow, kNow + 10, {}, {}};
  const auto old_tag = old_key.key_tag();
  const auto new_tag = new_key.key_tag();
  const auto ds_of = [&](const SigningKey& key) {
    return ds_rdata(apex(), key.dnskey_rdata()).value();
  };
  struct Step {
    std::int64_t at;
    std::size_t dnskeys;
    std::multiset<std::uint16_t> data_signers;
    std::multiset<std::uint16_t> key_signers;
    const SigningKey* announced;
  };
  for (const Step& step : {Step{kNow - 1, 1, {old_tag}, {old_tag}, &old_key},
                           Step{kNow, 2, {old_tag}, {old_tag}, &old_key},
                           Step{kNow + 10, 2, {new_tag}, {old_tag, new_tag}, &new_key},
                           Step{kNow + 20, 1, {new_tag}, {new_tag}, &new_key}}) {
    CAPTURE(step.at - kNow);
    auto zone = build_served_zone(apex(), records(), &dnssec, {}, step.at);
    REQUIRE_MESSAGE(zone, zone.error());
    const Node& top = node(**zone, "example.org.");
    const RRset* dnskey = top.find(RRType::DNSKEY);
    REQUIRE(dnskey != nullptr);
    CHECK(dnskey->count == step.dnskeys);
    CHECK(dnskey->ttl == 3600);  // the SOA's TTL, at most an hour
    CHECK(signer_tags(*dnskey) == step.key_signers);
    CHECK(signer_tags(*top.find(RRType::SOA)) == step.data_signers);
    CHECK(signer_tags(*node(**zone, "www.example.org.").find(RRType::A)) == step.data_signers);
    const RRset* cds = top.find(RRType::CDS);
    const RRset* cdnskey = top.find(RRType::CDNSKEY);
    REQUIRE(cds != nullptr);
    REQUIRE(cdnskey != nullptr);
    using Rdatas = std::vector<std::vector<std::uint8_t>>;
    CHECK(rdatas(*cds) == Rdatas{ds_of(*step.announced)});
    const auto dnskey_rdata = step.announced->dnskey_rdata();
    CHECK(rdatas(*cdnskey) == Rdatas{{dnskey_rdata.begin(), dnskey_rdata.end()}});
    CHECK(signer_tags(*cds) == step.key_signers);  // RFC 7344 §4.1: by a key the DS names
  }
}

TEST_CASE("going insecure: CDS/CDNSKEY delete records (RFC 8078 §4), still signed") {
  SigningKey key = fresh_key();
  ZoneDnssec dnssec = with_key(key);
  dnssec.settings.delete_since_s = kNow - 5;
  // A CDS the operator stored gives way to the delete records.
  auto zone =
      build_served_zone(apex(),
                        records(std::string(kZone) +
                                "@ 3600 IN CDS 1 13 1 0123456789abcdef0123456789abcdef01234567\n"),
                        &dnssec, {}, kNow);
  REQUIRE_MESSAGE(zone, zone.error());
  const Node& top = node(**zone, "example.org.");
  REQUIRE(top.find(RRType::CDS) != nullptr);
  CHECK(rdatas(*top.find(RRType::CDS)) ==
        std::vector<std::vector<std::uint8_t>>{{0, 0, 0, 0, 0}});  // "0 0 0 00"
  CHECK(rdatas(*top.find(RRType::CDNSKEY)) ==
        std::vector<std::vector<std::uint8_t>>{{0, 0, 3, 0, 0}});  // "0 3 0 AA=="
  CHECK(signer_tags(*top.find(RRType::CDS)) == std::multiset<std::uint16_t>{key.key_tag()});
  CHECK(top.find(RRType::DNSKEY) != nullptr);
}

TEST_CASE("a key not yet published or already removed signs nothing") {
  SigningKey key = fresh_key();
  ZoneDnssec dnssec = with_key(key);
  dnssec.keys[0].times = KeyTimes{kNow + 1, kNow + 1, {}, {}};
  auto early = build_served_zone(apex(), records(), &dnssec, {}, kNow);
  REQUIRE_MESSAGE(early, early.error());
  CHECK(node(**early, "example.org.").find(RRType::DNSKEY) == nullptr);
  dnssec.keys[0].times = KeyTimes{kNow - 10, kNow - 10, kNow - 5, kNow - 1};
  auto late = build_served_zone(apex(), records(), &dnssec, {}, kNow);
  REQUIRE_MESSAGE(late, late.error());
  CHECK(node(**late, "example.org.").find(RRType::RRSIG) == nullptr);
}

}  // namespace apex::storage
