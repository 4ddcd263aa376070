// Specification of RRSIG signing and verification (RFC 4034 §3, RFC 4035 §5.3): the RFC 8080
// Ed25519 signature reproduced octet for octet, the RFC 6605 P-256 signature verified, our
// own ECDSA signatures verified by the verifier and checked by OpenSSL, and every field a
// validator checks able to make verification fail.
#include "zones/rrsig_signer.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "tests/zones/dnssec_vectors.hpp"
#include "zones/rrsig_verifier.hpp"

using namespace apex;
using namespace apex::test;

namespace {

struct Example {
  Name owner;
  RRType type;
  std::vector<std::vector<std::uint8_t>> rdatas;
  Name zone;
  std::vector<std::uint8_t> dnskey;
  std::vector<std::uint8_t> rrsig;

  explicit Example(const DnssecExample& e)
      : owner(name(e.owner)),
        type(*rrtype_from_text(e.rrset_type)),
        rdatas{rdata(type, e.rrset_rdata)},
        zone(name(e.zone)),
        dnskey(rdata(RRType::DNSKEY, e.dnskey)),
        rrsig(rdata(RRType::RRSIG, e.rrsig)) {}

  RRsetView view(std::uint32_t ttl = 3600) const { return {owner, type, RRClass::IN, ttl, rdatas}; }
};

SigningKey key_of(const DnssecExample& e, DnssecAlgorithm algorithm) {
  auto key = SigningKey::from_private_octets(algorithm, base64(e.private_key));
  REQUIRE(key);
  return std::move(*key);
}

SignatureValidity validity_of(const std::vector<std::uint8_t>& rrsig) {
  std::span<const std::uint8_t> signature;
  auto fields = parse_rrsig(rrsig, signature);
  REQUIRE(fields);
  return {fields->inception, fields->expiration};
}

}  // namespace

TEST_CASE("RFC 8080 §6.1: the Ed25519 RRSIG over the MX RRset is reproduced exactly") {
  for (const auto* published : {&kRfc8080Ed25519, &kRfc8080Ed25519Second}) {
    Example e(*published);
    SigningKey key = key_of(*published, DnssecAlgorithm::kEd25519);
    auto rrsig = sign_rrset(key, e.zone, e.view(), validity_of(e.rrsig));
    REQUIRE_MESSAGE(rrsig, rrsig.error());
    CHECK(*rrsig == e.rrsig);
    CHECK(verify_rrsig(e.rrsig, e.zone, e.dnskey, e.view(), published->now));
  }
}

TEST_CASE("RFC 6605 §6.1: the published P-256 RRSIG verifies") {
  Example e(kRfc6605P256);
  auto ok = verify_rrsig(e.rrsig, e.zone, e.dnskey, e.view(), kRfc6605P256.now);
  CHECK_MESSAGE(ok, ok.error());
}

TEST_CASE("P-256 signatures are randomized: ours differ each time and each verifies") {
  Example e(kRfc6605P256);
  SigningKey key = key_of(kRfc6605P256, DnssecAlgorithm::kEcdsaP256Sha256);
  auto a = sign_rrset(key, e.zone, e.view(), validity_of(e.rrsig));
  auto b = sign_rrset(key, e.zone, e.view(), validity_of(e.rrsig));
  REQUIRE(a);
  REQUIRE(b);
  CHECK(*a != *b);
  // Everything but the signature is the RFC's RRSIG.
  CHECK(std::vector<std::uint8_t>(a->begin(), a->end() - 64) ==
        std::vector<std::uint8_t>(e.rrsig.begin(), e.rrsig.end() - 64));
  for (const auto& rrsig : {*a, *b}) {
    auto ok = verify_rrsig(rrsig, e.zone, e.dnskey, e.view(), kRfc6605P256.now);
    CHECK_MESSAGE(ok, ok.error());
  }
}

TEST_CASE("the RRset is signed in canonical form: case and order of its RRs don't matter") {
  auto key = SigningKey::generate(DnssecAlgorithm::kEd25519);
  REQUIRE(key);
  const Name zone = name("example.org.");
  const Name owner = name("WWW.Example.org.");
  std::vector<std::vector<std::uint8_t>> mixed{rdata(RRType::MX, "20 B.Example.ORG."),
                                               rdata(RRType::MX, "10 a.example.org.")};
  std::vector<std::vector<std::uint8_t>> canonical{rdata(RRType::MX, "10 a.example.org."),
                                                   rdata(RRType::MX, "20 b.example.org.")};
  const Name lower = name("www.example.org.");
  auto a = sign_rrset(*key, zone, {owner, RRType::MX, RRClass::IN, 300, mixed}, {1000, 2000});
  auto b = sign_rrset(*key, zone, {lower, RRType::MX, RRClass::IN, 300, canonical}, {1000, 2000});
  REQUIRE(a);
  REQUIRE(b);
  CHECK(*a == *b);  // Ed25519 is deterministic: same signed data, same signature
}

TEST_CASE("Labels leaves out a leading wildcard; an expanded answer verifies") {
  auto key = SigningKey::generate(DnssecAlgorithm::kEcdsaP256Sha256);
  REQUIRE(key);
  const Name zone = name("example.org.");
  const Name wildcard = name("*.w.example.org.");
  CHECK(rrsig_labels(wildcard) == 3);
  CHECK(rrsig_labels(name("example.org.")) == 2);
  CHECK(rrsig_labels(Name()) == 0);
  std::vector<std::vector<std::uint8_t>> a{rdata(RRType::A, "192.0.2.7")};
  auto rrsig = sign_rrset(*key, zone, {wildcard, RRType::A, RRClass::IN, 60, a}, {100, 200});
  REQUIRE(rrsig);
  const Name expanded = name("x.y.w.example.org.");
  auto ok = verify_rrsig(*rrsig, zone, key->dnskey_rdata(),
                         {expanded, RRType::A, RRClass::IN, 60, a}, 150);
  CHECK_MESSAGE(ok, ok.error());
}

