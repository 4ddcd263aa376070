// Loop detection and the depth limit for CNAME chains (ARCHITECTURE.md §5).
#include "flatten/chain_trail.hpp"

#include <algorithm>
#include <string>

namespace apex::flatten {

ChainTrail::ChainTrail(Name target, unsigned max_depth) : max_depth_(max_depth) {
  names_.push_back(std::move(target));
}

Status ChainTrail::hop(const Name& next, std::uint32_t ttl) {
  if (std::find(names_.begin(), names_.end(), next) != names_.end())
    return Error{"CNAME loop at " + next.to_text()};
  if (hops() >= max_depth_)
    return Error{"CNAME chain from " + names_.front().to_text() + " longer than " +
                 std::to_string(max_depth_) + " hops"};
  names_.push_back(next);
  cap_ttl(ttl);
  return Ok{};
}

void ChainTrail::cap_ttl(std::uint32_t ttl) {
  ttl_ = std::min(ttl_, ttl);
}

}  // namespace apex::flatten
