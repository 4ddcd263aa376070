// DNSSEC public keys: the DNSKEY Public Key field (RFC 6605 §4, RFC 8080 §3) to and from an
// OpenSSL key, and signature verification with one.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include <openssl/evp.h>

#include "zones/dnssec_algorithm.hpp"
#include "zones/openssl_ptr.hpp"
#include "zones/result.hpp"

namespace apex {

// One OpenSSL key, freed with its owner. OpenSSL 3 lets several threads sign or verify with
// the same key at once as long as none changes it.
using EvpKey = OpensslPtr<EVP_PKEY, EVP_PKEY_free>;

// The DNSKEY Public Key field of a key (public or private) of the algorithm.
Result<std::vector<std::uint8_t>> dnskey_public_key(DnssecAlgorithm algorithm, const EVP_PKEY& key);

// A public key from a DNSKEY Public Key field; an error if the field has the wrong length
// or is not a point of the curve.
Result<EvpKey> public_key_from_dnskey(DnssecAlgorithm algorithm,
                                      std::span<const std::uint8_t> field);

// A P-256 key from its uncompressed public point (0x04||x||y); with private_scalar, the key
// pair. An error names what is wrong (not a point of the curve, out of memory).
Result<EvpKey> p256_key(std::span<const std::uint8_t> public_point, const BIGNUM* private_scalar);

// Whether signature (in the RRSIG form: r||s, or Ed25519's 64 octets) is the algorithm's
// signature of data under key. Malformed signatures are false, never an exception.
bool verify_dnssec_signature(DnssecAlgorithm algorithm, const EVP_PKEY& key,
                             std::span<const std::uint8_t> data,
                             std::span<const std::uint8_t> signature);

}  // namespace apex
