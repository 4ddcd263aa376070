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

TargetRegistry::Reconciled TargetRegistry::set_aliases(std::vector<AliasSpec> aliases) {
  aliases_ = distinct(std::move(aliases));
  aliases_known_ = true;
  for (auto& [key, entry] : entries_) {
    entry.aliased = false;
    entry.health_ports.clear();
  }
  Reconciled result;
  for (const AliasSpec& alias : aliases_) {
    auto [it, added] = entries_.try_emplace(key_of(alias.target));
    if (added) {
      it->second.state.target = alias.target;
      result.added.push_back(it->first);
    }
    it->second.aliased = true;
    if (alias.health_tcp_port) it->second.health_ports.insert(*alias.health_tcp_port);
  }
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.aliased) {
      ++it;
      continue;
    }
    result.removed.push_back(it->second.state.target);
    it = entries_.erase(it);
  }
  return result;
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
