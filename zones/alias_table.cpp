// Building and probing the ALIAS answer table (ARCHITECTURE.md §5): results checked once when the
// flattener publishes them, so the answer engine can put them on the wire as they are.
#include "zones/alias_table.hpp"

#include <algorithm>

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

Result<AliasTablePtr> AliasTable::build(std::vector<AliasTargetEntry> targets,
                                        std::vector<AliasOwnerEntry> owners) {
  auto table = std::make_shared<AliasTable>();
  table->targets_.reserve(targets.size());
  for (auto& entry : targets) {
    std::string subject = "ALIAS target " + entry.target.to_text();
    if (auto ok = check_result(entry.result, subject); !ok) return Error{ok.error()};
    auto [it, inserted] = table->targets_.try_emplace(lower_key(entry.target));
    if (!inserted) return Error{subject + ": more than one result"};
    it->second.result = std::move(entry.result);
  }
  for (auto& entry : owners) {
    std::string subject = "ALIAS " + entry.owner.to_text() + " -> " + entry.target.to_text();
    if (auto ok = check_result(entry.result, subject); !ok) return Error{ok.error()};
    auto& list = table->targets_[lower_key(entry.target)].owners;
    list.push_back(OwnerResult{lower_key(entry.owner), std::move(entry.result)});
  }
  for (auto& [key, results] : table->targets_) {
    auto& list = results.owners;
    std::sort(list.begin(), list.end(),
              [](const OwnerResult& a, const OwnerResult& b) { return a.owner_key < b.owner_key; });
    auto same = [](const OwnerResult& a, const OwnerResult& b) {
      return a.owner_key == b.owner_key;
    };
    if (auto dup = std::adjacent_find(list.begin(), list.end(), same); dup != list.end()) {
      auto owner = Name::from_wire(
          {reinterpret_cast<const std::uint8_t*>(dup->owner_key.data()), dup->owner_key.size()});
      return Error{"ALIAS " + owner->to_text() + ": more than one owner result for one target"};
    }
    table->owner_count_ += list.size();
  }
  return AliasTablePtr(std::move(table));
}

const AliasResult* AliasTable::find_target(std::string_view target_key) const {
  auto it = targets_.find(target_key);
  return it == targets_.end() ? nullptr : &it->second.result;
}

const AliasResult* AliasTable::find(std::string_view owner, std::string_view target_key) const {
  auto it = targets_.find(target_key);
  if (it == targets_.end()) return nullptr;
  const auto& list = it->second.owners;
  if (!list.empty()) {
    auto pos = std::lower_bound(list.begin(), list.end(), owner,
                                [](const OwnerResult& r, std::string_view o) {
                                  return compare_folded(o, r.owner_key) > 0;
                                });
    if (pos != list.end() && compare_folded(owner, pos->owner_key) == 0) return &pos->result;
  }
  return &it->second.result;
}

}  // namespace apex
