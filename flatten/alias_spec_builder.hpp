// Assembles the flattener's AliasSpecs for one zone: owner, target and TTL from the zone
// snapshot's ALIAS records, fallbacks and health checks from the stored alias settings.
#pragma once

#include <functional>
#include <vector>

#include "flatten/alias_spec.hpp"
#include "storage/alias_store.hpp"
#include "zones/zone.hpp"

namespace apex::flatten {

// settings_of(owner) gives an owner's stored settings or null. Unparsable settings (which
// apexctl never writes) leave that alias without fallback or health check.
using SettingsLookup = std::function<const storage::AliasSettings*(const Name& owner)>;
std::vector<AliasSpec> alias_specs(const Zone& zone, const SettingsLookup& settings_of);

}  // namespace apex::flatten
