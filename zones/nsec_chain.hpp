// The NSEC chain of a zone (RFC 4034 §4, RFC 4035 §2.3): one NSEC per name, in canonical
// order (RFC 4034 §6.1), each naming the next and the types present, the last the apex.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "zones/denial_chain.hpp"
#include "zones/record.hpp"

namespace apex {

// NSEC records for the owners (any order; the apex among them), TTL ttl (RFC 9077 §3: the
// smaller of the SOA's TTL and MINIMUM). Every bitmap lists RRSIG and NSEC, which the
// NSEC's own signature puts there (RFC 4035 §2.3). Next names keep the case of the owners
// (RFC 6840 §5.1: they are not lower-cased).
std::vector<Record> nsec_chain(std::span<const OwnerTypes> owners, std::uint32_t ttl);

// NSEC RDATA: next name, then the type bitmap of types.
std::vector<std::uint8_t> nsec_rdata(const Name& next, std::span<const RRType> types);

}  // namespace apex
