// The CNAME chain followed from an ALIAS target (RFC 1034 §3.6.2, ARCHITECTURE.md §5): the names
// visited, the smallest TTL met, and the two ways a chain fails: a loop, or too many hops.
#pragma once

#include <cstdint>
#include <vector>

#include "zones/name.hpp"
#include "zones/record.hpp"
#include "zones/result.hpp"

namespace apex::flatten {

class ChainTrail {
 public:
  ChainTrail(Name target, unsigned max_depth);

  // The name being resolved now: the target, or the last hop's destination.
  const Name& current() const { return names_.back(); }
  // The target first, then each hop's destination.
  const std::vector<Name>& names() const { return names_; }
  std::size_t hops() const { return names_.size() - 1; }
  // Min of every TTL met so far (kMaxTtl before any).
  std::uint32_t ttl() const { return ttl_; }

  // Follows a CNAME (or local ALIAS) with this TTL from current() to next. Fails with
  // "CNAME loop at NAME" when next was visited before (compared case-insensitively), and
  // when the hop would make the chain longer than max_depth.
  Status hop(const Name& next, std::uint32_t ttl);
  // Lowers the chain TTL to ttl if smaller (the address RRset, a negative TTL). TTLs come
  // from decoded messages, where a TTL with the top bit set is already 0 (RFC 2181 §8), or
  // from zone snapshots, which hold none above 2^31 - 1.
  void cap_ttl(std::uint32_t ttl);

 private:
  std::vector<Name> names_;
  unsigned max_depth_;
  std::uint32_t ttl_ = kMaxTtl;
};

}  // namespace apex::flatten
