// The canonical form of RRs and RRsets for DNSSEC (RFC 4034 §6): lower-cased owner and
// embedded names, RDATA sorted as octet strings, duplicates removed.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "zones/rrtype.hpp"

namespace apex {

// The RDATA with the ASCII letters of its embedded names lowered, for the types RFC 4034
// §6.2 lists as corrected by RFC 6840 §5.1 (NSEC's next name keeps its case; RRSIG's signer
// name is lowered); other types' RDATA is returned as it is.
std::vector<std::uint8_t> canonical_rdata(RRType type, std::span<const std::uint8_t> rdata);

// Every RDATA of one RRset in canonical form, in canonical RR order (RFC 4034 §6.3: as
// left-justified unsigned octet strings, a shorter prefix first) and without duplicates.
std::vector<std::vector<std::uint8_t>> canonical_rdata_set(
    RRType type, std::span<const std::vector<std::uint8_t>> rdatas);

}  // namespace apex
