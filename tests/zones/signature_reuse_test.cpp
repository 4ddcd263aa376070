// Specification of signing a zone again with its previous signatures (RFC 6781 §4.4.2): an
// unchanged RRset keeps its signature until it is due for renewal, a change signs only the
// RRsets and chain links it touched, a new key or a stored signature that does not match
// what it claims to cover is signed anew, and new expirations carry a deterministic jitter.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>

#include "tests/zones/dnssec_vectors.hpp"
#include "zones/master_file.hpp"
#include "zones/rrsig_verifier.hpp"
#include "zones/zone_signature.hpp"
#include "zones/zone_signer.hpp"

using namespace apex;
using namespace apex::test;

namespace {

constexpr const char* kZone = R"(
@        3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 300
@        3600 IN NS  ns1
ns1      3600 IN A   192.0.2.1
www      300  IN A   192.0.2.80
mail     300  IN A   192.0.2.25
@        300  IN MX  10 mail
txt      60   IN TXT "kept"
child    3600 IN NS  ns.child
child    3600 IN DS  12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ns.child 3600 IN A   192.0.2.53
)";

const Name& zone_apex() {
  static const Name n = name("example.org.");
  return n;
}

std::vector<Record> zone_with(const std::string& extra) {
  auto zone = read_master_text(std::string(kZone) + extra, zone_apex());
  REQUIRE_MESSAGE(zone, zone.error());
  return zone->records;
}

constexpr std::uint32_t kDay = 86400;
constexpr std::uint32_t kStart = 1'700'000'000;

// Signed at now with 14 days of validity, renewed when less than 3 days remain.
ZoneSigningOptions options_at(std::uint32_t now, DenialOfExistence denial,
                              const ZoneSignatures* previous, std::uint32_t jitter_s = 0) {
  ZoneSigningOptions options;
  options.denial = denial;
  options.validity = {now - 3600, now + 14 * kDay};
  options.renewal = {now, 3 * kDay, jitter_s};
  options.previous = previous;
  return options;
}

struct Signed {
  std::vector<Record> records;
  SigningReport report;
};

Signed sign(const std::vector<Record>& records, const SigningKey& key,
            const ZoneSigningOptions& options) {
  Signed out;
  auto done = sign_zone(zone_apex(), records, key, options, &out.report);
  REQUIRE_MESSAGE(done, done.error());
  out.records = std::move(*done);
  return out;
}

std::vector<std::vector<std::uint8_t>> rrsigs(const std::vector<Record>& records) {
  std::vector<std::vector<std::uint8_t>> out;
  for (const auto& r : records)
    if (r.type == RRType::RRSIG) out.push_back(r.rdata);
  return out;
}

// The (owner, type covered) of the signatures of after that before does not have.
std::set<std::string> new_signatures(const Signed& before, const Signed& after) {
  std::set<std::string> out;
  for (const auto& [key, value] : after.report.signatures) {
    auto found = before.report.signatures.find(key);
    if (found != before.report.signatures.end() && found->second.rrsig == value.rrsig) continue;
    auto owner = Name::from_wire(key.owner);
    REQUIRE(owner);
    out.insert(owner->to_text() + " " + rrtype_to_text(key.type_covered));
  }
  return out;
}

}  // namespace

TEST_CASE("signed again with its own signatures, an unchanged zone reuses every one") {
  for (auto denial : {DenialOfExistence::kNsec, DenialOfExistence::kNsec3}) {
    auto key = SigningKey::generate(DnssecAlgorithm::kEcdsaP256Sha256);
    REQUIRE(key);
    const Signed first = sign(zone_with(""), *key, options_at(kStart, denial, nullptr));
    CHECK(first.report.made == first.report.signatures.size());
    CHECK(first.report.reused == 0);
    const Signed again =
        sign(zone_with(""), *key, options_at(kStart + kDay, denial, &first.report.signatures));
    CHECK(again.report.made == 0);
    CHECK(again.report.reused == first.report.signatures.size());
    CHECK(again.records == first.records);  // the same records, in the same order
  }
}

