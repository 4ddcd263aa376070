// apexctl revert CHANGE_ID: the inverse of a logged change, applied as a new change.
#include "admin/revert_command.hpp"

#include <charconv>
#include <optional>
#include <string_view>

#include "admin/change_detail_reader.hpp"
#include "admin/command_line.hpp"
#include "admin/edit_runner.hpp"
#include "zones/soa_serial.hpp"

namespace apex::admin {

const char* const kRevertUsage =
    "Usage: apexctl [--db FILE] revert CHANGE_ID [--force]\n"
    "\n"
    "Undoes change CHANGE_ID of a zone (its number in 'apexctl log') as a new change, with its\n"
    "own serial and change-log entry: records it added are deleted, records it deleted are\n"
    "added back with their TTL, alias settings and the provider flag are set as they were;\n"
    "a created zone is deleted, a deleted zone is created again as it was (its serial one\n"
    "above the deleted one). Refused when a later change touched the same records or\n"
    "aliases (or, for a created or deleted zone, the zone at all), since undoing it would\n"
    "also undo or collide with that change.\n"
    "  --force   revert anyway, on top of the zone as it is now\n";

namespace {

constexpr OptionSpec kOptions[] = {{"--force", false}};

struct Request {
  std::int64_t id = 0;
  bool force = false;
};

std::string change_text(std::int64_t id) {
  return "change " + std::to_string(id);
}

// Refused when a later change of the zone touched what this one did.
Status check_later_changes(storage::Database& db, const Name& apex,
                           const storage::LoggedChange& change, const LoggedZoneChange& logged,
                           Failure& failure) {
  auto later = db.zone_changes_after(apex, change.id);
  if (!later) return Error{later.error()};
  for (const storage::LoggedChange& next : *later) {
    auto other = read_change_detail(apex, next.entry.detail);
    if (other && !changes_overlap(logged, *other)) continue;
    return failure.refuse(change_text(change.id) + " cannot be reverted: " + change_text(next.id) +
                          " ('" + next.entry.operation + "' by " + next.entry.actor +
                          ") changed the same " +
                          (logged.fate == ZoneFate::kUpdated ? "records" : "zone") +
                          " since; --force reverts it anyway, on top of the zone as it is now");
  }
  return Ok{};
}

void remove_record(WorkingZone& zone, const Record& record) {
  const RRsetData* found = zone.find(record.owner, record.type);
  if (!found) return;
  RRsetData rrset = *found;
  std::erase(rrset.rdatas, record.rdata);
  zone.set(record.type, std::move(rrset));
}

// Adds the record back; the RRset takes its TTL (one TTL per RRset, RFC 2181 §5.2).
void add_record(WorkingZone& zone, const Record& record) {
  const RRsetData* found = zone.find(record.owner, record.type);
  RRsetData rrset = found ? *found : RRsetData{record.owner, record.ttl, {}};
  rrset.ttl = record.ttl;
  rrset.rdatas.push_back(record.rdata);
  zone.set(record.type, std::move(rrset));
}

// The SOA as it was, but for the serial, which only moves forward (the change set bumps it).
Status restore_soa(WorkingZone& zone, const Record& old_soa) {
  const RRsetData* current = zone.find(zone.apex(), RRType::SOA);
  if (!current || current->rdatas.empty()) return Error{"the zone has no SOA"};
  auto serial = soa_serial(current->rdatas.front());
  if (!serial) return Error{serial.error()};
  auto rdata = with_soa_serial(old_soa.rdata, *serial);
  if (!rdata) return Error{rdata.error()};
  zone.set(RRType::SOA, RRsetData{current->owner, old_soa.ttl, {std::move(*rdata)}});
  return Ok{};
}

Status restore_settings(ChangeSet& changes, const Name& apex, const LoggedZoneChange& logged,
                        Failure& failure) {
  auto settings = changes.alias_settings(apex, failure);
  if (!settings) return Error{settings.error()};
  if (!*settings) return Ok{};
  for (const auto& s : logged.settings_added) (*settings)->erase(s.owner.lowercased());
  for (const auto& s : logged.settings_removed) (**settings)[s.owner.lowercased()] = s;
  if (logged.provider) return changes.set_provider(apex, !*logged.provider, failure);
  return Ok{};
}

Status undo_update(ChangeSet& changes, const Name& apex, const LoggedZoneChange& logged,
                   Failure& failure) {
  auto zone = changes.zone(apex, failure);
  if (!zone) return Error{zone.error()};
  if (!*zone) return failure.refuse("zone " + apex.to_text() + " does not exist any more");
  WorkingZone& z = **zone;
  for (const Record& r : logged.added) {
    if (r.type == RRType::SOA) continue;  // replaced whole below
    remove_record(z, r);
    changes.touch(apex, r.owner);
  }
  for (const Record& r : logged.removed) {
    if (r.type == RRType::SOA) {
      if (auto ok = restore_soa(z, r); !ok) return failure.refuse(ok.error());
    } else {
      add_record(z, r);
    }
    changes.touch(apex, r.owner);
  }
  return restore_settings(changes, apex, logged, failure);
}

// The zone as it was deleted, with a serial above the deleted one: a secondary that kept the
// zone then transfers it again.
Status undo_delete(ChangeSet& changes, const Name& apex, const LoggedZoneChange& logged, bool force,
                   Failure& failure) {
  auto zone = WorkingZone::from_records(apex, logged.removed);
  if (!zone) return failure.refuse(zone.error());
  if (const RRsetData* soa = zone->find(apex, RRType::SOA); soa && logged.old_serial) {
    auto rdata = with_soa_serial(soa->rdatas.front(), *logged.old_serial + 1);
    if (!rdata) return failure.refuse(rdata.error());
    zone->set(RRType::SOA, RRsetData{soa->owner, soa->ttl, {std::move(*rdata)}});
  }
  auto existing = changes.zone(apex, failure);
  if (!existing) return Error{existing.error()};
  if (*existing && !force)
    return failure.refuse("zone " + apex.to_text() + " exists again; --force replaces it");
  if (*existing) {
    auto replaced = changes.replace_zone(std::move(*zone), "", failure);
    if (!replaced) return Error{replaced.error()};
  } else if (auto created = changes.create_zone(std::move(*zone), failure); !created) {
    return created;
  }
  return restore_settings(changes, apex, logged, failure);
}

// A DNSSEC change stores keys and key times, not records a version step can undo; undoing
// it by hand would also skip the steps that keep validators working (RFC 7583, RFC 8078
// §4), so the dnssec command that undoes it is named instead.
std::optional<std::string> dnssec_change_refusal(const storage::LoggedChange& change,
                                                 const Name& apex) {
  const std::string& operation = change.entry.operation;
  if (!operation.starts_with("dnssec ")) return std::nullopt;
  const std::string zone = apex.to_text();
  const std::string undo = operation == "dnssec enable"
                               ? "'apexctl dnssec disable " + zone + "' (it removes the DS first)"
                           : operation == "dnssec disable"
                               ? "'apexctl dnssec enable " + zone + "'"
                               : "'apexctl dnssec status " + zone + "' and the dnssec commands";
  return change_text(change.id) + " ('" + operation + "') changed the zone's DNSSEC keys and " +
         "cannot be reverted: use " + undo;
}

Result<std::string> revert(ChangeSet& changes, const Request& request, Failure& failure) {
  storage::Database& db = changes.database();
  auto found = db.change(request.id);
  if (!found) return Error{found.error()};
  if (!*found) return failure.refuse("there is no " + change_text(request.id) + " in the log");
  const storage::LoggedChange& change = **found;
  if (!change.entry.zone)
    return failure.refuse(change_text(request.id) + " ('" + change.entry.operation +
                          "') changed the TSIG keys or secondaries: undo it with the tsig or "
                          "secondary command");
  const Name apex = *change.entry.zone;
  if (auto refusal = dnssec_change_refusal(change, apex)) return failure.refuse(*refusal);
  auto logged = read_change_detail(apex, change.entry.detail);
  if (!logged)
    return failure.refuse(change_text(request.id) + " cannot be reverted: " + logged.error());
  if (!request.force)
    if (auto ok = check_later_changes(db, apex, change, *logged, failure); !ok)
      return Error{ok.error()};
  changes.set_action("cannot revert " + change_text(request.id));
  Status undone = logged->fate == ZoneFate::kCreated ? changes.delete_zone(apex, failure)
                  : logged->fate == ZoneFate::kDeleted
                      ? undo_delete(changes, apex, *logged, request.force, failure)
                      : undo_update(changes, apex, *logged, failure);
  if (!undone) return Error{undone.error()};
  return "reverted " + change_text(request.id) + " ('" + change.entry.operation + "') of zone " +
         apex.to_text() + "\n";
}

Result<Request> parse_request(std::span<const std::string> args) {
  auto line = parse_command_line(args, kOptions);
  if (!line) return Error{line.error()};
  if (line->positional.size() != 1) return Error{"expected one CHANGE_ID"};
  const std::string& text = line->positional[0];
  Request request;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), request.id);
  if (ec != std::errc() || end != text.data() + text.size() || request.id <= 0)
    return Error{"CHANGE_ID must be a change number from 'apexctl log', not '" + text + "'"};
  request.force = line->has("--force");
  return request;
}

}  // namespace

int run_revert_command(std::span<const std::string> args, const CommandContext& ctx) {
  auto request = parse_request(args);
  if (!request) return ctx.usage_error(request.error(), "revert");
  std::vector<LabeledEdit> edits;
  edits.push_back(LabeledEdit{"", Edit{[request = *request](ChangeSet& changes, Failure& failure) {
                                return revert(changes, request, failure);
                              }}});
  return run_edits(ctx, std::move(edits), EditRunOptions{"revert", false, false, 0},
                   [](const EditResults& results) {
                     std::string text = results.reports;
                     for (const ZoneOutcome& o : results.outcomes) text += o.summary() + "\n";
                     return text;
                   });
}

}  // namespace apex::admin
