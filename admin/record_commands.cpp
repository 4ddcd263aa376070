// apexctl record add|delete|list: single records in a stored zone.
#include "admin/record_commands.hpp"

#include <algorithm>
#include <iterator>
#include <optional>
#include <vector>

#include "admin/arguments.hpp"
#include "admin/command_line.hpp"
#include "admin/json_text.hpp"
#include "admin/record_text.hpp"
#include "admin/subcommand.hpp"
#include "admin/zone_change.hpp"
#include "zones/rdata.hpp"

namespace apex::admin {

const char* const kRecordUsage =
    "Usage: apexctl [--db FILE] record COMMAND [ARGS...]\n"
    "\n"
    "Commands:\n"
    "  add NAME TYPE RDATA... [--ttl N]    add a record to the zone that contains NAME\n"
    "  delete NAME [TYPE [RDATA...]]       delete records at NAME\n"
    "  list ZONE [NAME] [--json]           list a zone's records\n"
    "\n"
    "Run 'apexctl record COMMAND --help' for details.\n";

namespace {

const char* const kAddUsage =
    "Usage: apexctl [--db FILE] record add NAME TYPE RDATA... [--ttl N]\n"
    "\n"
    "Adds a record to the closest enclosing zone of NAME in the database.\n"
    "NAME is absolute; the trailing dot may be left out. RDATA is master-file text, and\n"
    "names in it without a trailing dot are relative to the zone's apex. Quote strings\n"
    "with spaces for the zone file as well as for the shell:\n"
    "  apexctl record add example.com TXT '\"v=spf1 -all\"'\n"
    "  apexctl record add example.com MX 10 mail\n"
    "  --ttl N   TTL in seconds (default: the TTL of the RRset the record joins, else 3600).\n"
    "            All records of an RRset share one TTL (RFC 2181 §5.2): a different TTL\n"
    "            is refused.\n"
    "Adding an SOA replaces the zone's SOA. The zone's SOA serial moves forward with every\n"
    "change, and the zone must still be valid afterwards (e.g. no CNAME beside other data),\n"
    "otherwise nothing is changed.\n";

const char* const kDeleteUsage =
    "Usage: apexctl [--db FILE] record delete NAME [TYPE [RDATA...]]\n"
    "\n"
    "Deletes the records at NAME: all of them, those of TYPE, or the one record of TYPE with\n"
    "RDATA (master-file text, names relative to the zone's apex). The zone's SOA serial moves\n"
    "forward, and the zone must still be valid afterwards (it keeps its SOA and apex NS).\n";

const char* const kListUsage =
    "Usage: apexctl [--db FILE] record list ZONE [NAME] [--json]\n"
    "\n"
    "Lists the records of ZONE, or only those at NAME, in canonical order (RFC 4034 §6).\n"
    "  --json   print a JSON array of {\"name\", \"ttl\", \"class\", \"type\", \"rdata\"}\n";

constexpr OptionSpec kAddOptions[] = {{"--ttl", true}};
constexpr OptionSpec kListOptions[] = {{"--json", false}};

Result<Name> enclosing_zone(storage::Database& db, const Name& name, BodyFailure& failure) {
  auto apex = db.find_enclosing_zone(name);
  if (!apex) return Error{apex.error()};
  if (!*apex) return failure.refuse("no zone in the database contains " + name.to_text());
  return **apex;
}

// The zone's records, read inside the caller's transaction (so the zone can't vanish).
Result<std::vector<Record>> stored_records(storage::Database& db, const Name& apex) {
  auto records = db.zone_records(apex);
  if (!records) return Error{records.error()};
  if (!*records) return Error{"zone " + apex.to_text() + " vanished during the transaction"};
  return std::move(**records);
}

std::optional<std::uint32_t> rrset_ttl(const std::vector<Record>& records, const Record& r) {
  for (const Record& s : records) {
    if (s.type == r.type && s.owner == r.owner) return s.ttl;
  }
  return std::nullopt;
}

// The record to add, given the RRset it joins. Adding an SOA replaces the zone's SOA (an SOA
// RRset holds exactly one record), so only other types are held to the RRset's TTL.
Result<ZoneChange> addition(const std::vector<Record>& records, Record record,
                            std::optional<std::uint32_t> ttl, BodyFailure& failure) {
  ZoneChange change;
  auto existing_ttl = rrset_ttl(records, record);
  if (existing_ttl && ttl && *ttl != *existing_ttl && record.type != RRType::SOA) {
    const std::string keep = std::to_string(*existing_ttl);
    return failure.refuse(record.owner.to_text() + " " + rrtype_to_text(record.type) +
                          " already has TTL " + keep +
                          " and all records of an RRset share one TTL (RFC 2181 §5.2): use --ttl " +
                          keep + " or delete the RRset first");
  }
  record.ttl = ttl.value_or(existing_ttl.value_or(kDefaultTtl));
  if (std::find(records.begin(), records.end(), record) != records.end()) {
    return failure.refuse("record already exists: " + record_to_text(record));
  }
  if (record.type == RRType::SOA) {
    std::copy_if(records.begin(), records.end(), std::back_inserter(change.removed),
                 [&](const Record& r) { return r.type == RRType::SOA && r.owner == record.owner; });
  }
  change.added.push_back(std::move(record));
  return change;
}

// A parsed "record add" or "record delete": what the transaction body works on.
struct RecordRequest {
  Name name;
  std::optional<RRType> type;
  std::span<const std::string> rdata;  // RDATA arguments, parsed once the zone is known
  std::optional<std::uint32_t> ttl;
};

// The body of record add; returns the report line. Runs inside the transaction.
Result<Report> add_record(storage::Database& db, const RecordRequest& request,
                          BodyFailure& failure) {
  auto apex = enclosing_zone(db, request.name, failure);
  if (!apex) return Error{apex.error()};
  auto rdata = rdata_arguments(*request.type, request.rdata, *apex);
  if (!rdata) return failure.refuse(rdata.error());
  auto records = stored_records(db, *apex);
  if (!records) return Error{records.error()};
  Record record{request.name, *request.type, RRClass::IN, 0, std::move(rdata).value()};
  auto change = addition(*records, std::move(record), request.ttl, failure);
  if (!change) return Error{change.error()};
  auto plan = plan_zone_change(*apex, *records, *change);
  if (!plan) {
    return failure.refuse("cannot add " + record_to_text(change->added.front()) + ": " +
                          plan.error());
  }
  if (auto written = write_zone_change(db, *apex, *plan); !written) return Error{written.error()};
  // plan->added starts with the new record (an added SOA comes back with its final serial).
  return Report{"added " + record_to_text(plan->added.front()) + " to zone " + apex->to_text() +
                    " (serial " + std::to_string(plan->serial) + ")\n",
                {}};
}

int record_add(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, kAddOptions);
  if (!line) return ctx.usage_error(line.error(), "record add");
  const auto& pos = line->positional;
  if (pos.size() < 3) return ctx.usage_error("expected NAME TYPE RDATA...", "record add");
  auto name = name_argument(pos[0]);
  if (!name) return ctx.fail(ExitCode::kRefused, name.error());
  auto type = type_argument(pos[1]);
  if (!type) return ctx.fail(ExitCode::kRefused, type.error());
  RecordRequest request{*name, *type, std::span(pos).subspan(2), std::nullopt};
  if (auto text = line->value("--ttl")) {
    auto ttl = ttl_argument(*text);
    if (!ttl) return ctx.fail(ExitCode::kRefused, ttl.error());
    request.ttl = *ttl;
  }
  return run_in_transaction(ctx, [&](storage::Database& db, BodyFailure& failure) {
    return add_record(db, request, failure);
  });
}

// The stored records the delete command names: at owner, of type if given, with rdata if given.
std::vector<Record> matching(const std::vector<Record>& records, const Name& owner,
                             std::optional<RRType> type,
                             const std::optional<std::vector<std::uint8_t>>& rdata) {
  std::vector<Record> out;
  for (const Record& r : records) {
    if (r.owner == owner && (!type || r.type == *type) && (!rdata || r.rdata == *rdata)) {
      out.push_back(r);
    }
  }
  return out;
}

std::string no_match_message(const RecordRequest& request, const Name& apex) {
  return "no " + (request.type ? rrtype_to_text(*request.type) + " " : std::string()) + "records " +
         (request.rdata.empty() ? "" : "with that RDATA ") + "at " + request.name.to_text() +
         " in zone " + apex.to_text();
}

// The body of record delete; returns the report. Runs inside the transaction.
Result<Report> delete_records(storage::Database& db, const RecordRequest& request,
                              BodyFailure& failure) {
  auto apex = enclosing_zone(db, request.name, failure);
  if (!apex) return Error{apex.error()};
  std::optional<std::vector<std::uint8_t>> rdata;
  if (!request.rdata.empty()) {
    auto parsed = rdata_arguments(*request.type, request.rdata, *apex);
    if (!parsed) return failure.refuse(parsed.error());
    rdata = std::move(parsed).value();
  }
  auto records = stored_records(db, *apex);
  if (!records) return Error{records.error()};
  ZoneChange change{matching(*records, request.name, request.type, rdata), {}};
  if (change.removed.empty()) return failure.refuse(no_match_message(request, *apex));
  auto plan = plan_zone_change(*apex, *records, change);
  if (!plan) return failure.refuse("cannot delete: " + plan.error());
  if (auto written = write_zone_change(db, *apex, *plan); !written) return Error{written.error()};
  Report report;
  for (const Record& r : change.removed) report.out += "deleted " + record_to_text(r) + "\n";
  report.out += "zone " + apex->to_text() + " serial " + std::to_string(plan->serial) + "\n";
  return report;
}

int record_delete(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, {});
  if (!line) return ctx.usage_error(line.error(), "record delete");
  const auto& pos = line->positional;
  if (pos.empty()) return ctx.usage_error("expected NAME [TYPE [RDATA...]]", "record delete");
  auto name = name_argument(pos[0]);
  if (!name) return ctx.fail(ExitCode::kRefused, name.error());
  RecordRequest request{*name, std::nullopt, {}, std::nullopt};
  if (pos.size() > 1) {
    auto type = type_argument(pos[1]);
    if (!type) return ctx.fail(ExitCode::kRefused, type.error());
    request.type = *type;
    request.rdata = std::span(pos).subspan(2);
  }
  return run_in_transaction(ctx, [&](storage::Database& db, BodyFailure& failure) {
    return delete_records(db, request, failure);
  });
}