TEST_CASE("a change signs only the RRsets and chain links it touched") {
  auto key = SigningKey::generate(DnssecAlgorithm::kEd25519);
  REQUIRE(key);
  const auto nsec = DenialOfExistence::kNsec;
  const Signed first = sign(zone_with(""), *key, options_at(kStart, nsec, nullptr));
  const ZoneSignatures* previous = &first.report.signatures;

  SUBCASE("new RDATA in an RRset: that RRset alone") {
    const Signed after =
        sign(zone_with("www 300 IN A 192.0.2.81\n"), *key, options_at(kStart, nsec, previous));
    CHECK(after.report.made == 1);
    CHECK(new_signatures(first, after) == std::set<std::string>{"www.example.org. A"});
  }
  SUBCASE("a TTL: that RRset alone (the Original TTL is signed)") {
    auto records = zone_with("");
    for (auto& r : records)
      if (r.type == RRType::TXT) r.ttl = 120;
    const Signed after = sign(records, *key, options_at(kStart, nsec, previous));
    CHECK(new_signatures(first, after) == std::set<std::string>{"txt.example.org. TXT"});
  }
  SUBCASE("a new name: its RRset, its NSEC and the NSEC of the name before it") {
    const Signed after =
        sign(zone_with("new 300 IN A 192.0.2.7\n"), *key, options_at(kStart, nsec, previous));
    CHECK(after.report.made == 3);
    CHECK(new_signatures(first, after) == std::set<std::string>{"new.example.org. A",
                                                                "new.example.org. NSEC",
                                                                "mail.example.org. NSEC"});
    CHECK(after.report.reused == first.report.signatures.size() - 1);
    CHECK(after.report.renewed == 0);  // new data, not renewals
  }
  SUBCASE("a new type at a name: its RRset and that name's NSEC (its bitmap)") {
    const Signed after =
        sign(zone_with("www 300 IN AAAA 2001:db8::80\n"), *key, options_at(kStart, nsec, previous));
    CHECK(new_signatures(first, after) ==
          std::set<std::string>{"www.example.org. AAAA", "www.example.org. NSEC"});
  }
}

TEST_CASE("a signature with less than the refresh time left, or not yet valid, is renewed") {
  auto key = SigningKey::generate(DnssecAlgorithm::kEcdsaP256Sha256);
  REQUIRE(key);
  const auto nsec = DenialOfExistence::kNsec;
  const Signed first = sign(zone_with(""), *key, options_at(kStart, nsec, nullptr));
  const std::size_t all = first.report.signatures.size();
  // 14 days of validity, 3 of refresh: kept through day 10, renewed from day 11.
  const Signed day10 =
      sign(zone_with(""), *key, options_at(kStart + 10 * kDay, nsec, &first.report.signatures));
  CHECK(day10.report.made == 0);
  const Signed day11 =
      sign(zone_with(""), *key, options_at(kStart + 11 * kDay + 1, nsec, &first.report.signatures));
  CHECK(day11.report.made == all);
  CHECK(day11.report.reused == 0);
  CHECK(day11.report.renewed == all);  // the same data: renewals a serial must announce
  // Renewed signatures verify and run 14 days from their signing.
  for (const auto& rdata : rrsigs(day11.records)) {
    std::span<const std::uint8_t> signature;
    auto fields = parse_rrsig(rdata, signature);
    REQUIRE(fields);
    CHECK(fields->expiration == kStart + 25 * kDay + 1);
  }
  // A clock set back before the signatures' inception: they are not valid then, made anew.
  const Signed earlier =
      sign(zone_with(""), *key, options_at(kStart - 2 * 3600, nsec, &first.report.signatures));
  CHECK(earlier.report.made == all);
  CHECK(*earlier.report.earliest_expiration == kStart - 2 * 3600 + 14 * kDay);
}

TEST_CASE("another key signs everything anew") {
  auto old_key = SigningKey::generate(DnssecAlgorithm::kEcdsaP256Sha256);
  auto new_key = SigningKey::generate(DnssecAlgorithm::kEcdsaP256Sha256);
  REQUIRE(old_key);
  REQUIRE(new_key);
  const auto nsec3 = DenialOfExistence::kNsec3;
  const Signed first = sign(zone_with(""), *old_key, options_at(kStart, nsec3, nullptr));
  // The previous signatures filed under the new key's tag, as if the tags collided: the
  // digest covers the DNSKEY, so none of them serves.
  ZoneSignatures same_tag;
  for (const auto& [key, value] : first.report.signatures) {
    SignatureKey k = key;
    k.key_tag = new_key->key_tag();
    same_tag.emplace(k, value);
  }
  for (const ZoneSignatures* previous :
       {&first.report.signatures, static_cast<const ZoneSignatures*>(&same_tag)}) {
    const Signed after = sign(zone_with(""), *new_key, options_at(kStart, nsec3, previous));
    CHECK(after.report.reused == 0);
    CHECK(after.report.made == after.report.signatures.size());
    for (const auto& [key, value] : after.report.signatures)
      CHECK(key.key_tag == new_key->key_tag());
  }
}

