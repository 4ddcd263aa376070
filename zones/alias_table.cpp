// Building and probing the ALIAS answer table (ARCHITECTURE.md §5): results checked once when the
// flattener publishes them, so the answer engine can put them on the wire as they are.
#include "zones/alias_table.hpp"

#include <algorithm>
#include <unordered_set>

#include "zones/record.hpp"

namespace apex {
namespace {

std::string lower_key(const Name& name) {
  return std::string(name.lowercased().wire_view());
}

std::size_t address_size(RRType family) {
  return family == RRType::AAAA ? 16 : 4;
}

// Orders a name of any case against a lower-cased key as if both were lower-cased, so owner
// results can be searched without folding the owner into a buffer first.
int compare_folded(std::string_view any_case, std::string_view lower) {
  std::size_t n = std::min(any_case.size(), lower.size());
  for (std::size_t i = 0; i < n; ++i) {
    auto a = fold_case(static_cast<std::uint8_t>(any_case[i]));
    auto b = static_cast<std::uint8_t>(lower[i]);
    if (a != b) return a < b ? -1 : 1;
  }
  if (any_case.size() == lower.size()) return 0;
  return any_case.size() < lower.size() ? -1 : 1;
}

Status check_records(const RRset& set, RRType family) {
  if (set.type != family) return Error{"addresses are " + rrtype_to_text(set.type)};
  if (set.count == 0) return Error{"no addresses"};
  if (set.ttl > kMaxTtl) return Error{"TTL " + std::to_string(set.ttl) + " is above 2147483647"};
  std::size_t pos = 0;
  for (std::uint16_t i = 0; i < set.count; ++i) {
    if (pos + 2 > set.rdata.size()) return Error{"RDATA shorter than its record count"};
    std::size_t len = static_cast<std::size_t>(set.rdata[pos]) << 8 | set.rdata[pos + 1];
    if (len != address_size(family))
      return Error{"a " + rrtype_to_text(family) + " RDATA of " + std::to_string(len) + " octets"};
    pos += 2 + len;
  }
  if (pos != set.rdata.size()) return Error{"RDATA longer than its record count"};
  return Ok{};
}

Status check_family(const AliasFamilyResult& r, RRType family) {
  if (r.state == AliasState::kAddresses) return check_records(r.addresses, family);
  if (r.addresses.count != 0 || !r.addresses.rdata.empty())
    return Error{"addresses given for state " + std::string(alias_state_to_text(r.state))};
  return Ok{};
}

Status check_result(const AliasResult& result, const std::string& subject) {
  if (auto ok = check_family(result.a, RRType::A); !ok) return Error{subject + " A: " + ok.error()};
  if (auto ok = check_family(result.aaaa, RRType::AAAA); !ok)
    return Error{subject + " AAAA: " + ok.error()};
  return Ok{};
}

}  // namespace

std::string_view alias_state_to_text(AliasState state) {
  switch (state) {
    case AliasState::kPending:
      return "pending";
    case AliasState::kAddresses:
      return "addresses";
    case AliasState::kNoData:
      return "nodata";
    case AliasState::kFailed:
      return "failed";
  }
  return "?";
}

AliasFamilyResult AliasFamilyResult::with_addresses(
    RRType family, std::uint32_t ttl, std::span<const std::vector<std::uint8_t>> rdatas,
    bool stale) {
  AliasFamilyResult r{AliasState::kAddresses, stale, RRset{family, ttl, 0, {}, {}}};
  for (const auto& rdata : rdatas) {
    r.addresses.rdata.push_back(static_cast<std::uint8_t>(rdata.size() >> 8));
    r.addresses.rdata.push_back(static_cast<std::uint8_t>(rdata.size()));
    r.addresses.rdata.insert(r.addresses.rdata.end(), rdata.begin(), rdata.end());
    ++r.addresses.count;
  }
  return r;
}

AliasFamilyResult AliasFamilyResult::no_data() {
  return {AliasState::kNoData, false, RRset{RRType::A, 0, 0, {}, {}}};
}

AliasFamilyResult AliasFamilyResult::failed() {
  return {AliasState::kFailed, false, RRset{RRType::A, 0, 0, {}, {}}};
}

bool operator==(const AliasFamilyResult& x, const AliasFamilyResult& y) {
  return x.state == y.state && x.stale == y.stale && x.addresses.type == y.addresses.type &&
         x.addresses.ttl == y.addresses.ttl && x.addresses.count == y.addresses.count &&
         x.addresses.rdata == y.addresses.rdata;
}

AliasTable::AliasTable() {
  // One shard every empty slot shares: a table with few targets costs the shard pointers only.
  static const ShardPtr empty = std::make_shared<const Shard>();
  shards_.fill(empty);
}

Result<AliasTablePtr> AliasTable::build(std::vector<AliasTargetEntry> targets,
                                        std::vector<AliasOwnerEntry> owners) {
  // Grouped by target, so that the one change per target with_changes takes holds them all.
  std::unordered_map<std::string, AliasTargetChange> grouped;
  grouped.reserve(targets.size());
  for (auto& entry : targets) {
    auto [it, added] = grouped.try_emplace(lower_key(entry.target));
    if (!added && it->second.result)
      return Error{"ALIAS target " + entry.target.to_text() + ": more than one result"};
    it->second.target = std::move(entry.target);
    it->second.result = std::move(entry.result);
  }
  for (auto& entry : owners) {
    auto& change = grouped[lower_key(entry.target)];
    if (change.owners.empty() && !change.result) change.target = entry.target;
    change.owners.push_back(std::move(entry));
  }
  std::vector<AliasTargetChange> changes;
  changes.reserve(grouped.size());
  for (auto& [key, change] : grouped) changes.push_back(std::move(change));
  return AliasTable().with_changes(std::move(changes));
}

Result<AliasTablePtr> AliasTable::with_changes(std::vector<AliasTargetChange> changes) const {
  auto table = std::make_shared<AliasTable>(*this);
  // Shards copied for this table, so that several changes in one shard copy it once.
  std::unordered_map<std::size_t, std::shared_ptr<Shard>> copied;
  std::unordered_set<std::string> seen;
  for (auto& change : changes) {
    std::string subject = "ALIAS target " + change.target.to_text();
    if (!seen.insert(lower_key(change.target)).second)
      return Error{subject + ": more than one result"};
    if (change.result)
      if (auto ok = check_result(*change.result, subject); !ok) return Error{ok.error()};
    std::vector<OwnerResult> owners;
    owners.reserve(change.owners.size());
    for (auto& entry : change.owners) {
      std::string owner_subject =
          "ALIAS " + entry.owner.to_text() + " -> " + entry.target.to_text();
      if (lower_key(entry.target) != lower_key(change.target))
        return Error{owner_subject + ": an owner result under another target"};
      if (auto ok = check_result(entry.result, owner_subject); !ok) return Error{ok.error()};
      owners.push_back(OwnerResult{lower_key(entry.owner), std::move(entry.result)});
    }
    std::sort(owners.begin(), owners.end(),
              [](const OwnerResult& a, const OwnerResult& b) { return a.owner_key < b.owner_key; });
    auto same = [](const OwnerResult& a, const OwnerResult& b) {
      return a.owner_key == b.owner_key;
    };
    if (auto dup = std::adjacent_find(owners.begin(), owners.end(), same); dup != owners.end()) {
      auto owner = Name::from_wire(
          {reinterpret_cast<const std::uint8_t*>(dup->owner_key.data()), dup->owner_key.size()});
      return Error{"ALIAS " + owner->to_text() + ": more than one owner result for one target"};
    }
    std::string key = lower_key(change.target);
    const std::size_t hash = WireKeyHash{}(key);
    const std::size_t i = shard_of(hash);
    auto& shard = copied[i];
    if (!shard) shard = std::make_shared<Shard>(*shards_[i]);
    auto it = shard->find(HashedKey{key, hash});
    if (it != shard->end()) {
      --table->target_count_;
      table->owner_count_ -= it->second.owners.size();
      shard->erase(it);
    }
    if (!change.result && owners.empty()) continue;
    auto [pos, inserted] = shard->try_emplace(std::move(key));
    pos->second.result = change.result ? std::move(*change.result) : AliasResult{};
    ++table->target_count_;
    table->owner_count_ += owners.size();
    pos->second.owners = std::move(owners);
  }
  for (auto& [i, shard] : copied) table->shards_[i] = std::move(shard);
  return AliasTablePtr(std::move(table));
}

const AliasTable::TargetResults* AliasTable::find_results(std::string_view target_key) const {
  const std::size_t hash = WireKeyHash{}(target_key);
  const Shard& shard = *shards_[shard_of(hash)];
  auto it = shard.find(HashedKey{target_key, hash});
  return it == shard.end() ? nullptr : &it->second;
}

const AliasResult* AliasTable::find_target(std::string_view target_key) const {
  const TargetResults* results = find_results(target_key);
  return results ? &results->result : nullptr;
}

const AliasResult* AliasTable::find(std::string_view owner, std::string_view target_key) const {
  const TargetResults* results = find_results(target_key);
  if (!results) return nullptr;
  const auto& list = results->owners;
  if (!list.empty()) {
    auto pos = std::lower_bound(list.begin(), list.end(), owner,
                                [](const OwnerResult& r, std::string_view o) {
                                  return compare_folded(o, r.owner_key) > 0;
                                });
    if (pos != list.end() && compare_folded(owner, pos->owner_key) == 0) return &pos->result;
  }
  return &results->result;
}

std::size_t AliasTable::shared_shards(const AliasTable& other) const {
  std::size_t shared = 0;
  for (std::size_t i = 0; i < kShards; ++i) shared += shards_[i] == other.shards_[i];
  return shared;
}

std::vector<std::string> AliasTable::changed_targets(const AliasTable& before) const {
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < kShards; ++i) {
    if (shards_[i] == before.shards_[i]) continue;
    const Shard& now = *shards_[i];
    const Shard& then = *before.shards_[i];
    for (const auto& [key, results] : now) {
      auto old = then.find(std::string_view(key));
      if (old == then.end() || !(old->second == results)) keys.push_back(key);
    }
    for (const auto& [key, results] : then)
      if (!now.contains(std::string_view(key))) keys.push_back(key);
  }
  return keys;
}

bool operator==(const AliasTable& x, const AliasTable& y) {
  if (x.target_count_ != y.target_count_ || x.owner_count_ != y.owner_count_) return false;
  for (std::size_t i = 0; i < AliasTable::kShards; ++i) {
    if (x.shards_[i] == y.shards_[i]) continue;
    if (*x.shards_[i] != *y.shards_[i]) return false;
  }
  return true;
}

}  // namespace apex
