// apexctl secondary add|list|delete: the servers apexd is primary of, which zones each may
// transfer (RFC 5936 §6) and is sent NOTIFY for (RFC 1996).
#include "admin/secondary_commands.hpp"

#include <algorithm>

#include "admin/arguments.hpp"
#include "admin/command_line.hpp"
#include "admin/secondary_endpoint.hpp"
#include "admin/text_table.hpp"
#include "zones/json_text.hpp"

namespace apex::admin {

const char* const kSecondaryUsage =
    "Usage: apexctl [--db FILE] secondary COMMAND [ARGS...]\n"
    "\n"
    "Secondaries are the servers (NSD, Knot, BIND...) that transfer zones from apexd and are\n"
    "sent NOTIFY when a zone changes; only they may transfer zones.\n"
    "\n"
    "Commands:\n"
    "  add ADDR[:PORT] [--key NAME] [--zone ZONE]...\n"
    "                              add a secondary, for all zones or the ZONEs given\n"
    "  list [--json]               the secondaries, their keys and zones\n"
    "  delete ADDR[:PORT]          delete a secondary\n"
    "\n"
    "Run 'apexctl secondary COMMAND --help' for details.\n";

const char* const kSecondaryAddUsage =
    "Usage: apexctl [--db FILE] secondary add ADDR[:PORT] [--key NAME] [--zone ZONE]...\n"
    "\n"
    "Adds the secondary at ADDR (IPv4, or IPv6 in brackets: [2001:db8::53]:53), port 53 by\n"
    "default. It may transfer, and is sent NOTIFY for, every zone (present and future), or\n"
    "only the ZONEs given.\n"
    "  --key NAME    sign transfers and NOTIFY with this TSIG key (see 'apexctl tsig add');\n"
    "                without it the address alone is checked\n"
    "  --zone ZONE   a zone it gets (repeatable); the zones must exist\n"
    "To change a secondary, delete it and add it again.\n";

const char* const kSecondaryListUsage =
    "Usage: apexctl [--db FILE] secondary list [--json]\n"
    "\n"
    "Lists the secondaries by address and port, with their TSIG key ('-' for none) and zones\n"
    "('all' for every zone).\n"
    "  --json   print a JSON array of {\"address\", \"port\", \"key\" (null for none),\n"
    "           \"all_zones\", \"zones\": [...]}\n";

const char* const kSecondaryDeleteUsage =
    "Usage: apexctl [--db FILE] secondary delete ADDR[:PORT]\n"
    "\n"
    "Deletes the secondary at ADDR and PORT (53 by default): it may no longer transfer zones\n"
    "and is no longer sent NOTIFY.\n";

namespace {

constexpr OptionSpec kAddOptions[] = {{"--key", true}, {"--zone", true}};
constexpr OptionSpec kJsonOption[] = {{"--json", false}};

Result<storage::Secondary> secondary_request(const CommandLine& line) {
  auto endpoint = secondary_endpoint_argument(line.positional[0]);
  if (!endpoint) return Error{endpoint.error()};
  storage::Secondary s{endpoint->address, endpoint->port, std::nullopt, true, {}};
  if (auto text = line.value("--key")) {
    auto key = name_argument(*text);
    if (!key) return Error{key.error()};
    s.key = key->lowercased();
  }
  for (const std::string& text : line.all_values("--zone")) {
    auto zone = name_argument(text);
    if (!zone) return Error{zone.error()};
    if (std::find(s.zones.begin(), s.zones.end(), *zone) == s.zones.end())
      s.zones.push_back(zone->lowercased());
  }
  std::sort(s.zones.begin(), s.zones.end(), CanonicalLess());
  s.all_zones = s.zones.empty();
  return s;
}

std::string zone_list(const storage::Secondary& s) {
  if (s.all_zones) return "all";
  if (s.zones.empty()) return "none";  // every listed zone was deleted since
  std::string text;
  for (const Name& zone : s.zones) text += (text.empty() ? "" : ",") + zone.to_text();
  return text;
}

std::string summary(const storage::Secondary& s) {
  return s.endpoint() + " key " + (s.key ? s.key->to_text() : "none") + " zones " + zone_list(s);
}

// Refuses what the database would refuse less clearly: a duplicate, an unknown key or zone.
Status check_new_secondary(storage::Database& db, const storage::TransferSettings& settings,
                           const storage::Secondary& s) {
  if (settings.find_secondary(s.address, s.port))
    return Error{"secondary " + s.endpoint() + " already exists (delete it to change it)"};
  if (s.key && !settings.find_key(*s.key)) {
    return Error{"TSIG key " + s.key->to_text() + " is not in the database (add it with " +
                 "'apexctl tsig add " + s.key->to_text() + "')"};
  }
  for (const Name& zone : s.zones) {
    auto found = db.find_enclosing_zone(zone);
    if (!found) return Error{found.error()};
    if (*found != zone) return Error{"zone " + zone.to_text() + " is not in the database"};
  }
  return Ok{};
}

}  // namespace

int run_secondary_add(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, kAddOptions);
  if (!line) return ctx.usage_error(line.error(), "secondary add");
  if (line->positional.size() != 1)
    return ctx.usage_error("expected one ADDR[:PORT]", "secondary add");
  auto request = secondary_request(*line);
  if (!request) return ctx.fail(ExitCode::kRefused, request.error());
  const storage::Secondary& s = *request;
  return run_in_transaction(ctx, [&](storage::Database& db, Failure& failure) -> Result<Report> {
    auto settings = db.load_transfer_settings();
    if (!settings) return Error{settings.error()};
    if (auto checked = check_new_secondary(db, *settings, s); !checked)
      return failure.refuse(checked.error());
    if (auto added = db.add_secondary(s); !added) return Error{added.error()};
    auto logged = db.log_change(storage::transfer_settings_change(
        ctx.actor, "secondary add", "+secondary " + summary(s), ctx.comment));
    if (!logged) return Error{logged.error()};
    std::string notes;
    if (!s.key) {
      notes = "apexctl: note: " + s.endpoint() +
              " has no TSIG key: its transfers and NOTIFY are not authenticated\n";
    }
    return Report{"added secondary " + summary(s) + "\n", notes};
  });
}

