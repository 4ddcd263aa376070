// Records in compact wire form, back to back in one buffer: how a zone being imported is
// held between reading its file and grouping it into RRsets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "zones/record.hpp"
#include "zones/result.hpp"

namespace apex {

// Each record costs its owner's wire form, type, TTL, RDLENGTH and RDATA (RFC 1035 §3.2.1)
// plus one octet: less than half of a Record with its heap blocks, and no more than the
// master-file text it came from. Class IN is implied (zone data holds no other).
class PackedRecords {
 public:
  void add(const Record& record);
  std::size_t size() const { return count_; }
  std::size_t octets() const { return bytes_.size(); }

  // Sends the records to each in the order they were added.
  Status for_each(const RecordSink& each) const;

 private:
  std::vector<std::uint8_t> bytes_;
  std::size_t count_ = 0;
};

}  // namespace apex
