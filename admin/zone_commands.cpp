// apexctl zone: add|delete|import|provider change zones (zone_edits.cpp), the others read.
#include "admin/zone_commands.hpp"
#include "admin/zone_reading.hpp"

#include <algorithm>
#include <iomanip>
#include <optional>
#include <string_view>
#include <vector>

#include "admin/alias_inventory.hpp"
#include "admin/alias_results.hpp"
#include "admin/arguments.hpp"
#include "admin/command_line.hpp"
#include "admin/flattened_export.hpp"
#include "admin/name_pattern.hpp"
#include "admin/zone_show.hpp"
#include "admin/zone_status.hpp"
#include "zones/json_text.hpp"
#include "zones/master_file.hpp"

namespace apex::admin {

const char* const kZoneUsage =
    "Usage: apexctl [--db FILE] zone COMMAND [ARGS...]\n"
    "\n"
    "Commands:\n"
    "  add ZONE [--provider] [--force]\n"
    "                              create a zone from the zone template\n"
    "  delete ZONE                 delete a zone and all its records\n"
    "  import PATH [--provider] [--force] [--allow-include DIR]\n"
    "                              import a master file, or every *.zone file in a directory\n"
    "  provider ZONE on|off        mark a zone provider-owned (ALIAS targets in it resolve\n"
    "                              locally) or not\n"
    "  export ZONE [--flatten]     print a zone as a master file\n"
    "  list [--match PATTERN] [--under NAME] [--json]\n"
    "                              list the zones with their record counts\n"
    "  show ZONE [--json]          SOA fields, serial, record count, provider flag, last change\n"
    "  status ZONE [--json]        the serial and each secondary's last transferred serial\n"
    "\n"
    "Run 'apexctl zone COMMAND --help' for details.\n";

const char* const kZoneExportUsage =
    "Usage: apexctl [--db FILE] zone export ZONE [--flatten]\n"
    "\n"
    "Prints ZONE as a master file (absolute names, SOA first). Aliases are written as\n"
    "'NAME TTL IN ALIAS TARGET' lines, which 'apexctl zone import' reads back.\n"
    "  --flatten  write each ALIAS as the A and AAAA records apexd's flattener last found for\n"
    "             its target (TTL: the smaller of the ALIAS TTL and the result's), so that\n"
    "             NSD, Knot and BIND can load the file: fresh or stale addresses as saved, a\n"
    "             family the target lacks as no records, a failed family as the alias's\n"
    "             fallback addresses. Stale and fallback addresses get a note on stderr.\n"
    "             A family with nothing to write (pending, or failed without fallback\n"
    "             addresses) refuses the export: each is named on stderr, nothing is\n"
    "             printed, exit status 1 (see 'apexctl alias status ZONE').\n";

const char* const kZoneListUsage =
    "Usage: apexctl [--db FILE] zone list [--match PATTERN] [--under NAME] [--json]\n"
    "\n"
    "Lists the zones with their number of records, ordered by name.\n"
    "  --match PATTERN  only zones whose name matches the shell pattern ('*' any run of\n"
    "                   characters, '?' one; case-insensitive; trailing dot optional),\n"
    "                   e.g. --match '*.example.com' or --match 'shop-??.test'\n"
    "  --under NAME     only zones equal to or below NAME, e.g. --under example.com\n"
    "  --json           print a JSON array of {\"name\": ..., \"records\": ...,\n"
    "                   \"provider\": true|false}\n"
    "Provider-owned zones are marked 'provider' after their record count.\n";

namespace {

constexpr OptionSpec kExportOptions[] = {{"--flatten", false}};
constexpr OptionSpec kListOptions[] = {{"--json", false}, {"--match", true}, {"--under", true}};

// The zone's master file with its aliases flattened, or the refusal's exit status.
int export_flattened(storage::Database& db, const Name& apex, const std::vector<Record>& records,
                     const CommandContext& ctx) {
  auto aliases = aliases_in_zone(db, apex, records);
  if (!aliases) return ctx.fail(ExitCode::kDatabase, aliases.error());
  auto rows = db.alias_targets();
  if (!rows) return ctx.fail(ExitCode::kDatabase, rows.error());
  auto flattened =
      flatten_aliases(*aliases, AliasResults(std::move(rows).value()), ctx.config.flatten);
  if (!flattened) return ctx.fail(ExitCode::kDatabase, flattened.error());
  for (const std::string& note : flattened->notes) ctx.err << "apexctl: note: " << note << '\n';
  if (!flattened->problems.empty()) {
    for (const std::string& problem : flattened->problems)
      ctx.err << "apexctl: " << problem << '\n';
    return ctx.fail(ExitCode::kRefused,
                    "zone " + apex.to_text() +
                        " not exported: the aliases above have no addresses to write (see "
                        "'apexctl alias status " +
                        apex.to_text() + "')");
  }
  ctx.out << write_master_file(apex, records, WriteOptions{flattened->table.get()});
  return to_int(ExitCode::kOk);
}

}  // namespace

int run_zone_export(std::span<const std::string> args, const CommandContext& ctx) {
  int failed = 0;
  auto read = read_zone_argument(args, kExportOptions, "zone export", ctx, failed);
  if (!read) return failed;
  const Name apex = read->apex.lowercased();
  if (read->line.has("--flatten")) return export_flattened(*read->db, apex, read->records, ctx);
  ctx.out << write_master_file(apex, read->records);
  return to_int(ExitCode::kOk);
}

namespace {

void print_zone_list(const std::vector<storage::ZoneSummary>& zones, bool json, std::ostream& out) {
  if (json) {
    std::vector<std::string> elements;
    for (const auto& z : zones) {
      elements.push_back(JsonObject()
                             .add("name", z.apex.to_text())
                             .add("records", z.record_count)
                             .add("provider", z.provider)
                             .str());
    }
    out << json_array(elements, true) << '\n';
    return;
  }
  std::size_t width = 0;
  for (const auto& z : zones) width = std::max(width, z.apex.to_text().size());
  for (const auto& z : zones) {
    out << std::left << std::setw(static_cast<int>(width)) << z.apex.to_text() << "  "
        << z.record_count << (z.provider ? "  provider" : "") << '\n';
  }
}

}  // namespace

int run_zone_list(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, kListOptions);
  if (!line) return ctx.usage_error(line.error(), "zone list");
  if (!line->positional.empty()) {
    return ctx.usage_error("unexpected argument '" + line->positional[0] + "'", "zone list");
  }
  std::optional<Name> under;
  if (auto text = line->value("--under")) {
    auto name = name_argument(*text);
    if (!name) return ctx.fail(ExitCode::kRefused, name.error());
    under = std::move(name).value();
  }
  const std::optional<NamePattern> pattern =
      line->value("--match") ? std::optional(NamePattern(*line->value("--match"))) : std::nullopt;
  auto db = ctx.open_database(storage::OpenMode::kReadOnly);
  if (!db) return ctx.fail(ExitCode::kDatabase, db.error());
  auto zones = (*db)->list_zones();
  if (!zones) return ctx.fail(ExitCode::kDatabase, zones.error());
  std::erase_if(*zones, [&](const storage::ZoneSummary& z) {
    return (under && !z.apex.is_subdomain_of(*under)) ||
           (pattern && !pattern->matches(z.apex.to_text()));
  });
  print_zone_list(*zones, line->has("--json"), ctx.out);
  return to_int(ExitCode::kOk);
}

}  // namespace apex::admin