namespace {

std::string secondary_json(const storage::Secondary& s) {
  std::vector<std::string> zones;
  for (const Name& zone : s.zones) zones.push_back(zone.to_text());
  return JsonObject()
      .add("address", s.address)
      .add("port", s.port)
      .add_raw("key", s.key ? json_string(s.key->to_text()) : "null")
      .add("all_zones", s.all_zones)
      .add_raw("zones", json_string_array(zones))
      .str();
}

}  // namespace

int run_secondary_list(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, kJsonOption);
  if (!line) return ctx.usage_error(line.error(), "secondary list");
  if (!line->positional.empty()) return ctx.usage_error("expected no arguments", "secondary list");
  auto db = ctx.open_database(storage::OpenMode::kReadOnly);
  if (!db) return ctx.fail(ExitCode::kDatabase, db.error());
  auto settings = (*db)->load_transfer_settings();
  if (!settings) return ctx.fail(ExitCode::kDatabase, settings.error());
  if (line->has("--json")) {
    std::vector<std::string> elements;
    for (const auto& s : settings->secondaries) elements.push_back(secondary_json(s));
    ctx.out << json_array(elements, true) << '\n';
    return to_int(ExitCode::kOk);
  }
  if (settings->secondaries.empty()) return to_int(ExitCode::kOk);
  std::vector<std::vector<std::string>> rows{{"ADDRESS", "PORT", "KEY", "ZONES"}};
  for (const auto& s : settings->secondaries) {
    rows.push_back(
        {s.address, std::to_string(s.port), s.key ? s.key->to_text() : "-", zone_list(s)});
  }
  ctx.out << text_table(rows);
  return to_int(ExitCode::kOk);
}

int run_secondary_delete(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, {});
  if (!line) return ctx.usage_error(line.error(), "secondary delete");
  if (line->positional.size() != 1)
    return ctx.usage_error("expected one ADDR[:PORT]", "secondary delete");
  auto endpoint = secondary_endpoint_argument(line->positional[0]);
  if (!endpoint) return ctx.fail(ExitCode::kRefused, endpoint.error());
  return run_in_transaction(ctx, [&](storage::Database& db, Failure& failure) -> Result<Report> {
    auto settings = db.load_transfer_settings();
    if (!settings) return Error{settings.error()};
    const storage::Secondary* s = settings->find_secondary(endpoint->address, endpoint->port);
    if (!s) {
      return failure.refuse(
          "secondary " +
          storage::Secondary{endpoint->address, endpoint->port, std::nullopt, true, {}}.endpoint() +
          " is not in the database");
    }
    auto deleted = db.delete_secondary(s->address, s->port);
    if (!deleted) return Error{deleted.error()};
    auto logged = db.log_change(storage::transfer_settings_change(
        ctx.actor, "secondary delete", "-secondary " + summary(*s), ctx.comment));
    if (!logged) return Error{logged.error()};
    return Report{"deleted secondary " + s->endpoint() + "\n", ""};
  });
}

}  // namespace apex::admin
