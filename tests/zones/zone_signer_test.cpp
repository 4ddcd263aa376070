// Specification of signing a whole zone (RFC 4035 §2): what is signed (everything the zone
// is authoritative for, DS but not NS at delegations, nothing below them), the DNSKEY and
// chain added, TTLs of the chain (RFC 9077 §3), and every signature verifying.
#include "zones/zone_signer.hpp"

#include <doctest/doctest.h>

#include <map>
#include <set>

#include "tests/zones/dnssec_vectors.hpp"
#include "zones/master_file.hpp"
#include "zones/rrsig_verifier.hpp"

using namespace apex;
using namespace apex::test;

namespace {

constexpr const char* kZone = R"(
@        3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 300
@        3600 IN NS  ns1
ns1      3600 IN A   192.0.2.1
WWW      300  IN A   192.0.2.80
www      300  IN A   192.0.2.81
a.ent    60   IN TXT "below an empty non-terminal"
*.wild   60   IN A   192.0.2.99
child    3600 IN NS  ns.child
child    3600 IN DS  12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ns.child 3600 IN A   192.0.2.53
bare     3600 IN NS  ns.bare
ns.bare  3600 IN A   192.0.2.54
)";

const Name& zone_apex() {
  static const Name n = name("example.org.");
  return n;
}

std::vector<Record> sample() {
  auto zone = read_master_text(kZone, zone_apex());
  REQUIRE_MESSAGE(zone, zone.error());
  return zone->records;
}

constexpr SignatureValidity kValidity{1'700'000'000, 1'700'000'000 + 14 * 86400};

std::vector<Record> signed_sample(const SigningKey& key, DenialOfExistence denial) {
  ZoneSigningOptions options;
  options.denial = denial;
  options.validity = kValidity;
  auto out = sign_zone(zone_apex(), sample(), key, options);
  REQUIRE_MESSAGE(out, out.error());
  return *out;
}

using Key = std::pair<std::string, RRType>;

// (lower-case owner, type) -> the records of the RRset; RRSIGs keyed by the type covered.
struct Sets {
  std::map<Key, std::vector<Record>> rrsets;
  std::map<Key, std::vector<Record>> rrsigs;
};

Sets split(const std::vector<Record>& records) {
  Sets s;
  for (const auto& r : records) {
    std::string owner = r.owner.lowercased().to_text();
    if (r.type == RRType::RRSIG)
      s.rrsigs[{owner, static_cast<RRType>((r.rdata[0] << 8) | r.rdata[1])}].push_back(r);
    else
      s.rrsets[{owner, r.type}].push_back(r);
  }
  return s;
}

}  // namespace

TEST_CASE("every authoritative RRset is signed once and verifies; delegations only DS") {
  for (auto algorithm : {DnssecAlgorithm::kEcdsaP256Sha256, DnssecAlgorithm::kEd25519}) {
    for (auto denial : {DenialOfExistence::kNsec, DenialOfExistence::kNsec3}) {
      auto key = SigningKey::generate(algorithm);
      REQUIRE(key);
      Sets s = split(signed_sample(*key, denial));
      std::set<Key> signed_sets;
      for (const auto& [k, rrsigs] : s.rrsigs) {
        REQUIRE(rrsigs.size() == 1);
        REQUIRE(s.rrsets.count(k));
        const auto& set = s.rrsets.at(k);
        std::vector<std::vector<std::uint8_t>> rdatas;
        for (const auto& r : set) rdatas.push_back(r.rdata);
        RRsetView view{set.front().owner, k.second, RRClass::IN, set.front().ttl, rdatas};
        auto ok = verify_rrsig(rrsigs.front().rdata, zone_apex(), key->dnskey_rdata(), view,
                               kValidity.inception + 10);
        CHECK_MESSAGE(ok,
                      std::string(k.first + " " + rrtype_to_text(k.second) + ": " + ok.error()));
        CHECK(rrsigs.front().ttl == set.front().ttl);  // RFC 4034 §3: the RRset's TTL
        signed_sets.insert(k);
      }
      CHECK(signed_sets.count({"www.example.org.", RRType::A}));
      CHECK(signed_sets.count({"example.org.", RRType::DNSKEY}));
      CHECK(signed_sets.count({"*.wild.example.org.", RRType::A}));
      CHECK(signed_sets.count({"child.example.org.", RRType::DS}));
      CHECK_FALSE(signed_sets.count({"child.example.org.", RRType::NS}));
      CHECK_FALSE(signed_sets.count({"bare.example.org.", RRType::NS}));
      CHECK_FALSE(signed_sets.count({"ns.child.example.org.", RRType::A}));  // glue
      CHECK_FALSE(signed_sets.count({"ns.bare.example.org.", RRType::A}));
      // Every RRset but the delegation NS and the glue is signed.
      CHECK(signed_sets.size() == s.rrsets.size() - 4);
    }
  }
}