TEST_CASE("a stored signature whose digest or bytes were altered is made anew") {
  auto key = SigningKey::generate(DnssecAlgorithm::kEcdsaP256Sha256);
  REQUIRE(key);
  const auto nsec = DenialOfExistence::kNsec;
  const Signed first = sign(zone_with(""), *key, options_at(kStart, nsec, nullptr));
  ZoneSignatures tampered = first.report.signatures;
  auto www = tampered.begin();
  while (www != tampered.end() &&
         Name::from_wire(www->first.owner)->to_text() != "www.example.org.")
    ++www;
  REQUIRE(www != tampered.end());
  www->second.digest[0] ^= 1;  // claims to cover another RRset
  auto mail = std::next(tampered.begin());
  mail->second.rrsig.resize(10);  // does not parse
  const Signed after = sign(zone_with(""), *key, options_at(kStart, nsec, &tampered));
  CHECK(after.report.made == 2);
  CHECK(after.report.signatures.at(www->first).rrsig != www->second.rrsig);
  CHECK(after.report.signatures.at(www->first).digest ==
        first.report.signatures.at(www->first).digest);
  CHECK(after.report.signatures.at(mail->first).rrsig.size() > 10);
}

TEST_CASE("new expirations are jittered per RRset within the span, deterministically") {
  auto key = SigningKey::generate(DnssecAlgorithm::kEd25519);
  REQUIRE(key);
  const auto nsec = DenialOfExistence::kNsec;
  const std::uint32_t jitter = 2 * kDay;
  const Signed a = sign(zone_with(""), *key, options_at(kStart, nsec, nullptr, jitter));
  const Signed b = sign(zone_with(""), *key, options_at(kStart, nsec, nullptr, jitter));
  CHECK(rrsigs(a.records) == rrsigs(b.records));  // Ed25519 and the jitter: deterministic
  std::set<std::uint32_t> expirations;
  for (const auto& rdata : rrsigs(a.records)) {
    std::span<const std::uint8_t> signature;
    auto fields = parse_rrsig(rdata, signature);
    REQUIRE(fields);
    CHECK(fields->expiration <= kStart + 14 * kDay);
    CHECK(fields->expiration > kStart + 14 * kDay - jitter);
    expirations.insert(fields->expiration);
  }
  CHECK(expirations.size() == rrsigs(a.records).size());  // seconds apart, none shared
  CHECK(*a.report.earliest_expiration == *expirations.begin());
  // Signed a second later, an RRset draws another jitter: renewals do not fall in step.
  const Signed later = sign(zone_with(""), *key, options_at(kStart + 1, nsec, nullptr, jitter));
  CHECK(rrsigs(later.records) != rrsigs(a.records));
  // The same RRset in another zone draws another jitter too.
  CHECK(jittered_expiration(name("a.test."), name("www.a.test."), RRType::A, {0, 100000},
                            {0, 0, 50000}) != jittered_expiration(name("b.test."),
                                                                  name("www.a.test."), RRType::A,
                                                                  {0, 100000}, {0, 0, 50000}));
}

TEST_CASE("every signature made or reused verifies over the RRset it is served with") {
  auto key = SigningKey::generate(DnssecAlgorithm::kEcdsaP256Sha256);
  REQUIRE(key);
  const auto nsec = DenialOfExistence::kNsec;
  const Signed first = sign(zone_with(""), *key, options_at(kStart, nsec, nullptr, kDay));
  const Signed after = sign(zone_with("new 300 IN A 192.0.2.7\n"), *key,
                            options_at(kStart + kDay, nsec, &first.report.signatures, kDay));
  std::map<std::pair<std::string, RRType>, std::vector<Record>> sets;
  for (const auto& r : after.records)
    if (r.type != RRType::RRSIG) sets[{r.owner.lowercased().to_text(), r.type}].push_back(r);
  std::size_t verified = 0;
  for (const auto& r : after.records) {
    if (r.type != RRType::RRSIG) continue;
    const auto covered = static_cast<RRType>((r.rdata[0] << 8) | r.rdata[1]);
    const auto& set = sets.at({r.owner.lowercased().to_text(), covered});
    std::vector<std::vector<std::uint8_t>> rdatas;
    for (const auto& s : set) rdatas.push_back(s.rdata);
    RRsetView view{set.front().owner, covered, RRClass::IN, set.front().ttl, rdatas};
    auto ok = verify_rrsig(r.rdata, zone_apex(), key->dnskey_rdata(), view, kStart + kDay);
    CHECK_MESSAGE(ok, std::string(r.owner.to_text() + ": " + (ok ? std::string() : ok.error())));
    ++verified;
  }
  CHECK(verified == after.report.signatures.size());
  CHECK(after.report.reused > 0);
}
