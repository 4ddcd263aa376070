// The zone change commands: zone add (from the [zone_defaults] template), zone delete, and
// zone import (master files, replacing zones that exist).
#include "admin/zone_edits.hpp"

#include <map>

#include "admin/arguments.hpp"
#include "admin/command_line.hpp"
#include "admin/zone_files.hpp"
#include "admin/zone_template.hpp"

namespace apex::admin {
namespace {

namespace fs = std::filesystem;

const char* const kAddUsage =
    "Usage: apexctl [--db FILE] zone add ZONE\n"
    "\n"
    "Creates ZONE with an SOA and NS records from the zone template: [zone_defaults] in the\n"
    "--config file, else the built-in one (SOA 'ns1.ZONE. hostmaster.ZONE. SERIAL 7200 3600\n"
    "1209600 300', NS ns1.ZONE., TTL 3600). The serial is 1, or today's YYYYMMDD00 with\n"
    "[serial] policy = \"date\". A name server inside the zone without an address gets a note:\n"
    "add its A/AAAA record next. A zone that exists already is refused.\n";

const char* const kDeleteUsage =
    "Usage: apexctl [--db FILE] zone delete ZONE\n"
    "\n"
    "Deletes ZONE and all its records. The change log keeps what it held.\n";

const char* const kImportUsage =
    "Usage: apexctl [--db FILE] zone import PATH\n"
    "\n"
    "Imports the RFC 1035 master file PATH, or every *.zone file in the directory PATH.\n"
    "A zone's name is the file's $ORIGIN (before its first record), else the file name\n"
    "without '.zone'. Every zone is validated, and the whole import is one transaction: after\n"
    "any error, nothing has been written.\n"
    "A zone that is already in the database is replaced; one whose content is the same is\n"
    "left alone. Its SOA serial never goes backwards: a serial that is not above the stored\n"
    "one becomes the stored serial + 1 (or the date-based serial), so that secondaries see\n"
    "the change.\n";

Result<Name> one_zone_argument(std::span<const std::string> args, Failure& failure) {
  auto line = parse_command_line(args, {});
  if (!line) return failure.usage(line.error());
  if (line->positional.size() != 1) return failure.usage("expected one ZONE");
  auto apex = name_argument(line->positional[0]);
  if (!apex) return failure.refuse(apex.error());
  return apex->lowercased();
}

// --- zone add ---

Result<std::string> add_zone(ChangeSet& changes, const Name& apex, Failure& failure) {
  const std::uint32_t serial = initial_serial(changes.config().serial, changes.today());
  changes.set_action("cannot add zone " + apex.to_text() +
                     " from the zone template ([zone_defaults])");
  auto records = zone_template_records(changes.config().zone_template, apex, serial);
  if (!records) {
    return failure.refuse("cannot add zone " + apex.to_text() +
                          ": the zone template ([zone_defaults]) gives " + records.error());
  }
  auto zone = WorkingZone::from_records(apex, *records);
  if (!zone) return failure.refuse(zone.error());
  if (auto created = changes.create_zone(std::move(zone).value(), failure); !created) {
    return Error{created.error()};
  }
  return "added zone " + apex.to_text() + " with serial " + std::to_string(serial) + "\n";
}

Result<Edit> parse_add(std::span<const std::string> args, Failure& failure) {
  auto apex = one_zone_argument(args, failure);
  if (!apex) return Error{apex.error()};
  return Edit{[apex = *apex](ChangeSet& changes, Failure& failure) {
    return add_zone(changes, apex, failure);
  }};
}

// --- zone delete ---

Result<Edit> parse_delete(std::span<const std::string> args, Failure& failure) {
  auto apex = one_zone_argument(args, failure);
  if (!apex) return Error{apex.error()};
  return Edit{[apex = *apex](ChangeSet& changes, Failure& failure) -> Result<std::string> {
    if (auto deleted = changes.delete_zone(apex, failure); !deleted) return Error{deleted.error()};
    return "deleted zone " + apex.to_text() + "\n";
  }};
}

// --- zone import ---

std::string import_line(const MasterFile& file, const fs::path& path, bool existed,
                        const std::optional<ZoneOutcome>& outcome) {
  std::string text = "imported " + file.origin.to_text() + " from " + path.string() + ": " +
                     std::to_string(file.records.size()) + " records";
  if (outcome && outcome->fate == ZoneFate::kUnchanged) return text + " (unchanged)\n";
  return text + (existed ? " (replaced)\n" : "\n");
}

// Files are read one at a time, inside the transaction, so that memory stays bounded by the
// largest zone however many files a directory holds.
Result<std::string> import_zones(ChangeSet& changes, const fs::path& path, Failure& failure) {
  auto paths = zone_file_paths(path);
  if (!paths) return failure.refuse(paths.error());
  std::map<Name, fs::path, CanonicalLess> seen;
  std::string report;
  for (const fs::path& file_path : *paths) {
    auto file = read_zone_file(file_path);
    if (!file) return failure.refuse(file.error());
    auto [it, fresh] = seen.emplace(file->origin, file_path);
    if (!fresh) {
      return failure.refuse(file_path.string() + ": zone " + file->origin.to_text() +
                            " is also in " + it->second.string());
    }
    auto zone = WorkingZone::from_records(file->origin, file->records);
    if (!zone) return failure.refuse(file_path.string() + ": " + zone.error());
    auto existing = changes.zone(file->origin, failure);
    if (!existing) return Error{existing.error()};
    const bool existed = *existing != nullptr;
    auto outcome = changes.replace_zone(std::move(zone).value(), file_path.string(), failure);
    if (!outcome) return Error{outcome.error()};
    report += import_line(*file, file_path, existed, *outcome);
  }
  return report;
}

Result<Edit> parse_import(std::span<const std::string> args, Failure& failure) {
  auto line = parse_command_line(args, {});
  if (!line) return failure.usage(line.error());
  if (line->positional.size() != 1) return failure.usage("expected one PATH");
  return Edit{[path = fs::path(line->positional[0])](ChangeSet& changes, Failure& failure) {
    return import_zones(changes, path, failure);
  }};
}

}  // namespace

const ChangeCommand kZoneAddCommand{"zone", "add", parse_add, kAddUsage};
const ChangeCommand kZoneDeleteCommand{"zone", "delete", parse_delete, kDeleteUsage};
const ChangeCommand kZoneImportCommand{"zone", "import", parse_import, kImportUsage};

}  // namespace apex::admin
