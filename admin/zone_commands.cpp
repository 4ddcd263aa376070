// apexctl zone add|delete|import (changes, see zone_edits.cpp) and export|list|show (reads).
#include "admin/zone_commands.hpp"

#include <algorithm>
#include <iomanip>
#include <optional>
#include <string_view>
#include <vector>

#include "admin/arguments.hpp"
#include "admin/command_line.hpp"
#include "admin/edit_runner.hpp"
#include "admin/json_text.hpp"
#include "admin/name_pattern.hpp"
#include "admin/subcommand.hpp"
#include "admin/zone_edits.hpp"
#include "admin/zone_show.hpp"
#include "zones/master_file.hpp"

namespace apex::admin {

const char* const kZoneUsage =
    "Usage: apexctl [--db FILE] zone COMMAND [ARGS...]\n"
    "\n"
    "Commands:\n"
    "  add ZONE                    create a zone from the zone template\n"
    "  delete ZONE                 delete a zone and all its records\n"
    "  import PATH                 import a master file, or every *.zone file in a directory\n"
    "  export ZONE                 print a zone as a master file\n"
    "  list [--match PATTERN] [--under NAME] [--json]\n"
    "                              list the zones with their record counts\n"
    "  show ZONE [--json]          SOA fields, serial, record count, last change\n"
    "\n"
    "Run 'apexctl zone COMMAND --help' for details.\n";

namespace {

const char* const kExportUsage =
    "Usage: apexctl [--db FILE] zone export ZONE\n"
    "\n"
    "Prints ZONE as a master file (absolute names, SOA first) that NSD, Knot and BIND load.\n";

const char* const kListUsage =
    "Usage: apexctl [--db FILE] zone list [--match PATTERN] [--under NAME] [--json]\n"
    "\n"
    "Lists the zones with their number of records, ordered by name.\n"
    "  --match PATTERN  only zones whose name matches the shell pattern ('*' any run of\n"
    "                   characters, '?' one; case-insensitive; trailing dot optional),\n"
    "                   e.g. --match '*.example.com' or --match 'shop-??.test'\n"
    "  --under NAME     only zones equal to or below NAME, e.g. --under example.com\n"
    "  --json           print a JSON array of {\"name\": ..., \"records\": ...}\n";

constexpr OptionSpec kListOptions[] = {{"--json", false}, {"--match", true}, {"--under", true}};

int zone_add(std::span<const std::string> args, const CommandContext& ctx) {
  return run_change_command(kZoneAddCommand, args, ctx);
}

int zone_delete(std::span<const std::string> args, const CommandContext& ctx) {
  return run_change_command(kZoneDeleteCommand, args, ctx);
}

int zone_import(std::span<const std::string> args, const CommandContext& ctx) {
  return run_change_command(kZoneImportCommand, args, ctx);
}

int zone_export(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, {});
  if (!line) return ctx.usage_error(line.error(), "zone export");
  if (line->positional.size() != 1) return ctx.usage_error("expected one ZONE", "zone export");
  auto apex = name_argument(line->positional[0]);
  if (!apex) return ctx.fail(ExitCode::kRefused, apex.error());
  auto db = ctx.open_database(storage::OpenMode::kExisting);
  if (!db) return ctx.fail(ExitCode::kDatabase, db.error());
  auto records = (*db)->zone_records(*apex);
  if (!records) return ctx.fail(ExitCode::kDatabase, records.error());
  if (!*records) {
    return ctx.fail(ExitCode::kRefused, "zone " + apex->to_text() + " is not in the database");
  }
  ctx.out << write_master_file(apex->lowercased(), **records);
  return to_int(ExitCode::kOk);
}

void print_zone_list(const std::vector<storage::ZoneSummary>& zones, bool json, std::ostream& out) {
  if (json) {
    std::vector<std::string> elements;
    for (const auto& z : zones) {
      elements.push_back(
          JsonObject().add("name", z.apex.to_text()).add("records", z.record_count).str());
    }
    out << json_array(elements, true) << '\n';
    return;
  }
  std::size_t width = 0;
  for (const auto& z : zones) width = std::max(width, z.apex.to_text().size());
  for (const auto& z : zones) {
    out << std::left << std::setw(static_cast<int>(width)) << z.apex.to_text() << "  "
        << z.record_count << '\n';
  }
}

int zone_list(std::span<const std::string> args, const CommandContext& ctx) {
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
  auto db = ctx.open_database(storage::OpenMode::kExisting);
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

// Not constexpr: the change commands' usage lives in zone_edits.cpp (constant-initialized, so
// reading it here during static initialization is safe).
const Subcommand kSubcommands[] = {
    {"add", zone_add, kZoneAddCommand.usage},
    {"delete", zone_delete, kZoneDeleteCommand.usage},
    {"import", zone_import, kZoneImportCommand.usage},
    {"export", zone_export, kExportUsage},
    {"list", zone_list, kListUsage},
    {"show", run_zone_show, kZoneShowUsage},
};

}  // namespace

int run_zone_command(std::span<const std::string> args, const CommandContext& ctx) {
  return dispatch_subcommand("zone", kZoneUsage, kSubcommands, args, ctx);
}

}  // namespace apex::admin