TEST_CASE("NSEC: one per name of the zone, none for glue or empty non-terminals") {
  auto key = SigningKey::generate(DnssecAlgorithm::kEd25519);
  REQUIRE(key);
  std::vector<std::string> lines;
  for (const auto& r : signed_sample(*key, DenialOfExistence::kNsec))
    if (r.type == RRType::NSEC) {
      CHECK(r.ttl == 300);  // min(SOA TTL 3600, MINIMUM 300)
      lines.push_back(r.owner.to_text() + " " + rdata_to_text(RRType::NSEC, r.rdata));
    }
  CHECK(lines == std::vector<std::string>{
                     "example.org. bare.example.org. NS SOA RRSIG NSEC DNSKEY",
                     "bare.example.org. child.example.org. NS RRSIG NSEC",
                     "child.example.org. a.ent.example.org. NS DS RRSIG NSEC",
                     "a.ent.example.org. ns1.example.org. TXT RRSIG NSEC",
                     "ns1.example.org. *.wild.example.org. A RRSIG NSEC",
                     "*.wild.example.org. WWW.example.org. A RRSIG NSEC",
                     "WWW.example.org. example.org. A RRSIG NSEC",
                 });
}

TEST_CASE("NSEC3: NSEC3PARAM at the apex, empty non-terminals hashed, chain TTL") {
  auto key = SigningKey::generate(DnssecAlgorithm::kEcdsaP256Sha256);
  REQUIRE(key);
  auto records = signed_sample(*key, DenialOfExistence::kNsec3);
  std::set<std::string> owners;
  int params = 0;
  for (const auto& r : records) {
    if (r.type == RRType::NSEC3PARAM) {
      ++params;
      CHECK(r.owner == zone_apex());
      CHECK(rdata_to_text(r.type, r.rdata) == "1 0 0 -");
    }
    if (r.type == RRType::NSEC3) {
      CHECK(r.ttl == 300);
      owners.insert(r.owner.to_text());
    }
  }
  CHECK(params == 1);
  // apex, bare, child, ent (empty non-terminal), a.ent, ns1, wild (empty non-terminal),
  // *.wild, www.
  CHECK(owners.size() == 9);
  for (const char* n : {"ent.example.org.", "wild.example.org.", "bare.example.org."})
    CHECK(owners.count(base32hex_encode(nsec3_hash(name(n), {}, 0)) + ".example.org."));
}

TEST_CASE("signing replaces old signatures and chains, and adds the DNSKEY once") {
  auto key = SigningKey::generate(DnssecAlgorithm::kEd25519);
  REQUIRE(key);
  auto once = signed_sample(*key, DenialOfExistence::kNsec);
  ZoneSigningOptions options;
  options.validity = kValidity;
  auto twice = sign_zone(zone_apex(), once, *key, options);
  REQUIRE(twice);
  CHECK(twice->size() == once.size());
  int dnskeys = 0;
  for (const auto& r : *twice) dnskeys += r.type == RRType::DNSKEY;
  CHECK(dnskeys == 1);
}

TEST_CASE("zones that can't be signed are refused with the reason") {
  auto key = SigningKey::generate(DnssecAlgorithm::kEd25519);
  REQUIRE(key);
  ZoneSigningOptions options;
  std::vector<Record> no_soa{
      Record{name("www.example.org."), RRType::A, RRClass::IN, 60, rdata(RRType::A, "192.0.2.1")}};
  CHECK(sign_zone(zone_apex(), no_soa, *key, options).error() == "example.org. has no SOA");
  auto outside = sample();
  outside.push_back(
      Record{name("www.example.net."), RRType::A, RRClass::IN, 60, rdata(RRType::A, "192.0.2.1")});
  CHECK(sign_zone(zone_apex(), outside, *key, options).error() ==
        "www.example.net. is outside the zone example.org.");
}

TEST_CASE("ALIAS passes through unsigned; its flattened addresses are signed and in the bitmap") {
  auto key = SigningKey::generate(DnssecAlgorithm::kEd25519);
  REQUIRE(key);
  auto records = sample();
  // shop: an ALIAS whose target has only A (flattened A beside it); down: an ALIAS with
  // nothing to serve (no flattened records).
  for (const char* owner : {"shop.example.org.", "down.example.org."})
    records.push_back(Record{name(owner), RRType::ALIAS, RRClass::IN, 60,
                             rdata(RRType::ALIAS, "cdn.example.net.")});
  records.push_back(Record{name("shop.example.org."), RRType::A, RRClass::IN, 30,
                           rdata(RRType::A, "198.51.100.7")});
  ZoneSigningOptions options;
  options.validity = kValidity;
  auto out = sign_zone(zone_apex(), records, *key, options);
  REQUIRE_MESSAGE(out, out.error());
  Sets s = split(*out);
  CHECK(s.rrsets.count({"shop.example.org.", RRType::ALIAS}));
  CHECK_FALSE(s.rrsigs.count({"shop.example.org.", RRType::ALIAS}));
  CHECK(s.rrsigs.count({"shop.example.org.", RRType::A}));
  CHECK(s.rrsigs.at({"shop.example.org.", RRType::A}).front().ttl == 30);
  CHECK(
      rdata_to_text(RRType::NSEC, s.rrsets.at({"shop.example.org.", RRType::NSEC}).front().rdata) ==
      "*.wild.example.org. A RRSIG NSEC");
  // An owner holding only an ALIAS that serves nothing has no data: out of the chain.
  CHECK_FALSE(s.rrsets.count({"down.example.org.", RRType::NSEC}));
  CHECK(rdata_to_text(RRType::NSEC,
                      s.rrsets.at({"child.example.org.", RRType::NSEC}).front().rdata) ==
        "a.ent.example.org. NS DS RRSIG NSEC");
}

