// The DNSSEC signing algorithms apexdns signs with (IANA "DNS Security Algorithm Numbers"):
// 13 ECDSAP256SHA256 (RFC 6605) and 15 ED25519 (RFC 8080).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace apex {

enum class DnssecAlgorithm : std::uint8_t {
  kEcdsaP256Sha256 = 13,  // RFC 6605
  kEd25519 = 15,          // RFC 8080
};

// The registry mnemonic: "ECDSAP256SHA256", "ED25519".
std::string_view dnssec_algorithm_to_text(DnssecAlgorithm algorithm);
// A mnemonic in either case or the algorithm number; nullopt for other algorithms.
std::optional<DnssecAlgorithm> dnssec_algorithm_from_text(std::string_view text);
std::optional<DnssecAlgorithm> dnssec_algorithm_from_number(std::uint8_t number);

// Octets of the DNSKEY Public Key field: x||y for P-256 (RFC 6605 §4), the point A for
// Ed25519 (RFC 8080 §3).
std::size_t dnssec_public_key_length(DnssecAlgorithm algorithm);
// Octets of the RRSIG Signature field: r||s (RFC 6605 §4), R||S (RFC 8080 §4); 64 for both.
std::size_t dnssec_signature_length(DnssecAlgorithm algorithm);

}  // namespace apex
