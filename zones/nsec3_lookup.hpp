// A zone's NSEC3 records sorted by hash, with the zone's NSEC3 parameters, built once when
// the snapshot is built, so the answer engine finds the NSEC3 that matches or covers a
// name's hash (RFC 5155 §7.2) by binary search. Names are hashed at query time: hashing is
// not signing.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "zones/nsec3_hash.hpp"

namespace apex {

struct Node;

class Nsec3Lookup {
 public:
  using Hash = std::array<std::uint8_t, kNsec3HashLength>;

  Nsec3Lookup() = default;
  // apex: the zone's apex node (its NSEC3PARAM gives the parameters); nodes: every node
  // holding an NSEC3 RRset, in any order. NSEC3 records of other parameters, or with an owner
  // that is not a hash, are left out (RFC 5155 §7.2: only the NSEC3PARAM's chain counts).
  Nsec3Lookup(const Node& apex, std::vector<const Node*> nodes);

  bool empty() const { return chain_.empty(); }
  // The hash of a lower-cased wire name under the zone's parameters.
  Hash hash(std::string_view name) const;
  // The node whose NSEC3 owner hash equals hash, or null.
  const Node* matching(const Hash& hash) const;
  // The node whose NSEC3 covers hash: the greatest owner hash below it, circularly.
  const Node* covering(const Hash& hash) const;

 private:
  std::vector<std::uint8_t> salt_;
  std::uint16_t iterations_ = 0;
  std::vector<std::pair<Hash, const Node*>> chain_;
};

}  // namespace apex
