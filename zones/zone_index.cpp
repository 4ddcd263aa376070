// Sharded copy-on-write zone index (ARCHITECTURE.md §3.6): lookups probe each suffix of the
// question name, deepest first, so the most specific zone wins.
#include "zones/zone_index.hpp"

#include <algorithm>

namespace apex {
ZoneIndex::ZoneIndex() {
  auto empty = std::make_shared<const Shard>();
  shards_.fill(empty);
}

ZoneIndexPtr ZoneIndex::from_zones(std::vector<ZonePtr> zones) {
  std::array<Shard, kShards> building;
  auto index = std::make_shared<ZoneIndex>();
  for (auto& zone : zones) {
    std::string key(zone->apex_key());
    index->max_labels_ = std::max(index->max_labels_, zone->apex().label_count());
    auto& shard = building[shard_of(key)];
    if (shard.insert_or_assign(std::move(key), std::move(zone)).second) ++index->zone_count_;
  }
  for (std::size_t i = 0; i < kShards; ++i)
    index->shards_[i] = std::make_shared<const Shard>(std::move(building[i]));
  return index;
}

ZoneIndexPtr ZoneIndex::with_zone(ZonePtr zone) const {
  auto index = std::make_shared<ZoneIndex>(*this);
  std::string key(zone->apex_key());
  index->max_labels_ = std::max(max_labels_, zone->apex().label_count());
  auto i = shard_of(key);
  auto shard = std::make_shared<Shard>(*shards_[i]);
  if (shard->insert_or_assign(std::move(key), std::move(zone)).second) ++index->zone_count_;
  index->shards_[i] = std::move(shard);
  return index;
}

ZoneIndexPtr ZoneIndex::without_zone(const Name& apex) const {
  auto index = std::make_shared<ZoneIndex>(*this);
  Name lower = apex.lowercased();
  std::string key(lower.wire_view());
  auto i = shard_of(key);
  if (!shards_[i]->contains(key)) return index;
  auto shard = std::make_shared<Shard>(*shards_[i]);
  shard->erase(key);
  index->shards_[i] = std::move(shard);
  --index->zone_count_;
  return index;
}

const Zone* ZoneIndex::find_exact(std::string_view apex_key) const {
  const Shard& shard = *shards_[shard_of(apex_key)];
  auto it = shard.find(apex_key);
  return it == shard.end() ? nullptr : it->second.get();
}

ZonePtr ZoneIndex::share_exact(std::string_view apex_key) const {
  const Shard& shard = *shards_[shard_of(apex_key)];
  auto it = shard.find(apex_key);
  return it == shard.end() ? nullptr : it->second;
}

const Zone* ZoneIndex::find_enclosing(const Question& q, std::size_t first) const {
  std::size_t start = std::max(first, q.labels > max_labels_ ? q.labels - max_labels_ : 0);
  for (std::size_t i = start; i <= q.labels; ++i)
    if (const Zone* zone = find_exact(q.lower_suffix(i))) return zone;
  return nullptr;
}

}  // namespace apex
