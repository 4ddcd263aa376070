// ALIAS owners are found by scanning the zone's nodes: a one-off cost per zone build, never
// on the query path.
#include "flatten/alias_spec_builder.hpp"

#include "zones/alias_table.hpp"

namespace apex::flatten {
namespace {

Name wire_name(std::string_view wire) {
  auto name = Name::from_wire({reinterpret_cast<const std::uint8_t*>(wire.data()), wire.size()});
  return name ? *name : Name();
}

}  // namespace

AliasSpec alias_spec(Name owner, Name target, std::uint32_t ttl,
                     const storage::AliasSettings* settings) {
  AliasSpec spec{std::move(owner), std::move(target), ttl, {}, {}, std::nullopt};
  if (settings != nullptr) {
    spec.fallback_a = settings->fallback_a;
    spec.fallback_aaaa = settings->fallback_aaaa;
    spec.health_tcp_port = settings->health_tcp_port;
  }
  return spec;
}

std::vector<AliasSpec> alias_specs(const Zone& zone, const SettingsLookup& settings_of) {
  std::vector<AliasSpec> out;
  for (const auto& [key, node] : zone.nodes()) {
    const RRset* alias = node.find(RRType::ALIAS);
    if (!alias) continue;
    const Name owner = wire_name(node.owner);
    out.push_back(
        alias_spec(owner, wire_name(alias_target_key(*alias)), alias->ttl, settings_of(owner)));
  }
  return out;
}

}  // namespace apex::flatten
