// The version step between two snapshots of one zone (RFC 1995 §4), computed from what each
// serves rather than from the stored records that produced them: for a signed zone it holds
// the RRSIG, NSEC/NSEC3 and DNSKEY records that changed with the data or were made anew.
#pragma once

#include "zones/result.hpp"
#include "zones/zone.hpp"
#include "zones/zone_difference.hpp"

namespace apex {

// old_soa and new_soa are the snapshots' SOA records; deleted are the records before holds
// and after does not, added the reverse, neither with the SOA or the private ALIAS type
// (which never leaves the server). A record whose TTL changed is deleted and added again,
// since IXFR deletes and adds whole records. Owners compare without regard to case (RFC
// 4343); records are listed in canonical order (RFC 4034 §6.1), then by type and RDATA, so
// the same two snapshots always give the same step. An error only for an owner that is not
// a name, which a built snapshot never holds.
Result<ZoneDifference> snapshot_difference(const Zone& before, const Zone& after);

}  // namespace apex
