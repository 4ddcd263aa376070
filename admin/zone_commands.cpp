// apexctl zone import|export|list|delete: whole zones in and out of the database.
#include "admin/zone_commands.hpp"

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "admin/arguments.hpp"
#include "admin/command_line.hpp"
#include "admin/json_text.hpp"
#include "admin/soa_serial.hpp"
#include "admin/subcommand.hpp"
#include "zones/master_file.hpp"
#include "zones/zone_builder.hpp"

namespace apex::admin {

const char* const kZoneUsage =
    "Usage: apexctl [--db FILE] zone COMMAND [ARGS...]\n"
    "\n"
    "Commands:\n"
    "  import PATH      import a master file, or every *.zone file in a directory\n"
    "  export ZONE      print a zone as a master file\n"
    "  list [--json]    list the zones with their record counts\n"
    "  delete ZONE      delete a zone and all its records\n"
    "\n"
    "Run 'apexctl zone COMMAND --help' for details.\n";

namespace {

namespace fs = std::filesystem;

const char* const kImportUsage =
    "Usage: apexctl [--db FILE] zone import PATH\n"
    "\n"
    "Imports the RFC 1035 master file PATH, or every *.zone file in the directory PATH.\n"
    "A zone's name is the file's $ORIGIN (before its first record), else the file name\n"
    "without '.zone'. Every zone is validated before anything is written, and the whole\n"
    "import is one transaction: after any error, nothing has been written.\n"
    "A zone that is already in the database is replaced. Its SOA serial never goes\n"
    "backwards: a serial that is not above the stored one becomes the stored serial + 1,\n"
    "so that secondaries see the change.\n";

const char* const kExportUsage =
    "Usage: apexctl [--db FILE] zone export ZONE\n"
    "\n"
    "Prints ZONE as a master file (absolute names, SOA first) that NSD, Knot and BIND load.\n";

const char* const kListUsage =
    "Usage: apexctl [--db FILE] zone list [--json]\n"
    "\n"
    "Lists every zone with its number of records, ordered by name.\n"
    "  --json   print a JSON array of {\"name\": ..., \"records\": ...}\n";

const char* const kDeleteUsage =
    "Usage: apexctl [--db FILE] zone delete ZONE\n"
    "\n"
    "Deletes ZONE and all its records.\n";

constexpr OptionSpec kJsonOption[] = {{"--json", false}};

// One parsed and validated master file.
struct ZoneFile {
  fs::path path;
  MasterFile zone;
};

Result<std::vector<fs::path>> zone_file_paths(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Error{path.string() + ": no such file or directory"};
  if (!fs::is_directory(path, ec)) return std::vector<fs::path>{path};
  std::vector<fs::path> files;
  // The error_code forms throughout: a directory that vanishes or can't be read is a message.
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".zone") files.push_back(it->path());
  }
  if (ec) return Error{path.string() + ": " + ec.message()};
  if (files.empty()) return Error{path.string() + ": no *.zone files in this directory"};
  std::sort(files.begin(), files.end());  // a stable order for messages and for the output
  return files;
}

// Reads and validates every file; the first error stops the import before the database is
// touched.
Result<std::vector<ZoneFile>> read_zone_files(const std::vector<fs::path>& paths) {
  std::vector<ZoneFile> zones;
  std::map<Name, fs::path, CanonicalLess> seen;
  for (const fs::path& path : paths) {
    auto file = read_master_file(path);
    if (!file) return Error{file.error()};
    auto zone = build_zone(file->origin, file->records);
    if (!zone) return Error{path.string() + ": " + zone.error()};
    auto [it, fresh] = seen.emplace(file->origin, path);
    if (!fresh) {
      return Error{path.string() + ": zone " + file->origin.to_text() + " is also in " +
                   it->second.string()};
    }
    zones.push_back({path, std::move(file).value()});
  }
  return zones;
}

