// Reconciling the target registry with the aliases (ARCHITECTURE.md §5: one resolution per target).
#include "flatten/target_registry.hpp"

#include <algorithm>

namespace apex::flatten {
namespace {

void keep_sized(std::vector<Address>& addresses, std::size_t size) {
  std::erase_if(addresses, [size](const Address& a) { return a.size() != size; });
  std::sort(addresses.begin(), addresses.end());
  addresses.erase(std::unique(addresses.begin(), addresses.end()), addresses.end());
}

// One spec per (owner, target); the last one given wins.
std::vector<AliasSpec> distinct(std::vector<AliasSpec> aliases) {
  std::map<std::pair<std::string, std::string>, std::size_t> seen;
  std::vector<AliasSpec> out;
  for (auto& alias : aliases) {
    keep_sized(alias.fallback_a, 4);
    keep_sized(alias.fallback_aaaa, 16);
    auto key =
        std::make_pair(TargetRegistry::key_of(alias.owner), TargetRegistry::key_of(alias.target));
    auto [it, added] = seen.emplace(std::move(key), out.size());
    if (added)
      out.push_back(std::move(alias));
    else
      out[it->second] = std::move(alias);
  }
  return out;
}

bool has_result(const TargetEntry& entry) {
  return entry.state.a.last_attempt_ms != 0 || entry.state.aaaa.last_attempt_ms != 0 ||
         entry.in_flight[0] || entry.in_flight[1];
}

bool under_any(const Name& name, const std::vector<Name>& zones) {
  return std::any_of(zones.begin(), zones.end(),
                     [&](const Name& zone) { return name.is_subdomain_of(zone); });
}

bool depends_on(const TargetEntry& entry, const std::vector<Name>& zones) {
  if (under_any(entry.state.target, zones)) return true;
  for (RRType family : kFamilies) {
    for (const Name& n : entry.state.of(family).chain)
      if (under_any(n, zones)) return true;
    for (const Name& n : entry.attempt_chain[family_index(family)])
      if (under_any(n, zones)) return true;
  }
  return false;
}

}  // namespace

std::string TargetRegistry::key_of(const Name& name) {
  return std::string(name.lowercased().wire_view());
}

void TargetRegistry::add(const std::string& apex_key, const AliasSpec& alias, Reconciled& result,
                         std::set<std::string>& touched) {
  auto [it, added] = entries_.try_emplace(key_of(alias.target));
  TargetEntry& entry = it->second;
  if (added) {
    entry.state.target = alias.target;
    result.added.push_back(it->first);
  }
  ++entry.aliases;
  ++alias_count_;
  if (alias.has_fallback() || alias.health_tcp_port)
    entry.with_settings[{key_of(alias.owner), apex_key}] = alias;
  if (alias.health_tcp_port) {
    ++entry.port_aliases[*alias.health_tcp_port];
    result.health_ports_changed = true;
  }
  touched.insert(it->first);
}

void TargetRegistry::remove(const std::string& apex_key, const AliasSpec& alias, Reconciled& result,
                            std::set<std::string>& touched) {
  auto it = entries_.find(key_of(alias.target));
  if (it == entries_.end()) return;
  TargetEntry& entry = it->second;
  --entry.aliases;
  --alias_count_;
  entry.with_settings.erase({key_of(alias.owner), apex_key});
  if (alias.health_tcp_port) {
    auto port = entry.port_aliases.find(*alias.health_tcp_port);
    if (port != entry.port_aliases.end() && --port->second == 0) entry.port_aliases.erase(port);
    result.health_ports_changed = true;
  }
  touched.insert(it->first);
}

TargetRegistry::Reconciled TargetRegistry::set_zone_aliases(std::vector<ZoneAliases> zones) {
  Reconciled result;
  std::set<std::string> touched;
  // Every old alias goes before any new one comes, so that an alias kept (or moved between
  // these zones) never leaves its target without aliases: the entry and its state stay.
  for (const ZoneAliases& zone : zones) {
    auto it = zones_.find(key_of(zone.apex));
    if (it == zones_.end()) continue;
    for (const AliasSpec& alias : it->second) remove(it->first, alias, result, touched);
    zones_.erase(it);
  }
  for (ZoneAliases& zone : zones) {
    std::string apex_key = key_of(zone.apex);
    auto specs = distinct(std::move(zone.aliases));
    if (specs.empty()) continue;
    auto& held = zones_[apex_key];
    for (const AliasSpec& alias : specs) add(apex_key, alias, result, touched);
    held.insert(held.end(), std::make_move_iterator(specs.begin()),
                std::make_move_iterator(specs.end()));
  }
  // Until the first hand-over, states adopted from storage wait for their aliases; from then
  // on, those no zone points at are gone.
  if (!aliases_known_)
    for (const auto& [key, entry] : entries_) touched.insert(key);
  aliases_known_ = true;
  const std::set<std::string> added(result.added.begin(), result.added.end());
  for (const std::string& key : touched) {
    auto it = entries_.find(key);
    TargetEntry& entry = it->second;
    if (entry.aliases == 0) {
      result.removed.push_back(entry.state.target);
      entries_.erase(it);
      continue;
    }
    entry.health_ports.clear();
    for (const auto& [port, count] : entry.port_aliases) entry.health_ports.insert(port);
    if (!added.contains(key)) result.touched.push_back(key);
  }
  return result;
}

TargetRegistry::Reconciled TargetRegistry::set_aliases(std::vector<AliasSpec> aliases) {
  std::vector<ZoneAliases> zones;
  for (const auto& [apex_key, specs] : zones_)
    zones.push_back({*Name::from_wire(
                         {reinterpret_cast<const std::uint8_t*>(apex_key.data()), apex_key.size()}),
                     {}});
  zones.push_back({Name(), std::move(aliases)});
  return set_zone_aliases(std::move(zones));
}

const std::vector<AliasSpec>& TargetRegistry::aliases_of(const Name& apex) const {
  static const std::vector<AliasSpec> none;
  auto it = zones_.find(key_of(apex));
  return it == zones_.end() ? none : it->second;
}

TargetRegistry::Adopted TargetRegistry::adopt(std::vector<TargetState> loaded) {
  Adopted adopted;
  for (auto& state : loaded) {
    std::string key = key_of(state.target);
    auto it = entries_.find(key);
    if (it == entries_.end()) {
      if (aliases_known_) {
        adopted.unaliased.push_back(std::move(state.target));
        continue;
      }
      it = entries_.emplace(key, TargetEntry{}).first;
    } else if (has_result(it->second)) {
      continue;
    }
    state.target = it->second.state.target.is_root() ? state.target : it->second.state.target;
    it->second.state = std::move(state);
    adopted.keys.push_back(std::move(key));
  }
  return adopted;
}

TargetEntry* TargetRegistry::find(const std::string& key) {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

std::vector<std::string> TargetRegistry::depending_on(const std::vector<Name>& zones) const {
  std::vector<std::string> keys;
  if (zones.empty()) return keys;
  for (const auto& [key, entry] : entries_)
    if (depends_on(entry, zones)) keys.push_back(key);
  return keys;
}

}  // namespace apex::flatten
