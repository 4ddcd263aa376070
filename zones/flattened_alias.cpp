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

void add_records(const Name& owner, RRType family, const RRset& set, std::uint32_t ttl,
                 std::vector<Record>& out) {
  for (std::span<const std::uint8_t> rdata : rrset_rdatas(set))
    out.push_back(Record{owner, family, RRClass::IN, ttl, {rdata.begin(), rdata.end()}});
}

// Calls each(owner, node, alias) for every ALIAS owner of the zone.
template <class Each>
void for_each_alias(const Zone& zone, Each each) {
  for (const auto& [key, node] : zone.nodes()) {
    const RRset* alias = node.find(RRType::ALIAS);
    if (!alias) continue;
    auto owner = Name::from_wire(
        {reinterpret_cast<const std::uint8_t*>(node.owner.data()), node.owner.size()});
    if (owner) each(*owner, node, *alias);  // zone data: owners are valid names
  }
}

}  // namespace

std::vector<Record> flattened_records(const Zone& zone, const AliasTable& aliases) {
  std::vector<Record> out;
  for_each_alias(zone, [&](const Name& owner, const Node& node, const RRset& alias) {
    for (RRType family : {RRType::A, RRType::AAAA}) {
      const FlattenedFamily served = flattened_family(aliases, node.owner, alias, family);
      if (served.state == AliasState::kAddresses)
        add_records(owner, family, *served.addresses, served.ttl, out);
    }
  });
  return out;
}

std::vector<Record> held_flattened_records(const Zone& zone) {
  std::vector<Record> out;
  for_each_alias(zone, [&](const Name& owner, const Node& node, const RRset&) {
    for (RRType family : {RRType::A, RRType::AAAA})
      if (const RRset* set = node.find(family)) add_records(owner, family, *set, set->ttl, out);
  });
  return out;
}

}  // namespace apex
