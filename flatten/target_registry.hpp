// The deduplicated target registry (ARCHITECTURE.md §5): one entry per distinct target (compared
// case-insensitively), however many aliases point at it, holding its state and the
// bookkeeping of its resolutions. Aliases are handed over per zone, and a change costs in
// proportion to the aliases of the zones changed (ARCHITECTURE.md §3.6): each target counts
// the aliases pointing at it and is forgotten when its last one goes.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "flatten/alias_spec.hpp"
#include "flatten/state_store.hpp"

namespace apex::flatten {

// Index of a family in per-family arrays: 0 for A, 1 for AAAA.
constexpr std::size_t family_index(RRType family) {
  return family == RRType::AAAA ? 1 : 0;
}
inline constexpr std::array<RRType, 2> kFamilies = {RRType::A, RRType::AAAA};

struct TargetEntry {
  TargetState state;
  std::array<bool, 2> in_flight{};  // a resolution of the family is under way
  std::array<bool, 2> again{};      // resolve again when it ends (it may have used old zones)
  std::array<std::vector<Name>, 2> attempt_chain;  // names the last attempt visited
  std::set<std::uint16_t> health_ports;            // of the aliases that check health
  std::size_t aliases = 0;                         // how many aliases point here, all zones
  // The aliases pointing here with settings of their own (fallback addresses, a health
  // check), which may serve otherwise than the target: by (owner key, zone apex key). The
  // others need nothing beyond the count.
  std::map<std::pair<std::string, std::string>, AliasSpec> with_settings;
  std::map<std::uint16_t, std::size_t> port_aliases;  // health port -> aliases checking it
};

// The aliases of one zone, as the server collects them from its snapshot and settings.
struct ZoneAliases {
  Name apex;
  std::vector<AliasSpec> aliases;  // none: the zone has no aliases (any more), or is gone
};

class TargetRegistry {
 public:
  using Entries = std::map<std::string, TargetEntry>;  // by lower-cased wire form

  static std::string key_of(const Name& name);

  struct Reconciled {
    std::vector<std::string> added;     // keys of new targets: resolve at once
    std::vector<Name> removed;          // targets no alias points at any more
    std::vector<std::string> touched;   // kept targets whose aliases changed (owner results)
    bool health_ports_changed = false;  // some alias with a health check came or went
  };
  // Replaces the aliases of these zones, leaving other zones' as they are: keeps the entries
  // of targets still pointed at, adds new ones (kPending), drops those whose last alias went.
  // A target moving from one of these zones to another keeps its entry. Within a zone, an
  // alias repeated for the same owner and target counts once (the last wins); fallback
  // addresses of the wrong size are dropped. Work in proportion to these zones' aliases.
  Reconciled set_zone_aliases(std::vector<ZoneAliases> zones);
  // Replaces every zone's aliases with these, as if one zone at the root held them all.
  Reconciled set_aliases(std::vector<AliasSpec> aliases);
  struct Adopted {
    std::vector<std::string> keys;  // entries that took a persisted state
    std::vector<Name> unaliased;    // persisted targets no alias points at any more
  };
  // States persisted before a restart: adopted for targets without a result yet (or for any
  // target, before the first set_aliases).
  Adopted adopt(std::vector<TargetState> loaded);

  TargetEntry* find(const std::string& key);
  // The aliases of the zone at apex as reconciled (empty when none).
  const std::vector<AliasSpec>& aliases_of(const Name& apex) const;
  std::size_t alias_count() const { return alias_count_; }
  Entries& entries() { return entries_; }
  const Entries& entries() const { return entries_; }

  // Keys of targets whose name or a name of their chains (last answer or last attempt) lies
  // at or below one of these zone apexes.
  std::vector<std::string> depending_on(const std::vector<Name>& zones) const;

 private:
  void add(const std::string& apex_key, const AliasSpec& alias, Reconciled& result,
           std::set<std::string>& touched);
  void remove(const std::string& apex_key, const AliasSpec& alias, Reconciled& result,
              std::set<std::string>& touched);

  Entries entries_;
  std::map<std::string, std::vector<AliasSpec>> zones_;  // by apex key
  std::size_t alias_count_ = 0;
  bool aliases_known_ = false;
};

}  // namespace apex::flatten
