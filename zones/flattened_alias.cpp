// The flattened addresses an ALIAS stands for: the flattener's result, capped by the ALIAS TTL.
#include "zones/flattened_alias.hpp"

#include <algorithm>

namespace apex {

FlattenedFamily flattened_family(const AliasTable& aliases, std::string_view owner,
                                 const RRset& alias, RRType family) {
  const AliasResult* result = aliases.find(owner, alias_target_key(alias));
  if (!result) return {};  // not resolved yet: pending
  const AliasFamilyResult& r = result->of(family);
  if (r.state != AliasState::kAddresses) return {r.state, nullptr, 0, false};
  return {r.state, &r.addresses, std::min(alias.ttl, r.addresses.ttl), r.stale};
}

}  // namespace apex
