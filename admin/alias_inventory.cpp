// The stored aliases with their settings, zone by zone.
#include "admin/alias_inventory.hpp"

#include <algorithm>
#include <map>

namespace apex::admin {
namespace {

// The ALIAS records of one zone's records, without settings yet.
void collect(const Name& apex, const std::vector<Record>& records, std::vector<AliasEntry>& out) {
  for (const Record& r : records) {
    if (r.type != RRType::ALIAS) continue;
    auto target = Name::from_wire(r.rdata);
    if (!target) continue;  // build_zone refuses such RDATA; nothing stored has it
    out.push_back(
        AliasEntry{apex, r.owner, r.ttl, std::move(target).value(), {r.owner, {}, {}, {}}});
  }
}

// Fills in the settings of the entries, all of zone apex.
Status add_settings(storage::Database& db, const Name& apex, std::vector<AliasEntry>& entries) {
  auto rows = db.alias_settings(apex);
  if (!rows) return Error{rows.error()};
  std::map<Name, const storage::AliasSettings*, CanonicalLess> by_owner;
  for (const auto& row : *rows) by_owner.emplace(row.owner.lowercased(), &row);
  for (AliasEntry& entry : entries) {
    auto it = by_owner.find(entry.owner.lowercased());
    if (it == by_owner.end()) continue;
    entry.settings = *it->second;
    entry.settings.owner = entry.owner;
  }
  return Ok{};
}

void sort_entries(std::vector<AliasEntry>& entries) {
  std::sort(entries.begin(), entries.end(), [](const AliasEntry& a, const AliasEntry& b) {
    return a.owner.canonical_compare(b.owner) < 0;
  });
}

}  // namespace

Result<std::vector<AliasEntry>> aliases_in_zone(storage::Database& db, const Name& apex,
                                                const std::vector<Record>& records) {
  std::vector<AliasEntry> entries;
  collect(apex.lowercased(), records, entries);
  if (entries.empty()) return entries;
  if (auto added = add_settings(db, apex, entries); !added) return Error{added.error()};
  sort_entries(entries);
  return entries;
}

Result<std::optional<std::vector<AliasEntry>>> zone_aliases(storage::Database& db,
                                                            const Name& apex) {
  auto records = db.zone_records(apex);
  if (!records) return Error{records.error()};
  if (!*records) return std::optional<std::vector<AliasEntry>>();
  auto entries = aliases_in_zone(db, apex, **records);
  if (!entries) return Error{entries.error()};
  return std::optional<std::vector<AliasEntry>>(std::move(entries).value());
}

Result<std::vector<AliasEntry>> all_aliases(storage::Database& db) {
  // The records stream zone by zone (bounded memory); the settings are read afterwards, for
  // the zones that have aliases, since the stream holds the read transaction.
  std::vector<std::pair<Name, std::vector<AliasEntry>>> zones;
  auto streamed = db.for_each_zone([&](const Name& apex, std::vector<Record>&& records) {
    std::vector<AliasEntry> entries;
    collect(apex, records, entries);
    if (!entries.empty()) zones.emplace_back(apex, std::move(entries));
  });
  if (!streamed) return Error{streamed.error()};
  std::sort(zones.begin(), zones.end(),
            [](const auto& a, const auto& b) { return a.first.canonical_compare(b.first) < 0; });
  std::vector<AliasEntry> ordered;
  for (auto& [apex, entries] : zones) {
    if (auto added = add_settings(db, apex, entries); !added) return Error{added.error()};
    sort_entries(entries);
    ordered.insert(ordered.end(), std::make_move_iterator(entries.begin()),
                   std::make_move_iterator(entries.end()));
  }
  return ordered;
}

}  // namespace apex::admin