// Canonical order (RFC 4034 §6.1 names, then type, then RDATA octets): stable and diffable.
bool canonical_record_less(const Record& a, const Record& b) {
  if (auto c = a.owner.canonical_compare(b.owner); c != 0) return c < 0;
  if (a.type != b.type) return a.type < b.type;
  return a.rdata < b.rdata;
}

void print_records(const std::vector<Record>& records, bool json, std::ostream& out) {
  if (!json) {
    for (const Record& r : records) out << record_to_text(r) << '\n';
    return;
  }
  out << '[';
  for (std::size_t i = 0; i < records.size(); ++i) {
    const Record& r = records[i];
    out << (i == 0 ? "" : ",") << "\n  {\"name\": " << json_string(r.owner.to_text())
        << ", \"ttl\": " << r.ttl << ", \"class\": " << json_string(rrclass_to_text(r.rrclass))
        << ", \"type\": " << json_string(rrtype_to_text(r.type))
        << ", \"rdata\": " << json_string(rdata_to_text(r.type, r.rdata)) << '}';
  }
  out << (records.empty() ? "]\n" : "\n]\n");
}

int record_list(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, kListOptions);
  if (!line) return ctx.usage_error(line.error(), "record list");
  const auto& pos = line->positional;
  if (pos.empty() || pos.size() > 2) return ctx.usage_error("expected ZONE [NAME]", "record list");
  auto apex = name_argument(pos[0]);
  if (!apex) return ctx.fail(ExitCode::kRefused, apex.error());
  std::optional<Name> owner;
  if (pos.size() == 2) {
    auto parsed = name_argument(pos[1]);
    if (!parsed) return ctx.fail(ExitCode::kRefused, parsed.error());
    if (!parsed->is_subdomain_of(*apex)) {
      return ctx.fail(ExitCode::kRefused,
                      parsed->to_text() + " is not inside zone " + apex->to_text());
    }
    owner = std::move(parsed).value();
  }
  auto db = ctx.open_database(storage::OpenMode::kExisting);
  if (!db) return ctx.fail(ExitCode::kDatabase, db.error());
  auto stored = (*db)->zone_records(*apex);
  if (!stored) return ctx.fail(ExitCode::kDatabase, stored.error());
  if (!*stored) {
    return ctx.fail(ExitCode::kRefused, "zone " + apex->to_text() + " is not in the database");
  }
  std::vector<Record> records = std::move(**stored);
  if (owner) std::erase_if(records, [&](const Record& r) { return !(r.owner == *owner); });
  std::sort(records.begin(), records.end(), canonical_record_less);
  print_records(records, line->has("--json"), ctx.out);
  return to_int(ExitCode::kOk);
}

constexpr Subcommand kSubcommands[] = {
    {"add", record_add, kAddUsage},
    {"delete", record_delete, kDeleteUsage},
    {"list", record_list, kListUsage},
};

}  // namespace

int run_record_command(std::span<const std::string> args, const CommandContext& ctx) {
  return dispatch_subcommand("record", kRecordUsage, kSubcommands, args, ctx);
}

}  // namespace apex::admin
