// A signed zone's RRSIGs as kept in the database between builds of its snapshot, so that a
// restart signs nothing that is not due and a change signs only what it touched (RFC 6781
// §4.4.2: signatures are renewed before they expire, not at every publication).
#pragma once

#include <cstddef>

#include "zones/zone_signature.hpp"

namespace apex::storage {

// What writing a build's signatures over the previous ones did: rows inserted or replaced
// (new or renewed signatures) and rows deleted (RRsets or keys gone).
struct SignatureWrite {
  std::size_t written = 0;
  std::size_t deleted = 0;
};

}  // namespace apex::storage