namespace {

// The key tags of the RRSIGs over the RRset k (RFC 4034 §3.1: octets 16-17 of the RDATA),
// each checked to verify with the key of that tag among keys.
std::multiset<std::uint16_t> verified_signers(const Sets& s, const Key& k,
                                              const std::vector<const SigningKey*>& keys) {
  std::multiset<std::uint16_t> tags;
  if (!s.rrsigs.count(k)) return tags;
  const auto& set = s.rrsets.at(k);
  std::vector<std::vector<std::uint8_t>> rdatas;
  for (const auto& r : set) rdatas.push_back(r.rdata);
  RRsetView view{set.front().owner, k.second, RRClass::IN, set.front().ttl, rdatas};
  for (const auto& rrsig : s.rrsigs.at(k)) {
    const auto tag = static_cast<std::uint16_t>((rrsig.rdata[16] << 8) | rrsig.rdata[17]);
    for (const SigningKey* key : keys)
      if (key->key_tag() == tag) {
        auto ok = verify_rrsig(rrsig.rdata, zone_apex(), key->dnskey_rdata(), view,
                               kValidity.inception + 10);
        CHECK_MESSAGE(ok, std::string(k.first + ": " + (ok ? std::string() : ok.error())));
      }
    tags.insert(tag);
  }
  return tags;
}

}  // namespace

TEST_CASE(
    "a key set: every DNSKEY published, every RRset signed by each signer, the apex key "
    "RRsets also by the keys that only sign them (RFC 7583 §3.3.1)") {
  auto old_key = SigningKey::generate(DnssecAlgorithm::kEcdsaP256Sha256);
  auto new_key = SigningKey::generate(DnssecAlgorithm::kEcdsaP256Sha256);
  REQUIRE(old_key);
  REQUIRE(new_key);
  auto records = sample();
  // The CDS naming the new key, as the zone publishes it while the parent swaps its DS.
  records.push_back(Record{zone_apex(), RRType::CDS, RRClass::IN, 3600, {1, 2, 13, 2, 0xab}});
  ZoneKeySet keys;
  keys.dnskeys = {{old_key->dnskey_rdata().begin(), old_key->dnskey_rdata().end()},
                  {new_key->dnskey_rdata().begin(), new_key->dnskey_rdata().end()}};
  keys.signers = {&*new_key};
  keys.key_rrset_signers = {&*old_key};
  ZoneSigningOptions options;
  options.validity = kValidity;
  auto out = sign_zone(zone_apex(), std::move(records), keys, options);
  REQUIRE_MESSAGE(out, out.error());
  const Sets s = split(*out);
  CHECK(s.rrsets.at({"example.org.", RRType::DNSKEY}).size() == 2);
  const std::vector<const SigningKey*> both{&*old_key, &*new_key};
  const std::multiset<std::uint16_t> old_and_new{old_key->key_tag(), new_key->key_tag()};
  const std::multiset<std::uint16_t> new_only{new_key->key_tag()};
  CHECK(verified_signers(s, {"example.org.", RRType::DNSKEY}, both) == old_and_new);
  CHECK(verified_signers(s, {"example.org.", RRType::CDS}, both) == old_and_new);
  CHECK(verified_signers(s, {"example.org.", RRType::SOA}, both) == new_only);
  CHECK(verified_signers(s, {"www.example.org.", RRType::A}, both) == new_only);
  CHECK(verified_signers(s, {"example.org.", RRType::NSEC}, both) == new_only);
}

TEST_CASE("a key set: two signers sign every RRset twice; none is an error") {
  auto a = SigningKey::generate(DnssecAlgorithm::kEd25519);
  auto b = SigningKey::generate(DnssecAlgorithm::kEd25519);
  REQUIRE(a);
  REQUIRE(b);
  ZoneKeySet keys;
  keys.dnskeys = {{a->dnskey_rdata().begin(), a->dnskey_rdata().end()},
                  {b->dnskey_rdata().begin(), b->dnskey_rdata().end()}};
  keys.signers = {&*a, &*b};
  ZoneSigningOptions options;
  options.validity = kValidity;
  auto out = sign_zone(zone_apex(), sample(), keys, options);
  REQUIRE_MESSAGE(out, out.error());
  const Sets s = split(*out);
  const std::multiset<std::uint16_t> both_tags{a->key_tag(), b->key_tag()};
  CHECK(verified_signers(s, {"ns1.example.org.", RRType::A}, {&*a, &*b}) == both_tags);
  CHECK(verified_signers(s, {"example.org.", RRType::DNSKEY}, {&*a, &*b}) == both_tags);
  keys.signers.clear();
  CHECK_FALSE(sign_zone(zone_apex(), sample(), keys, options));
}
