// Specification of DNSSEC signing keys: the published examples' private keys give their
// DNSKEY RDATA and key tag (RFC 8080 §6.1, RFC 6605 §6.1), keys survive the PKCS#8 storable
// form, and generated keys are zone keys of the right shape (RFC 4034 §2, Appendix B).
#include "zones/signing_key.hpp"

#include <doctest/doctest.h>

#include "tests/zones/dnssec_vectors.hpp"
#include "zones/dnskey_record.hpp"
#include "zones/openssl_ptr.hpp"

using namespace apex;
using namespace apex::test;

namespace {

SigningKey example_key(const DnssecExample& example, DnssecAlgorithm algorithm) {
  auto key = SigningKey::from_private_octets(algorithm, base64(example.private_key));
  REQUIRE_MESSAGE(key, key.error());
  return std::move(*key);
}

}  // namespace

TEST_CASE("RFC 8080 §6.1: the Ed25519 private keys give the published DNSKEY and key tag") {
  for (const auto* example : {&kRfc8080Ed25519, &kRfc8080Ed25519Second}) {
    SigningKey key = example_key(*example, DnssecAlgorithm::kEd25519);
    CHECK(key.dnskey_rdata().size() == 4 + 32);
    CHECK(std::vector<std::uint8_t>(key.dnskey_rdata().begin(), key.dnskey_rdata().end()) ==
          rdata(RRType::DNSKEY, example->dnskey));
    CHECK(key.flags() == 257);
  }
  CHECK(example_key(kRfc8080Ed25519, DnssecAlgorithm::kEd25519).key_tag() == 3613);
  CHECK(example_key(kRfc8080Ed25519Second, DnssecAlgorithm::kEd25519).key_tag() == 35217);
}

TEST_CASE("RFC 6605 §6.1: the P-256 private key gives the published DNSKEY x||y and key tag") {
  SigningKey key = example_key(kRfc6605P256, DnssecAlgorithm::kEcdsaP256Sha256);
  CHECK(key.public_key().size() == 64);
  CHECK(std::vector<std::uint8_t>(key.dnskey_rdata().begin(), key.dnskey_rdata().end()) ==
        rdata(RRType::DNSKEY, kRfc6605P256.dnskey));
  CHECK(key.key_tag() == 55648);
}

TEST_CASE("a key tag is the RFC 4034 Appendix B sum of the DNSKEY RDATA") {
  // Odd length: the last octet counts as a high octet; the carry folds back in once:
  // 0x0101 + 0x030d + 0xff00 = 0x1030e, and 0x030e + 0x1.
  CHECK(key_tag(std::vector<std::uint8_t>{0x01, 0x01, 0x03, 0x0d, 0xff}) == 0x030f);
  CHECK(key_tag(std::vector<std::uint8_t>{0xff, 0xff, 0xff, 0xff}) == 0xffff);
  CHECK(key_tag(std::vector<std::uint8_t>{0xff, 0xff, 0x00, 0x02}) == 0x0002);
}

TEST_CASE("generated keys are combined signing keys of the algorithm's shape") {
  for (auto algorithm : {DnssecAlgorithm::kEcdsaP256Sha256, DnssecAlgorithm::kEd25519}) {
    auto key = SigningKey::generate(algorithm);
    REQUIRE(key);
    auto fields = parse_dnskey(key->dnskey_rdata());
    REQUIRE(fields);
    CHECK(fields->flags == 257);  // ZONE and SEP (RFC 4034 §2.1.1)
    CHECK(fields->protocol == 3);
    CHECK(fields->algorithm == static_cast<std::uint8_t>(algorithm));
    CHECK(fields->public_key.size() == dnssec_public_key_length(algorithm));
    CHECK(key->key_tag() == key_tag(key->dnskey_rdata()));
  }
  auto a = SigningKey::generate(DnssecAlgorithm::kEd25519);
  auto b = SigningKey::generate(DnssecAlgorithm::kEd25519);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(std::vector<std::uint8_t>(a->public_key().begin(), a->public_key().end()) !=
        std::vector<std::uint8_t>(b->public_key().begin(), b->public_key().end()));
}

