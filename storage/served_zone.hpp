// The snapshot apexd serves for a stored zone: its records built and validated, and, when a
// DNSSEC key of the zone signs at that moment (RFC 7583 key times), signed with the zone's
// key set as the snapshot is built (RFC 4035 §2), so that no signature is ever made per
// query (ARCHITECTURE.md §4, DNSSEC signing).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "storage/dnssec_store.hpp"
#include "zones/alias_table.hpp"
#include "zones/record.hpp"
#include "zones/result.hpp"
#include "zones/zone.hpp"
#include "zones/zone_signer.hpp"

namespace apex::storage {

struct SigningPolicy {
  // Signatures are valid from now - inception_backdate_s, so that a validator whose clock
  // lags still accepts them (RFC 6781 §4.4.2.2), to now + signature_validity_s.
  std::uint32_t signature_validity_s = 14 * 86400;
  std::uint32_t inception_backdate_s = 3600;
  // A signature is renewed once less than refresh_s of its validity remains (RFC 6781
  // §4.4.2.3); until then a stored one serves again.
  std::uint32_t refresh_s = 3 * 86400;
  // New signatures expire up to this fraction of signature_validity_s early, by a jitter drawn
  // per zone, RRset and signing time, so that RRsets and zones signed at the same moment come
  // due at different moments (RFC 6781 §4.4.2.3). At most 0.5, which with refresh_s at most
  // half the validity keeps every new signature valid for longer than refresh_s.
  double jitter_fraction = 0.1;
};

// The zone's signatures: what the previous build left (none: sign every RRset) and, after
// the build, what it did.
struct ZoneSigning {
  const ZoneSignatures* previous = nullptr;
  SigningReport report;
};

// When the zone's first signature falls due for renewal, in seconds since 1970: refresh_s
// before its earliest expiration; none when the build signed nothing.
std::optional<std::int64_t> renewal_due(const SigningReport& report, const SigningPolicy& policy,
                                        std::int64_t now_s);

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
// (ARCHITECTURE.md §4). With signing, the previous signatures that can serve again are
// reused and the report tells what was signed.
Result<ZonePtr> build_served_zone(const Name& apex, std::vector<Record> records,
                                  const ZoneDnssec* dnssec, const SigningPolicy& policy,
                                  std::int64_t now_s, ZoneSigning* signing = nullptr,
                                  const AliasTable* aliases = nullptr);

}  // namespace apex::storage
