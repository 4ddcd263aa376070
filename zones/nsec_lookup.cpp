// Canonical-order search over a zone's NSEC owners (RFC 4034 §6.1, RFC 4035 §3.1.3).
#include "zones/nsec_lookup.hpp"

#include <algorithm>

#include "zones/name.hpp"
#include "zones/zone.hpp"

namespace apex {

NsecLookup::NsecLookup(std::vector<const Node*> nodes) : owners_(std::move(nodes)) {
  std::sort(owners_.begin(), owners_.end(), [](const Node* a, const Node* b) {
    return canonical_compare_wire(a->owner, b->owner) < 0;
  });
}

const Node* NsecLookup::covering(std::string_view name) const {
  if (owners_.empty()) return nullptr;
  auto after = std::upper_bound(owners_.begin(), owners_.end(), name,
                                [](std::string_view n, const Node* node) {
                                  return canonical_compare_wire(n, node->owner) < 0;
                                });
  return after == owners_.begin() ? owners_.back() : *(after - 1);
}

}  // namespace apex
