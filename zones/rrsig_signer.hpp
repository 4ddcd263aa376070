// RRSIG RDATA (RFC 4034 §3): its fields, the data a signature covers (§3.1.8.1) and signing
// one RRset with a SigningKey.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "zones/name.hpp"
#include "zones/result.hpp"
#include "zones/rrtype.hpp"
#include "zones/signing_key.hpp"

namespace apex {

// One RRset as it is signed and verified: the records share owner, type, class and TTL.
struct RRsetView {
  const Name& owner;
  RRType type;
  RRClass rrclass;
  std::uint32_t ttl;
  std::span<const std::vector<std::uint8_t>> rdatas;
};

// When a signature is valid, in seconds since 1970 modulo 2^32 (RFC 4034 §3.1.5). The
// caller chooses them; nothing here reads a clock.
struct SignatureValidity {
  std::uint32_t inception;
  std::uint32_t expiration;
};

// The RRSIG RDATA fields before the signature.
struct RrsigFields {
  RRType type_covered = RRType::A;
  std::uint8_t algorithm = 0;
  std::uint8_t labels = 0;
  std::uint32_t original_ttl = 0;
  std::uint32_t expiration = 0;
  std::uint32_t inception = 0;
  std::uint16_t key_tag = 0;
  Name signer;
};

// RFC 4034 §3.1.3: labels of the owner, not counting the root or a leading "*".
std::uint8_t rrsig_labels(const Name& owner);

// The RDATA fields up to the signature, the signer name lower-cased (RFC 4034 §3.1.7, RFC
// 6840 §5.1).
std::vector<std::uint8_t> rrsig_fields_rdata(const RrsigFields& fields);

// Splits RRSIG RDATA into its fields and the signature; an error when malformed.
Result<RrsigFields> parse_rrsig(std::span<const std::uint8_t> rdata,
                                std::span<const std::uint8_t>& signature);

// RFC 4034 §3.1.8.1: RRSIG_RDATA (without the signature) followed by each RR of the set in
// canonical form and order, with owner signed_owner (lower-cased), the Original TTL and
// the RRset's class and type.
std::vector<std::uint8_t> rrsig_signed_data(std::span<const std::uint8_t> fields_rdata,
                                            const Name& signed_owner, const RRsetView& rrset,
                                            std::uint32_t original_ttl);

// The complete RRSIG RDATA for the RRset: signer is the zone apex, Original TTL the RRset's
// TTL, the key's algorithm and key tag. Each signature made counts in signatures_made().
Result<std::vector<std::uint8_t>> sign_rrset(const SigningKey& key, const Name& signer,
                                             const RRsetView& rrset, SignatureValidity validity);

// RRSIGs sign_rrset has made in this process, from any thread: signatures are made when a
// snapshot is published, never per query, so this stays still while queries are answered.
// A reused signature is not counted; only the private-key operations are.
std::uint64_t signatures_made();

}  // namespace apex
