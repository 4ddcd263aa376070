// The record change commands: record add, record set, record delete. Each edits the in-memory
// copy of the zone that holds the name; the ChangeSet validates the zone as a whole after the
// last edit of the command.
#include "admin/record_edits.hpp"

#include <optional>
#include <vector>

#include "admin/arguments.hpp"
#include "admin/command_line.hpp"
#include "admin/record_text.hpp"

namespace apex::admin {
namespace {

const char* const kAddUsage =
    "Usage: apexctl [--db FILE] record add NAME TYPE RDATA... [--ttl TTL] [--if-serial N]\n"
    "\n"
    "Adds a record to the closest enclosing zone of NAME in the database.\n"
    "NAME and the names in RDATA are absolute; the trailing dot may be left out\n"
    "('mail.hostco.example' is mail.hostco.example., '@' is the zone's apex). RDATA is\n"
    "master-file text, except that a TXT or SPF value without double quotes is one string:\n"
    "  apexctl record add example.com TXT 'v=spf1 include:_spf.hostco.example -all'\n"
    "  apexctl record add example.com TXT '\"part one\" \"part two\"'   (two strings)\n"
    "  apexctl record add example.com MX 10 mail.hostco.example\n"
    "  --ttl TTL  seconds, or 30m, 1h30m, 1d, 1w (default: the TTL of the RRset the record\n"
    "             joins, else record_ttl from [zone_defaults], 3600). All records of an RRset\n"
    "             share one TTL (RFC 2181 §5.2): a different TTL is refused (use 'record set').\n"
    "  --if-serial N  refused unless the zone's SOA serial is N (nothing changed otherwise)\n"
    "Adding an SOA replaces the zone's SOA. A record that already exists is refused.\n"
    "ALIAS records have their own commands: 'apexctl alias set|delete'.\n"
    "The zone's SOA serial moves forward with every change, and the zone must still be valid\n"
    "afterwards (e.g. no CNAME beside other data), otherwise nothing is changed.\n";

const char* const kSetUsage =
    "Usage: apexctl [--db FILE] record set NAME TYPE [RDATA...] [--rdata RDATA]... [--ttl TTL]\n"
    "                                     [--if-serial N]\n"
    "\n"
    "Replaces the RRset of TYPE at NAME with the records given: the RDATA after TYPE is one\n"
    "record, and each --rdata option (one quoted shell argument) is one more. Names are\n"
    "absolute, as in 'record add':\n"
    "  apexctl record set www.example.com A 192.0.2.1\n"
    "  apexctl record set www.example.com A --rdata 192.0.2.1 --rdata 192.0.2.2 --ttl 5m\n"
    "  apexctl record set example.com MX --rdata '10 mail.example.com' --rdata '20 "
    "mx.example.net'\n"
    "  --ttl TTL  the RRset's TTL, seconds or 30m, 1h30m, 1d, 1w (default: its current TTL,\n"
    "             else record_ttl, 3600)\n"
    "  --if-serial N  refused unless the zone's SOA serial is N (nothing changed otherwise)\n"
    "Setting an RRset to what it already holds changes nothing (no new serial), so 'record\n"
    "set' is safe to repeat. To remove an RRset use 'record delete NAME TYPE'.\n";

const char* const kDeleteUsage =
    "Usage: apexctl [--db FILE] record delete NAME [TYPE [RDATA...]] [--if-serial N]\n"
    "\n"
    "Deletes the records at NAME: all of them (an ALIAS too, with its fallback and health\n"
    "settings), those of TYPE, or the one record of TYPE with RDATA (as in 'record add': names\n"
    "absolute, a TXT value without double quotes one string). Deleting nothing is refused.\n"
    "The zone's SOA serial moves forward, and the zone must still be valid afterwards (it\n"
    "keeps its SOA and apex NS).\n"
    "  --if-serial N  refused unless the zone's SOA serial is N (nothing changed otherwise)\n";

constexpr OptionSpec kTtlOption[] = {{"--ttl", true}};
constexpr OptionSpec kSetOptions[] = {{"--ttl", true}, {"--rdata", true}};

// A parsed record command: what the edit works on once it knows the zone.
struct RecordRequest {
  Name name;
  std::optional<RRType> type;
  std::vector<std::vector<std::string>> rdatas;  // each: one record's RDATA arguments
  std::optional<std::uint32_t> ttl;
};

std::string lines(const char* verb, const std::vector<Record>& records) {
  std::string text;
  for (const Record& r : records) text += std::string(verb) + " " + record_to_text(r) + "\n";
  return text;
}

// Reads "NAME TYPE" (type optional when type_required is false) and --ttl.
Result<RecordRequest> request_head(const CommandLine& line, bool type_required, Failure& failure) {
  const auto& pos = line.positional;
  auto name = name_argument(pos[0]);
  if (!name) return failure.refuse(name.error());
  RecordRequest request{std::move(name).value(), std::nullopt, {}, std::nullopt};
  if (pos.size() > 1 || type_required) {
    auto type = type_argument(pos[1]);
    if (!type) return failure.refuse(type.error());
    request.type = *type;
  }
  if (auto text = line.value("--ttl")) {
    auto ttl = ttl_argument(*text);
    if (!ttl) return failure.refuse(ttl.error());
    request.ttl = *ttl;
  }
  return request;
}

Result<std::vector<Rdata>> parse_rdatas(const RecordRequest& request, const Name& apex,
                                        Failure& failure) {
  std::vector<Rdata> rdatas;
  for (const auto& args : request.rdatas) {
    auto rdata = rdata_arguments(*request.type, args, apex);
    if (!rdata) return failure.refuse(rdata.error());
    rdatas.push_back(std::move(rdata).value());
  }
  return rdatas;
}

// --- record add ---

Result<std::string> add_record(ChangeSet& changes, const RecordRequest& request, Failure& failure) {
  auto at = changes.zone_containing(request.name, failure);
  if (!at) return Error{at.error()};
  auto rdatas = parse_rdatas(request, at->apex, failure);
  if (!rdatas) return Error{rdatas.error()};
  const RRType type = *request.type;
  const RRsetData* existing = at->zone->find(request.name, type);
  // An SOA RRset holds exactly one record: adding one replaces it, TTL included.
  const bool replaces = type == RRType::SOA;
  if (existing && !replaces && request.ttl && *request.ttl != existing->ttl) {
    const std::string keep = std::to_string(existing->ttl);
    return failure.refuse(request.name.to_text() + " " + rrtype_to_text(type) +
                          " already has TTL " + keep +
                          " and all records of an RRset share one TTL (RFC 2181 §5.2): use --ttl " +
                          keep + " or 'record set' to change the RRset's TTL");
  }
  const std::uint32_t ttl =
      request.ttl.value_or(existing ? existing->ttl : changes.config().record_ttl);
  Record record{request.name, type, RRClass::IN, ttl, rdatas->front()};
  if (existing && existing->contains(record.rdata)) {
    return failure.refuse("record already exists: " + record_to_text(record));
  }
  RRsetData rrset = existing && !replaces ? *existing : RRsetData{request.name, ttl, {}};
  rrset.ttl = ttl;
  rrset.rdatas.push_back(record.rdata);
  at->zone->set(type, std::move(rrset));
  changes.touch(at->apex, request.name);
  changes.set_action("cannot add " + record_to_text(record));
  return "added " + record_to_text(record) + "\n";
}

Result<Edit> parse_add(std::span<const std::string> args, Failure& failure) {
  auto line = parse_command_line(args, kTtlOption);
  if (!line) return failure.usage(line.error());
  if (line->positional.size() < 3) return failure.usage("expected NAME TYPE RDATA...");
  auto request = request_head(*line, true, failure);
  if (!request) return Error{request.error()};
  request->rdatas.emplace_back(line->positional.begin() + 2, line->positional.end());
  return Edit{[request = std::move(request).value()](ChangeSet& changes, Failure& failure) {
    return add_record(changes, request, failure);
  }};
}

// --- record set ---

Result<std::string> set_rrset(ChangeSet& changes, const RecordRequest& request, Failure& failure) {
  auto at = changes.zone_containing(request.name, failure);
  if (!at) return Error{at.error()};
  auto rdatas = parse_rdatas(request, at->apex, failure);
  if (!rdatas) return Error{rdatas.error()};
  const RRType type = *request.type;
  const RRsetData* existing = at->zone->find(request.name, type);
  const std::uint32_t ttl =
      request.ttl.value_or(existing ? existing->ttl : changes.config().record_ttl);
  RRsetData rrset{request.name, ttl, std::move(rdatas).value()};
  const RRsetData previous = existing ? *existing : RRsetData{};  // set() overwrites *existing
  const std::string what = request.name.to_text() + " " + rrtype_to_text(type);
  at->zone->set(type, std::move(rrset));
  const RRsetData* now = at->zone->find(request.name, type);
  if (existing && now->same_data(previous)) return std::string();
  changes.touch(at->apex, request.name);
  changes.set_action("cannot set " + what);
  RecordChanges diff = record_changes(
      {RRsetChange{rrset_key(request.name, type), existing ? &previous : nullptr, now}});
  return lines("deleted", diff.removed) + lines("added", diff.added);
}

Result<Edit> parse_set(std::span<const std::string> args, Failure& failure) {
  auto line = parse_command_line(args, kSetOptions);
  if (!line) return failure.usage(line.error());
  if (line->positional.size() < 2) return failure.usage("expected NAME TYPE [RDATA...]");
  auto request = request_head(*line, true, failure);
  if (!request) return Error{request.error()};
  if (line->positional.size() > 2) {
    request->rdatas.emplace_back(line->positional.begin() + 2, line->positional.end());
  }
  for (const std::string& rdata : line->all_values("--rdata")) request->rdatas.push_back({rdata});
  if (request->rdatas.empty()) {
    return failure.usage(
        "expected RDATA after TYPE or with --rdata (to remove the RRset, use "
        "'record delete NAME TYPE')");
  }
  if (*request->type == RRType::SOA && request->rdatas.size() > 1) {
    return failure.refuse("an SOA RRset holds exactly one record (RFC 1035 §5.2)");
  }
  return Edit{[request = std::move(request).value()](ChangeSet& changes, Failure& failure) {
    return set_rrset(changes, request, failure);
  }};
}

// --- record delete ---

std::string no_match_message(const RecordRequest& request, const Name& apex) {
  return "no " + (request.type ? rrtype_to_text(*request.type) + " " : std::string()) + "records " +
         (request.rdatas.empty() ? "" : "with that RDATA ") + "at " + request.name.to_text() +
         " in zone " + apex.to_text();
}

// Removes what the request names from the zone; returns the records removed.
std::vector<Record> remove_matching(WorkingZone& zone, const RecordRequest& request,
                                    const std::optional<Rdata>& rdata) {
  std::vector<Record> removed;
  for (const auto& [type, rrset] : zone.at(request.name)) {
    if (request.type && type != *request.type) continue;
    for (const Record& r : WorkingZone::records_of(type, *rrset)) {
      if (!rdata || r.rdata == *rdata) removed.push_back(r);
    }
  }
  for (const Record& r : removed) {
    RRsetData rest = *zone.find(r.owner, r.type);
    std::erase(rest.rdatas, r.rdata);
    zone.set(r.type, std::move(rest));
  }
  return removed;
}

Result<std::string> delete_records(ChangeSet& changes, const RecordRequest& request,
                                   Failure& failure) {
  auto at = changes.zone_containing(request.name, failure);
  if (!at) return Error{at.error()};
  std::optional<Rdata> rdata;
  if (!request.rdatas.empty()) {
    auto parsed = parse_rdatas(request, at->apex, failure);
    if (!parsed) return Error{parsed.error()};
    rdata = parsed->front();
  }
  std::vector<Record> removed = remove_matching(*at->zone, request, rdata);
  if (removed.empty()) return failure.refuse(no_match_message(request, at->apex));
  changes.touch(at->apex, request.name);
  changes.set_action("cannot delete " + (removed.size() == 1
                                             ? record_to_text(removed.front())
                                             : "the records at " + request.name.to_text()));
  return lines("deleted", removed);
}

Result<Edit> parse_delete(std::span<const std::string> args, Failure& failure) {
  auto line = parse_command_line(args, {});
  if (!line) return failure.usage(line.error());
  if (line->positional.empty()) return failure.usage("expected NAME [TYPE [RDATA...]]");
  auto request = request_head(*line, false, failure);
  if (!request) return Error{request.error()};
  if (line->positional.size() > 2) {
    request->rdatas.emplace_back(line->positional.begin() + 2, line->positional.end());
  }
  return Edit{[request = std::move(request).value()](ChangeSet& changes, Failure& failure) {
    return delete_records(changes, request, failure);
  }};
}

}  // namespace

const ChangeCommand kRecordAddCommand{"record", "add", parse_add, kAddUsage};
const ChangeCommand kRecordSetCommand{"record", "set", parse_set, kSetUsage};
const ChangeCommand kRecordDeleteCommand{"record", "delete", parse_delete, kDeleteUsage};

}  // namespace apex::admin