// DESIGN §6: a zone's serial never goes backwards. Returns a note when the file's serial had
// to be raised above the stored one.
Result<std::optional<std::string>> keep_serial_moving(storage::Database& db, MasterFile& file) {
  auto stored = db.zone_records(file.origin);
  if (!stored) return Error{stored.error()};
  if (!*stored) return std::optional<std::string>();
  auto is_soa = [&](const Record& r) { return r.type == RRType::SOA && r.owner == file.origin; };
  auto old_soa = std::find_if((*stored)->begin(), (*stored)->end(), is_soa);
  auto new_soa = std::find_if(file.records.begin(), file.records.end(), is_soa);
  if (old_soa == (*stored)->end() || new_soa == file.records.end()) {
    return std::optional<std::string>();
  }
  auto old_serial = soa_serial(old_soa->rdata);
  auto proposed = soa_serial(new_soa->rdata);
  if (!old_serial || !proposed) return std::optional<std::string>();
  const std::uint32_t serial = next_serial(*old_serial, *proposed);
  if (serial == *proposed) return std::optional<std::string>();
  auto rdata = with_soa_serial(new_soa->rdata, serial);
  if (!rdata) return Error{rdata.error()};
  new_soa->rdata = std::move(rdata).value();
  return std::optional<std::string>(file.origin.to_text() + ": serial " +
                                    std::to_string(*proposed) + " is not above the stored " +
                                    std::to_string(*old_serial) + "; stored as " +
                                    std::to_string(serial));
}

// The body of zone import: every zone replaced in the one transaction.
Result<Report> import_zones(storage::Database& db, std::vector<ZoneFile>& zones) {
  Report report;
  for (ZoneFile& file : zones) {
    auto note = keep_serial_moving(db, file.zone);
    if (!note) return Error{note.error()};
    if (*note) report.notes += "apexctl: note: " + **note + "\n";
    auto outcome = db.replace_zone(file.zone.origin, file.zone.records);
    if (!outcome) return Error{outcome.error()};
    report.out += "imported " + file.zone.origin.to_text() + " from " + file.path.string() + ": " +
                  std::to_string(file.zone.records.size()) + " records" +
                  (*outcome == storage::ZoneWrite::kCreated ? "" : " (replaced)") + "\n";
  }
  return report;
}

int zone_import(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, {});
  if (!line) return ctx.usage_error(line.error(), "zone import");
  if (line->positional.size() != 1) return ctx.usage_error("expected one PATH", "zone import");
  auto paths = zone_file_paths(line->positional[0]);
  if (!paths) return ctx.fail(ExitCode::kRefused, paths.error());
  auto zones = read_zone_files(*paths);
  if (!zones) return ctx.fail(ExitCode::kRefused, zones.error());
  return run_in_transaction(
      ctx, [&](storage::Database& db, BodyFailure&) { return import_zones(db, *zones); });
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
    out << '[';
    for (std::size_t i = 0; i < zones.size(); ++i) {
      out << (i == 0 ? "" : ",") << "\n  {\"name\": " << json_string(zones[i].apex.to_text())
          << ", \"records\": " << zones[i].record_count << '}';
    }
    out << (zones.empty() ? "]\n" : "\n]\n");
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
  auto line = parse_command_line(args, kJsonOption);
  if (!line) return ctx.usage_error(line.error(), "zone list");
  if (!line->positional.empty()) {
    return ctx.usage_error("unexpected argument '" + line->positional[0] + "'", "zone list");
  }
  auto db = ctx.open_database(storage::OpenMode::kExisting);
  if (!db) return ctx.fail(ExitCode::kDatabase, db.error());
  auto zones = (*db)->list_zones();
  if (!zones) return ctx.fail(ExitCode::kDatabase, zones.error());
  print_zone_list(*zones, line->has("--json"), ctx.out);
  return to_int(ExitCode::kOk);
}

int zone_delete(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, {});
  if (!line) return ctx.usage_error(line.error(), "zone delete");
  if (line->positional.size() != 1) return ctx.usage_error("expected one ZONE", "zone delete");
  auto apex = name_argument(line->positional[0]);
  if (!apex) return ctx.fail(ExitCode::kRefused, apex.error());
  auto db = ctx.open_database(storage::OpenMode::kExisting);
  if (!db) return ctx.fail(ExitCode::kDatabase, db.error());
  auto deleted = (*db)->delete_zone(*apex);
  if (!deleted) return ctx.fail(ExitCode::kDatabase, deleted.error());
  if (!*deleted) {
    return ctx.fail(ExitCode::kRefused, "zone " + apex->to_text() + " is not in the database");
  }
  ctx.out << "deleted zone " << apex->lowercased().to_text() << '\n';
  return to_int(ExitCode::kOk);
}

constexpr Subcommand kSubcommands[] = {
    {"import", zone_import, kImportUsage},
    {"export", zone_export, kExportUsage},
    {"list", zone_list, kListUsage},
    {"delete", zone_delete, kDeleteUsage},
};

}  // namespace

int run_zone_command(std::span<const std::string> args, const CommandContext& ctx) {
  return dispatch_subcommand("zone", kZoneUsage, kSubcommands, args, ctx);
}

}  // namespace apex::admin
