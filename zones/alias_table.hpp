// The ALIAS answer table: flattening results (A and AAAA per target) that the flattener
// publishes and the answer engine reads, immutable; a new table shares every shard a change
// does not touch with the previous one (ARCHITECTURE.md §3.5, §3.6, §5).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "zones/name.hpp"
#include "zones/result.hpp"
#include "zones/rrtype.hpp"
#include "zones/zone.hpp"

namespace apex {

// What an ALIAS answers for one address family.
enum class AliasState : std::uint8_t {
  kPending,    // no result yet (a brand-new alias): SERVFAIL, since queries never wait
  kAddresses,  // the addresses RRset: fresh, or stale (RFC 8767) with a short TTL
  kNoData,     // the target has no records of this family: NODATA
  kFailed,     // nothing fresh, stale or fallback: SERVFAIL
};

std::string_view alias_state_to_text(AliasState state);

// One family's result. For kAddresses, addresses is an A or AAAA RRset packed like zone
// data, whose ttl is the TTL to serve before the ALIAS TTL caps it: the chain TTL when
// fresh, the flattener's short stale TTL when stale. For the other states it is empty.
struct AliasFamilyResult {
  AliasState state = AliasState::kPending;
  bool stale = false;  // last-known-good served past its TTL (for status and counters)
  RRset addresses{RRType::A, 0, 0, {}, {}};

  // family is RRType::A (rdatas of 4 octets) or RRType::AAAA (16 octets); AliasTable::build
  // checks the sizes.
  static AliasFamilyResult with_addresses(RRType family, std::uint32_t ttl,
                                          std::span<const std::vector<std::uint8_t>> rdatas,
                                          bool stale = false);
  static AliasFamilyResult no_data();
  static AliasFamilyResult failed();
};

bool operator==(const AliasFamilyResult& x, const AliasFamilyResult& y);

struct AliasResult {
  AliasFamilyResult a;
  AliasFamilyResult aaaa;

  friend bool operator==(const AliasResult&, const AliasResult&) = default;

  // family is RRType::A or RRType::AAAA.
  const AliasFamilyResult& of(RRType family) const { return family == RRType::AAAA ? aaaa : a; }
};

// The result for a target: shared by every ALIAS that points at it (the flattener resolves
// each distinct target once).
struct AliasTargetEntry {
  Name target;
  AliasResult result;
};

// A result for one alias (owner) instead of its target's: when the alias's own settings
// change what it serves (fallback addresses, health-filtered addresses).
struct AliasOwnerEntry {
  Name owner;
  Name target;
  AliasResult result;
};

// Everything the table holds for one target, replacing what a previous table held for it:
// the target's result (none: its aliases are pending) and the owner results under it (each
// with this target). No result and no owners: the target leaves the table.
struct AliasTargetChange {
  Name target;
  std::optional<AliasResult> result;
  std::vector<AliasOwnerEntry> owners;
};

// Why owner results hang under their target rather than in a second owner-keyed map: a
// lookup then costs one hash probe (by the target key the zone snapshot already holds) plus,
// only for targets that have owner results, a binary search among those owners; and an
// owner result computed for one target can never answer after the alias is re-pointed at
// another target in the zone data. Fallback addresses and health settings themselves stay
// in storage (the flattener reads them); zone snapshots hold only the ALIAS target.
class AliasTable;
using AliasTablePtr = std::shared_ptr<const AliasTable>;

// Why sharded: a change of a few targets copies the array of shard pointers and rebuilds the
// shards those targets hash to (about targets/kShards entries each), never the whole table,
// so publishing one changed alias costs the same with 100 or 100,000 targets; the shards
// nobody touched are shared with the previous table (ARCHITECTURE.md §3.6).
class AliasTable {
 public:
  static constexpr std::size_t kShards = 1024;

  AliasTable();  // empty: every alias is pending

  // Checks and indexes the entries: at most one per target and per (owner, target); for
  // kAddresses, at least one record, each of its family's size, TTL at most 2^31-1; for
  // the other states, no records. Owner entries whose target has no entry make the target
  // pending for the aliases without an owner result.
  static Result<AliasTablePtr> build(std::vector<AliasTargetEntry> targets,
                                     std::vector<AliasOwnerEntry> owners = {});

  // This table with each changed target's entries replaced (checked as build checks them;
  // at most one change per target). Shares every shard no change hashes to with this table.
  Result<AliasTablePtr> with_changes(std::vector<AliasTargetChange> changes) const;

  // The result for the ALIAS at owner (wire form, any case) pointing at target_key
  // (lower-cased wire form, as held in zone snapshots): the owner's own result if there is
  // one, else the target's, else null (pending). No allocation; one hash computation for
  // the shard and the probe in it, plus a binary search when the target has owner results.
  const AliasResult* find(std::string_view owner, std::string_view target_key) const;
  // The target's shared result (lower-cased wire form), or null.
  const AliasResult* find_target(std::string_view target_key) const;

  std::size_t target_count() const { return target_count_; }
  std::size_t owner_count() const { return owner_count_; }
  // Keys (lower-cased wire form) of the targets whose result or owner results differ between
  // before and this table, or that only one of them holds. Compares only the shards the two
  // tables do not share: in proportion to the changes between them, not to the table.
  std::vector<std::string> changed_targets(const AliasTable& before) const;
  // How many shards this table shares with other (the same object): for tests and stats.
  std::size_t shared_shards(const AliasTable& other) const;

  // Equal results for every target and owner, however the tables were made.
  friend bool operator==(const AliasTable& x, const AliasTable& y);

 private:
  struct OwnerResult {
    std::string owner_key;  // lower-cased wire form
    AliasResult result;
    friend bool operator==(const OwnerResult&, const OwnerResult&) = default;
  };
  struct TargetResults {
    AliasResult result;               // families stay kPending when only owner results were given
    std::vector<OwnerResult> owners;  // sorted by owner_key
    friend bool operator==(const TargetResults&, const TargetResults&) = default;
  };
  // A key whose hash is already known: the shard is chosen and probed with one computation.
  struct HashedKey {
    std::string_view key;
    std::size_t hash;
  };
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return WireKeyHash{}(s); }
    std::size_t operator()(const HashedKey& k) const { return k.hash; }
  };
  struct KeyEqual {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const { return a == b; }
    bool operator()(const HashedKey& a, std::string_view b) const { return a.key == b; }
    bool operator()(std::string_view a, const HashedKey& b) const { return a == b.key; }
  };
  using Shard = std::unordered_map<std::string, TargetResults, KeyHash, KeyEqual>;
  using ShardPtr = std::shared_ptr<const Shard>;

  static std::size_t shard_of(std::size_t hash) { return hash % kShards; }
  const TargetResults* find_results(std::string_view target_key) const;

  std::array<ShardPtr, kShards> shards_;
  std::size_t target_count_ = 0;
  std::size_t owner_count_ = 0;
};

// The target of an ALIAS RRset from a zone snapshot: lower-cased wire form (zone_builder
// folds it), the alias table key.
inline std::string_view alias_target_key(const RRset& alias) {
  std::size_t len = static_cast<std::size_t>(alias.rdata[0]) << 8 | alias.rdata[1];
  return {reinterpret_cast<const char*>(alias.rdata.data()) + 2, len};
}

}  // namespace apex
