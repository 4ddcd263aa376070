// The A/AAAA records that stand for a zone's aliases in a flattened export.
#include "admin/flattened_export.hpp"

#include <algorithm>

#include "admin/alias_settings.hpp"
#include "admin/iso_time.hpp"
#include "zones/record.hpp"

namespace apex::admin {
namespace {

struct FamilyOutcome {
  AliasFamilyResult result;
  std::string note;
  std::string problem;
};

std::string label(const AliasEntry& alias) {
  return alias.owner.to_text() + " ALIAS " + alias.target.to_text() + ": ";
}

FamilyOutcome saved_addresses(const AliasEntry& alias, RRType family,
                              const storage::AliasTargetRow& row) {
  const std::string type = rrtype_to_text(family);
  auto addresses = addresses_of_family(row.addresses, family);
  if (!addresses || addresses->empty()) {
    const std::string why = addresses ? "none saved" : addresses.error();
    return {{}, "", label(alias) + "the saved " + type + " result is unreadable (" + why + ")"};
  }
  const bool stale = row.state == "stale";
  // What apexd serves: the stale TTL for last-known-good addresses (rows older than schema
  // v4 have no served TTL: the result's).
  const std::uint32_t ttl = row.served_ttl != 0 ? row.served_ttl : row.ttl;
  FamilyOutcome out{
      AliasFamilyResult::with_addresses(family, std::min(ttl, kMaxTtl), *addresses, stale), "", ""};
  if (stale) {
    out.note = label(alias) + "the " + type + " addresses are stale (last success " +
               (row.last_success_ms == 0 ? "never" : iso8601_utc(row.last_success_ms)) + ")";
  }
  return out;
}

FamilyOutcome fallback_or_problem(const AliasEntry& alias, RRType family,
                                  const storage::AliasTargetRow& row) {
  const std::string type = rrtype_to_text(family);
  auto fallback = addresses_of_family(alias.fallback, family);
  if (fallback && !fallback->empty()) {
    const std::uint32_t ttl = row.served_ttl != 0 ? std::min(row.served_ttl, alias.ttl) : alias.ttl;
    return {AliasFamilyResult::with_addresses(family, ttl, *fallback),
            label(alias) + type + " failed; wrote the fallback addresses", ""};
  }
  const std::string why = row.last_error.empty() ? "" : ": " + row.last_error;
  return {{}, "", label(alias) + "no " + type + " addresses to write (failed" + why + ")"};
}

FamilyOutcome family_outcome(const AliasEntry& alias, RRType family, const AliasResults& results) {
  const storage::AliasTargetRow* row = results.find(alias.target, family);
  const std::string_view state = state_word(row);
  if (row != nullptr && serves_addresses(state)) return saved_addresses(alias, family, *row);
  if (state == "negative") return {AliasFamilyResult::no_data(), "", ""};
  if (row != nullptr && state == "failed") return fallback_or_problem(alias, family, *row);
  const std::string why = row == nullptr ? "pending: no result yet" : std::string(state);
  return {
      {}, "", label(alias) + "no " + rrtype_to_text(family) + " addresses to write (" + why + ")"};
}

}  // namespace

Result<FlattenedAliases> flatten_aliases(const std::vector<AliasEntry>& aliases,
                                         const AliasResults& results) {
  FlattenedAliases out;
  std::vector<AliasOwnerEntry> owners;
  for (const AliasEntry& alias : aliases) {
    AliasOwnerEntry entry{alias.owner, alias.target.lowercased(), {}};
    bool any_addresses = false, any_problem = false;
    for (RRType family : {RRType::A, RRType::AAAA}) {
      FamilyOutcome outcome = family_outcome(alias, family, results);
      if (!outcome.note.empty()) out.notes.push_back(outcome.note);
      if (!outcome.problem.empty()) out.problems.push_back(outcome.problem);
      any_problem = any_problem || !outcome.problem.empty();
      any_addresses = any_addresses || outcome.result.state == AliasState::kAddresses;
      (family == RRType::A ? entry.result.a : entry.result.aaaa) = std::move(outcome.result);
    }
    if (!any_addresses && !any_problem) {
      out.notes.push_back(label(alias) + "the target has no A or AAAA records; none written");
    }
    owners.push_back(std::move(entry));
  }
  auto table = AliasTable::build({}, std::move(owners));
  if (!table) return Error{table.error()};
  out.table = std::move(table).value();
  return out;
}

}  // namespace apex::admin
