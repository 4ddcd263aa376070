// The deduplicated target registry (ARCHITECTURE.md §5): one entry per distinct target (compared
// case-insensitively), however many aliases point at it, holding its state and the
// bookkeeping of its resolutions.
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
  bool aliased = false;                            // some alias points here
};

class TargetRegistry {
 public:
  using Entries = std::map<std::string, TargetEntry>;  // by lower-cased wire form

  static std::string key_of(const Name& name);

  struct Reconciled {
    std::vector<std::string> added;  // keys of new targets: resolve at once
    std::vector<Name> removed;       // targets no alias points at any more
  };
  // Replaces the aliases: keeps the entries of targets still pointed at, adds new ones
  // (kPending), drops the rest. Aliases repeated for the same owner and target count once;
  // fallback addresses of the wrong size are dropped.
  Reconciled set_aliases(std::vector<AliasSpec> aliases);
  struct Adopted {
    std::vector<std::string> keys;  // entries that took a persisted state
    std::vector<Name> unaliased;    // persisted targets no alias points at any more
  };
  // States persisted before a restart: adopted for targets without a result yet (or for any
  // target, before the first set_aliases).
  Adopted adopt(std::vector<TargetState> loaded);

  TargetEntry* find(const std::string& key);
  const std::vector<AliasSpec>& aliases() const { return aliases_; }
  Entries& entries() { return entries_; }
  const Entries& entries() const { return entries_; }

  // Keys of targets whose name or a name of their chains (last answer or last attempt) lies
  // at or below one of these zone apexes.
  std::vector<std::string> depending_on(const std::vector<Name>& zones) const;

 private:
  Entries entries_;
  std::vector<AliasSpec> aliases_;
  bool aliases_known_ = false;
};

}  // namespace apex::flatten
