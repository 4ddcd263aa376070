// The stored zones as a ZoneSource for the cross-zone rules of `apexctl check`: read on demand
// from the database, a bounded number kept at a time.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <vector>

#include "admin/cross_zone_rules.hpp"
#include "storage/database.hpp"

namespace apex::admin {

class StoredZones : public ZoneSource {
 public:
  explicit StoredZones(storage::Database& db) : db_(db) {}

  Result<std::optional<Name>> enclosing_zone(const Name& name) override;
  Result<const WorkingZone*> zone_content(const Name& apex) override;
  Result<std::vector<Name>> zones_below(const Name& apex) override;

 private:
  // More zones read than this and the cache starts again: memory stays bounded while a check
  // of every zone follows aliases into many others.
  static constexpr std::size_t kCachedZones = 64;

  storage::Database& db_;
  std::map<Name, std::optional<WorkingZone>, CanonicalLess> zones_;  // none: not stored
  std::optional<std::set<Name, CanonicalLess>> apexes_;              // read once
};

}  // namespace apex::admin
