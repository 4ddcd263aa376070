// The ALIAS answer table: flattening results (A and AAAA per target) that the flattener
// publishes and the answer engine reads, immutable and swapped whole (ARCHITECTURE.md §3.5, §5).
#pragma once

#include <cstdint>
#include <memory>
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

struct AliasResult {
  AliasFamilyResult a;
  AliasFamilyResult aaaa;

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

// Why owner results hang under their target rather than in a second owner-keyed map: a
// lookup then costs one hash probe (by the target key the zone snapshot already holds) plus,
// only for targets that have owner results, a binary search among those owners; and an
// owner result computed for one target can never answer after the alias is re-pointed at
// another target in the zone data. Fallback addresses and health settings themselves stay
// in storage (the flattener reads them); zone snapshots hold only the ALIAS target.
class AliasTable {
 public:
  AliasTable() = default;  // empty: every alias is pending

  // Checks and indexes the entries: at most one per target and per (owner, target); for
  // kAddresses, at least one record, each of its family's size, TTL at most 2^31-1; for
  // the other states, no records. Owner entries whose target has no entry make the target
  // pending for the aliases without an owner result.
  static Result<std::shared_ptr<const AliasTable>> build(std::vector<AliasTargetEntry> targets,
                                                         std::vector<AliasOwnerEntry> owners = {});

  // The result for the ALIAS at owner (wire form, any case) pointing at target_key
  // (lower-cased wire form, as held in zone snapshots): the owner's own result if there is
  // one, else the target's, else null (pending). No allocation; one hash probe, plus a
  // binary search when the target has owner results.
  const AliasResult* find(std::string_view owner, std::string_view target_key) const;
  // The target's shared result (lower-cased wire form), or null.
  const AliasResult* find_target(std::string_view target_key) const;

  std::size_t target_count() const { return targets_.size(); }
  std::size_t owner_count() const { return owner_count_; }

 private:
  struct OwnerResult {
    std::string owner_key;  // lower-cased wire form
    AliasResult result;
  };
  struct TargetResults {
    AliasResult result;               // families stay kPending when only owner results were given
    std::vector<OwnerResult> owners;  // sorted by owner_key
  };
  using TargetMap = std::unordered_map<std::string, TargetResults, WireKeyHash, WireKeyEqual>;

  TargetMap targets_;
  std::size_t owner_count_ = 0;
};

using AliasTablePtr = std::shared_ptr<const AliasTable>;

// The target of an ALIAS RRset from a zone snapshot: lower-cased wire form (zone_builder
// folds it), the alias table key.
inline std::string_view alias_target_key(const RRset& alias) {
  std::size_t len = static_cast<std::size_t>(alias.rdata[0]) << 8 | alias.rdata[1];
  return {reinterpret_cast<const char*>(alias.rdata.data()) + 2, len};
}

}  // namespace apex
