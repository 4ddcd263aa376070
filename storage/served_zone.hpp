// The snapshot apexd serves for a stored zone: its records built and validated, and, when a
// DNSSEC key of the zone signs at that moment (RFC 7583 key times), signed with the zone's
// key set as the snapshot is built (RFC 4035 §2), so that no signature is ever made per
// query (ARCHITECTURE.md §4, DNSSEC signing).
#pragma once

#include <cstdint>
#include <vector>

#include "storage/dnssec_store.hpp"
#include "zones/alias_table.hpp"
#include "zones/record.hpp"
#include "zones/result.hpp"
#include "zones/zone.hpp"

namespace apex::storage {

struct SigningPolicy {
  // Signatures are valid from now - inception_backdate_s, so that a validator whose clock
  // lags still accepts them (RFC 6781 §4.4.2.2), to now + signature_validity_s.
  std::uint32_t signature_validity_s = 14 * 86400;
  std::uint32_t inception_backdate_s = 3600;
};

// The validity window of signatures made at now_s (seconds since 1970), in RRSIG form:
// seconds modulo 2^32, compared in serial arithmetic (RFC 4034 §3.1.5).
SignatureValidity signature_validity(const SigningPolicy& policy, std::int64_t now_s);

// build_zone's rules on the stored records first, so that a zone is refused for what its
// operator wrote; then, when a key in dnssec signs at now_s (none: served unsigned), the
// zone with the published keys' DNSKEYs, CDS/CDNSKEY for the parent (or RFC 8078's delete
// records while going insecure), RRSIGs and the NSEC or NSEC3 chain. Each key is parsed
// once for the whole zone. A signed zone's ALIAS owners hold the A/AAAA that aliases serves
// for them now, signed with the rest (flattened_records; none given: every alias pending),
// so that the flattened answer and its denial proofs are zone data like any other
// (ARCHITECTURE.md §4).
Result<ZonePtr> build_served_zone(const Name& apex, std::vector<Record> records,
                                  const ZoneDnssec* dnssec, const SigningPolicy& policy,
                                  std::int64_t now_s, const AliasTable* aliases = nullptr);

}  // namespace apex::storage