TEST_CASE("a key read back from its PKCS#8 form is the same key") {
  for (auto algorithm : {DnssecAlgorithm::kEcdsaP256Sha256, DnssecAlgorithm::kEd25519}) {
    auto key = SigningKey::generate(algorithm);
    REQUIRE(key);
    auto der = key->to_pkcs8();
    REQUIRE(!der.empty());
    auto again = SigningKey::from_pkcs8(der);
    REQUIRE_MESSAGE(again, again.error());
    CHECK(again->algorithm() == algorithm);
    CHECK(std::vector<std::uint8_t>(again->dnskey_rdata().begin(), again->dnskey_rdata().end()) ==
          std::vector<std::uint8_t>(key->dnskey_rdata().begin(), key->dnskey_rdata().end()));
  }
}

TEST_CASE("untrusted key octets are refused with an error, never an exception") {
  CHECK_FALSE(SigningKey::from_pkcs8(std::vector<std::uint8_t>{0x30, 0x03, 0x02, 0x01}));
  CHECK_FALSE(SigningKey::from_pkcs8(std::vector<std::uint8_t>{}));
  CHECK_FALSE(
      SigningKey::from_private_octets(DnssecAlgorithm::kEd25519, std::vector<std::uint8_t>(31, 1)));
  CHECK_FALSE(SigningKey::from_private_octets(DnssecAlgorithm::kEcdsaP256Sha256,
                                              std::vector<std::uint8_t>(32, 0)));
  // A truncated PKCS#8 document.
  auto key = SigningKey::generate(DnssecAlgorithm::kEcdsaP256Sha256);
  REQUIRE(key);
  auto der = key->to_pkcs8();
  der.pop_back();
  CHECK_FALSE(SigningKey::from_pkcs8(der));
}

TEST_CASE("PKCS#8 keys of other curves and algorithms are refused, naming what is accepted") {
  for (EVP_PKEY* other : {EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"),
                          EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519"),
                          EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{1024})}) {
    REQUIRE(other != nullptr);
    EvpKey key(other);
    Pkcs8Ptr info(EVP_PKEY2PKCS8(key.get()));
    REQUIRE(info);
    unsigned char* der = nullptr;
    const int length = i2d_PKCS8_PRIV_KEY_INFO(info.get(), &der);
    REQUIRE(length > 0);
    auto parsed = SigningKey::from_pkcs8(std::span<const std::uint8_t>(der, length));
    OPENSSL_free(der);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error() == "a private key of an algorithm other than P-256 or Ed25519");
  }
}

TEST_CASE("a PKCS#8 key signs what its stored form's key signs") {
  // The RFC 6605 §6.1 key through OpenSSL's own encoder: the scalar read back is that key's.
  SigningKey key = example_key(kRfc6605P256, DnssecAlgorithm::kEcdsaP256Sha256);
  auto again = SigningKey::from_pkcs8(key.to_pkcs8());
  REQUIRE_MESSAGE(again, again.error());
  CHECK(again->key_tag() == 55648);
  const std::vector<std::uint8_t> data{1, 2, 3};
  auto signature = again->sign(data);
  REQUIRE(signature);
  CHECK(verify_dnssec_signature(DnssecAlgorithm::kEcdsaP256Sha256, key.evp(), data, *signature));
}

TEST_CASE("algorithm names and numbers") {
  CHECK(dnssec_algorithm_from_text("ecdsap256sha256") == DnssecAlgorithm::kEcdsaP256Sha256);
  CHECK(dnssec_algorithm_from_text("ED25519") == DnssecAlgorithm::kEd25519);
  CHECK(dnssec_algorithm_from_text("13") == DnssecAlgorithm::kEcdsaP256Sha256);
  CHECK_FALSE(dnssec_algorithm_from_text("8"));  // RSASHA256: verified elsewhere, not made here
  CHECK_FALSE(dnssec_algorithm_from_text("ed448"));
  CHECK(dnssec_algorithm_to_text(DnssecAlgorithm::kEd25519) == "ED25519");
}