TEST_CASE("verification fails when any checked part is wrong") {
  Example e(kRfc8080Ed25519);
  const std::uint32_t now = kRfc8080Ed25519.now;
  CHECK(verify_rrsig(e.rrsig, e.zone, e.dnskey, e.view(), now));

  auto corrupted = e.rrsig;
  corrupted.back() ^= 1;
  CHECK(verify_rrsig(corrupted, e.zone, e.dnskey, e.view(), now).error() ==
        "the signature does not verify");

  // The Original TTL field is what is signed, not the TTL the RRset arrives with.
  CHECK(verify_rrsig(e.rrsig, e.zone, e.dnskey, e.view(1200), now));
  auto other_ttl = e.rrsig;
  other_ttl[7] ^= 1;
  CHECK_FALSE(verify_rrsig(other_ttl, e.zone, e.dnskey, e.view(), now));
  std::vector<std::vector<std::uint8_t>> other{rdata(RRType::MX, "20 mail.example.com.")};
  CHECK_FALSE(verify_rrsig(e.rrsig, e.zone, e.dnskey,
                           {e.owner, RRType::MX, RRClass::IN, 3600, other}, now));
  CHECK(verify_rrsig(e.rrsig, e.zone, e.dnskey, e.view(), 1438207199).error() ==
        "signature not yet valid");
  CHECK(verify_rrsig(e.rrsig, e.zone, e.dnskey, e.view(), 1440021601).error() ==
        "signature expired");
  CHECK(verify_rrsig(e.rrsig, name("com."), e.dnskey, e.view(), now).error() ==
        "signer name is not the DNSKEY's owner");
  CHECK(verify_rrsig(e.rrsig, e.zone, rdata(RRType::DNSKEY, kRfc8080Ed25519Second.dnskey), e.view(),
                     now)
            .error() == "key tag does not match the DNSKEY");
  CHECK(verify_rrsig(e.rrsig, e.zone, e.dnskey, {e.owner, RRType::TXT, RRClass::IN, 3600, e.rdatas},
                     now)
            .error() == "type covered is not the RRset's type");
  CHECK_FALSE(verify_rrsig(std::vector<std::uint8_t>(10, 0), e.zone, e.dnskey, e.view(), now));
}

TEST_CASE("validity is compared in serial number arithmetic across the 2106 wrap") {
  auto key = SigningKey::generate(DnssecAlgorithm::kEd25519);
  REQUIRE(key);
  const Name zone = name("example.org.");
  std::vector<std::vector<std::uint8_t>> a{rdata(RRType::A, "192.0.2.1")};
  RRsetView view{zone, RRType::A, RRClass::IN, 60, a};
  auto rrsig = sign_rrset(*key, zone, view, {0xffffff00u, 0x00000100u});
  REQUIRE(rrsig);
  CHECK(verify_rrsig(*rrsig, zone, key->dnskey_rdata(), view, 0x00000010u));
  CHECK_FALSE(verify_rrsig(*rrsig, zone, key->dnskey_rdata(), view, 0x00000200u));
}

TEST_CASE("signatures_made counts each RRSIG made, and no refused RRset") {
  auto key = SigningKey::generate(DnssecAlgorithm::kEcdsaP256Sha256);
  REQUIRE(key);
  const Name zone = name("example.org.");
  std::vector<std::vector<std::uint8_t>> a{rdata(RRType::A, "192.0.2.1")};
  const std::uint64_t before = signatures_made();
  REQUIRE(sign_rrset(*key, zone, {zone, RRType::A, RRClass::IN, 60, a}, {100, 200}));
  REQUIRE(sign_rrset(*key, zone, {zone, RRType::A, RRClass::IN, 60, a}, {100, 200}));
  CHECK(signatures_made() == before + 2);

  const Name outside = name("example.com.");
  CHECK_FALSE(sign_rrset(*key, zone, {outside, RRType::A, RRClass::IN, 60, a}, {100, 200}));
  std::vector<std::vector<std::uint8_t>> none;
  CHECK_FALSE(sign_rrset(*key, zone, {zone, RRType::A, RRClass::IN, 60, none}, {100, 200}));
  CHECK(signatures_made() == before + 2);
}

TEST_CASE("signatures_made adds up signatures made on several threads at once") {
  auto key = SigningKey::generate(DnssecAlgorithm::kEd25519);
  REQUIRE(key);
  const Name zone = name("example.org.");
  std::vector<std::vector<std::uint8_t>> a{rdata(RRType::A, "192.0.2.1")};
  constexpr int kThreads = 4, kEach = 50;
  const std::uint64_t before = signatures_made();
  std::vector<std::thread> threads;
  std::atomic<int> failed{0};
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i)
        if (!sign_rrset(*key, zone, {zone, RRType::A, RRClass::IN, 60, a}, {100, 200})) ++failed;
    });
  for (auto& t : threads) t.join();
  CHECK(failed == 0);
  CHECK(signatures_made() == before + kThreads * kEach);
}
