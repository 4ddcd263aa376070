// The NSEC chain of a zone (RFC 4034 §4, RFC 4035 §2.3).
#include "zones/nsec_chain.hpp"

#include <algorithm>

#include "zones/type_bitmap.hpp"

namespace apex {

std::vector<std::uint8_t> nsec_rdata(const Name& next, std::span<const RRType> types) {
  std::vector<std::uint8_t> out(next.wire().begin(), next.wire().end());
  auto bitmap = encode_type_bitmap(types);
  out.insert(out.end(), bitmap.begin(), bitmap.end());
  return out;
}

std::vector<Record> nsec_chain(std::span<const OwnerTypes> owners, std::uint32_t ttl) {
  std::vector<const OwnerTypes*> sorted;
  sorted.reserve(owners.size());
  for (const auto& o : owners) sorted.push_back(&o);
  std::sort(sorted.begin(), sorted.end(), [](const OwnerTypes* a, const OwnerTypes* b) {
    return a->owner.canonical_compare(b->owner) < 0;
  });
  std::vector<Record> out;
  out.reserve(sorted.size());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const OwnerTypes& here = *sorted[i];
    // The last name points back to the first, the apex (RFC 4034 §4.1.1).
    const Name& next = sorted[(i + 1) % sorted.size()]->owner;
    std::vector<RRType> types = here.types;
    types.push_back(RRType::RRSIG);
    types.push_back(RRType::NSEC);
    out.push_back(Record{here.owner, RRType::NSEC, RRClass::IN, ttl, nsec_rdata(next, types)});
  }
  return out;
}

}  // namespace apex
