// Checks an RRSIG over an RRset with a DNSKEY (RFC 4035 §5.3): the signer's self-check
// after signing, and what tests compare with.
#pragma once

#include <cstdint>
#include <span>

#include "zones/name.hpp"
#include "zones/result.hpp"
#include "zones/rrsig_signer.hpp"

namespace apex {

// Ok when rrsig_rdata is a valid signature of rrset at time now by the DNSKEY (RDATA
// dnskey_rdata, owner dnskey_owner): RFC 4035 §5.3.1's checks (type covered, signer is the
// key's owner and encloses the RRset, labels, validity period in serial arithmetic, key tag,
// algorithm, zone key) and then the signature itself over RFC 4035 §5.3.2's signed data,
// a wildcard owner rebuilt from the Labels field. The error says which check failed.
Status verify_rrsig(std::span<const std::uint8_t> rrsig_rdata, const Name& dnskey_owner,
                    std::span<const std::uint8_t> dnskey_rdata, const RRsetView& rrset,
                    std::uint32_t now);

}  // namespace apex
