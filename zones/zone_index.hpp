// The set of served zones: an immutable, sharded index from apex to zone snapshot. Replacing
// one zone copies one shard, never the whole index (ARCHITECTURE.md §3.6).
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "zones/message.hpp"
#include "zones/zone.hpp"

namespace apex {

class ZoneIndex;
using ZoneIndexPtr = std::shared_ptr<const ZoneIndex>;

class ZoneIndex {
 public:
  static constexpr std::size_t kShards = 1024;

  ZoneIndex();
  // Builds an index of many zones at once (startup).
  static ZoneIndexPtr from_zones(std::vector<ZonePtr> zones);

  // A new index with zone added or replacing the zone of the same apex.
  ZoneIndexPtr with_zone(ZonePtr zone) const;
  // A new index without the zone at apex (unchanged copy if absent).
  ZoneIndexPtr without_zone(const Name& apex) const;

  // The zone with the longest apex that encloses the question name, starting the search
  // at label `first` of the question (so callers can skip the name itself), or null.
  const Zone* find_enclosing(const Question& q, std::size_t first = 0) const;
  // The zone at exactly this apex (lower-cased wire), or null.
  const Zone* find_exact(std::string_view apex_key) const;
  // The same, sharing ownership: for work that outlives this index, such as a zone transfer
  // that streams one snapshot while newer ones are published.
  ZonePtr share_exact(std::string_view apex_key) const;

  std::size_t zone_count() const { return zone_count_; }

  template <class Visit>
  void for_each_zone(Visit visit) const {
    for (const auto& shard : shards_)
      for (const auto& [key, zone] : *shard) visit(*zone);
  }

 private:
  using Shard = std::unordered_map<std::string, ZonePtr, WireKeyHash, WireKeyEqual>;
  static std::size_t shard_of(std::string_view key) { return WireKeyHash{}(key) % kShards; }

  std::array<std::shared_ptr<const Shard>, kShards> shards_;
  std::size_t zone_count_ = 0;
  std::size_t max_labels_ = 0;  // deepest apex; longer question suffixes need no probe
};

}  // namespace apex
