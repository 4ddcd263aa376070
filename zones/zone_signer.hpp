// Signs a whole zone once, as a snapshot is published (never per query): the key's DNSKEY,
// an RRSIG for every RRset the zone is authoritative for, and the NSEC or NSEC3 chain with
// its signatures (RFC 4035 §2).
#pragma once

#include <cstdint>
#include <vector>

#include "zones/nsec3_hash.hpp"
#include "zones/record.hpp"
#include "zones/result.hpp"
#include "zones/rrsig_signer.hpp"
#include "zones/signing_key.hpp"

namespace apex {

enum class DenialOfExistence : std::uint8_t { kNsec, kNsec3 };

struct ZoneSigningOptions {
  DenialOfExistence denial = DenialOfExistence::kNsec;
  Nsec3Parameters nsec3;         // with kNsec3
  SignatureValidity validity{};  // the caller's clock, e.g. now - 1 h .. now + 14 days
  std::uint32_t dnskey_ttl = 3600;
};

// The zone's records with DNSKEY, NSEC/NSEC3(PARAM) and RRSIG records added; RRSIG, NSEC,
// NSEC3 and NSEC3PARAM records already there are replaced. Signed: every RRset at or below
// the apex except at and below delegation points, where only DS is (RFC 4035 §2.2). ALIAS
// records pass through unsigned and out of the NSEC/NSEC3 bitmaps: the A/AAAA flattened from
// them (flattened_records) are among the records, signed like any other. An error when
// there is no SOA at the apex or when records lie outside the zone.
Result<std::vector<Record>> sign_zone(const Name& apex, std::vector<Record> records,
                                      const SigningKey& key, const ZoneSigningOptions& options);

}  // namespace apex
