// One version step of a zone as IXFR carries it (RFC 1995 §4): the SOA of the old version,
// the records deleted, the SOA of the new version, the records added. Kept in the journal
// as a DNS message whose answer section is that sequence (uncompressed), so the journal is
// read back by the same decoder as any message from the network.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "zones/record.hpp"
#include "zones/result.hpp"

namespace apex {

struct ZoneDifference {
  Record old_soa;
  std::vector<Record> deleted;  // without the SOA
  Record new_soa;
  std::vector<Record> added;  // without the SOA

  std::uint32_t from() const;  // the old SOA's serial (0 when it has none)
  std::uint32_t to() const;
};

// The message form; an error when it would not fit one message's 65,535 answer records.
Result<std::vector<std::uint8_t>> encode_difference(const ZoneDifference& difference);
// Reads the message form back, checking what the IXFR stream relies on: an SOA first, exactly
// one more SOA between deletions and additions, both of the same owner, class IN.
Result<ZoneDifference> decode_difference(std::span<const std::uint8_t> message);

}  // namespace apex
