// Assembles the flattener's AliasSpecs for one zone: owner, target and TTL from the zone
// snapshot's ALIAS records, fallbacks and health checks from the stored alias settings.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "flatten/alias_spec.hpp"
#include "storage/alias_store.hpp"
#include "zones/name.hpp"
#include "zones/zone.hpp"

namespace apex::flatten {

// One alias: its ALIAS record's owner, target and TTL with its stored settings (null: none).
AliasSpec alias_spec(Name owner, Name target, std::uint32_t ttl,
                     const storage::AliasSettings* settings);

// settings_of(owner) gives an owner's stored settings or null.
using SettingsLookup = std::function<const storage::AliasSettings*(const Name& owner)>;
std::vector<AliasSpec> alias_specs(const Zone& zone, const SettingsLookup& settings_of);

}  // namespace apex::flatten
