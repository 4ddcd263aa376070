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

namespace {

void add_records(const Name& owner, RRType family, const FlattenedFamily& served,
                 std::vector<Record>& out) {
  const std::vector<std::uint8_t>& packed = served.addresses->rdata;
  for (std::size_t at = 0; at + 2 <= packed.size();) {
    const std::size_t len = static_cast<std::size_t>(packed[at]) << 8 | packed[at + 1];
    const auto begin = packed.begin() + static_cast<std::ptrdiff_t>(at + 2);
    out.push_back(Record{
        owner, family, RRClass::IN, served.ttl, {begin, begin + static_cast<std::ptrdiff_t>(len)}});
    at += 2 + len;
  }
}

}  // namespace

std::vector<Record> flattened_records(const Zone& zone, const AliasTable& aliases) {
  std::vector<Record> out;
  for (const auto& [key, node] : zone.nodes()) {
    const RRset* alias = node.find(RRType::ALIAS);
    if (!alias) continue;
    auto owner = Name::from_wire(
        {reinterpret_cast<const std::uint8_t*>(node.owner.data()), node.owner.size()});
    if (!owner) continue;  // zone data: owners are valid names
    for (RRType family : {RRType::A, RRType::AAAA}) {
      const FlattenedFamily served = flattened_family(aliases, node.owner, *alias, family);
      if (served.state == AliasState::kAddresses) add_records(*owner, family, served, out);
    }
  }
  return out;
}

}  // namespace apex
