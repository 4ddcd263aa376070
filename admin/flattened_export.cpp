// The A/AAAA records that stand for a zone's aliases in a flattened export.
#include "admin/flattened_export.hpp"

#include "admin/iso_time.hpp"

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

std::string why_servfail(const storage::AliasTargetRow* row) {
  if (row == nullptr || row->state == "pending") return "pending: no result yet";
  return row->last_error.empty() ? row->state : row->state + ": " + row->last_error;
}

FamilyOutcome family_outcome(const AliasEntry& alias, RRType family, const AliasResults& results,
                             const flatten::FlattenPolicy& policy) {
  const std::string type = rrtype_to_text(family);
  const storage::AliasTargetRow* row = results.find(alias.target, family);
  if (std::string error = results.unreadable(alias.target, family); !error.empty())
    return {{}, "", label(alias) + "the saved " + type + " result is unreadable (" + error + ")"};
  ServedAnswer served = served_answer(alias, family, results, policy);
  switch (served.kind) {
    case ServedAnswer::Kind::kAddresses: {
      std::string note;
      if (served.stale) {
        note = label(alias) + "the " + type + " addresses are stale (last success " +
               (row->last_success_ms == 0 ? "never" : iso8601_utc(row->last_success_ms)) + ")";
      }
      return {std::move(served.result), std::move(note), ""};
    }
    case ServedAnswer::Kind::kFallback:
      return {std::move(served.result),
              label(alias) + type + " " + std::string(state_word(row)) +
                  "; wrote the fallback addresses",
              ""};
    case ServedAnswer::Kind::kNoData:
      return {std::move(served.result), "", ""};
    case ServedAnswer::Kind::kServFail:
      break;
  }
  return {{}, "", label(alias) + "no " + type + " addresses to write (" + why_servfail(row) + ")"};
}

}  // namespace

Result<FlattenedAliases> flatten_aliases(const std::vector<AliasEntry>& aliases,
                                         const AliasResults& results,
                                         const flatten::FlattenPolicy& policy) {
  FlattenedAliases out;
  std::vector<AliasOwnerEntry> owners;
  for (const AliasEntry& alias : aliases) {
    AliasOwnerEntry entry{alias.owner, alias.target.lowercased(), {}};
    bool any_addresses = false, any_problem = false;
    for (RRType family : {RRType::A, RRType::AAAA}) {
      FamilyOutcome outcome = family_outcome(alias, family, results, policy);
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
