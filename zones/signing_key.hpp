// A DNSSEC private key (RFC 6605, RFC 8080): parsed once into an OpenSSL key and kept, with
// the DNSKEY RDATA and key tag it publishes under.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "zones/dnskey_record.hpp"
#include "zones/dnssec_algorithm.hpp"
#include "zones/dnssec_public_key.hpp"
#include "zones/result.hpp"

namespace apex {

class SigningKey {
 public:
  // A fresh key from OpenSSL's random generator.
  static Result<SigningKey> generate(DnssecAlgorithm algorithm, std::uint16_t flags = kCskFlags);
  // The storable form: PKCS#8 PrivateKeyInfo in DER (RFC 5958 §2), as to_pkcs8 writes it.
  // Keys of other algorithms or curves are refused.
  static Result<SigningKey> from_pkcs8(std::span<const std::uint8_t> der,
                                       std::uint16_t flags = kCskFlags);
  // The private key as other signers export it ("PrivateKey:" of BIND's v1.2 key files, as
  // RFC 6605 §6 and RFC 8080 §6 print them): the P-256 scalar d, or the Ed25519 seed.
  static Result<SigningKey> from_private_octets(DnssecAlgorithm algorithm,
                                                std::span<const std::uint8_t> octets,
                                                std::uint16_t flags = kCskFlags);

  std::vector<std::uint8_t> to_pkcs8() const;

  DnssecAlgorithm algorithm() const { return algorithm_; }
  std::uint16_t flags() const { return flags_; }
  std::span<const std::uint8_t> public_key() const { return public_key_; }
  std::span<const std::uint8_t> dnskey_rdata() const { return dnskey_rdata_; }
  std::uint16_t key_tag() const { return key_tag_; }
  const EVP_PKEY& evp() const { return *key_; }

  // The algorithm's signature of data in the RRSIG form (r||s for ECDSA, RFC 6605 §4).
  Result<std::vector<std::uint8_t>> sign(std::span<const std::uint8_t> data) const;

 private:
  SigningKey(DnssecAlgorithm algorithm, std::uint16_t flags, EvpKey key,
             std::vector<std::uint8_t> public_key);
  static Result<SigningKey> adopt(DnssecAlgorithm algorithm, std::uint16_t flags, EvpKey key);

  DnssecAlgorithm algorithm_;
  std::uint16_t flags_;
  EvpKey key_;
  std::vector<std::uint8_t> public_key_;
  std::vector<std::uint8_t> dnskey_rdata_;
  std::uint16_t key_tag_;
};

}  // namespace apex
