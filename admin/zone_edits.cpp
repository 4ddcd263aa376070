// The zone change commands: zone add (from the [zone_defaults] template), zone delete, and
// zone import (master files, replacing zones that exist).
#include "admin/zone_edits.hpp"

#include <map>

#include "admin/arguments.hpp"
#include "admin/command_line.hpp"
#include "admin/public_suffix_check.hpp"
#include "admin/record_text.hpp"
#include "admin/zone_files.hpp"
#include "admin/zone_template.hpp"

namespace apex::admin {
namespace {

namespace fs = std::filesystem;

const char* const kAddUsage =
    "Usage: apexctl [--db FILE] zone add ZONE [--provider] [--force]\n"
    "\n"
    "Creates ZONE with an SOA and NS records from the zone template: [zone_defaults] in the\n"
    "--config file, else the built-in one (SOA 'ns1.ZONE. hostmaster.ZONE. SERIAL 7200 3600\n"
    "1209600 300', NS ns1.ZONE., TTL 3600). The serial is 1, or today's YYYYMMDD00 with\n"
    "[serial] policy = \"date\". A name server inside the zone without an address gets a note:\n"
    "add its A/AAAA record next. A zone that exists already is refused.\n"
    "  --provider  mark the zone provider-owned: ALIAS targets inside it are resolved from\n"
    "              this server's data; in any other zone they are asked of the resolvers, so\n"
    "              a customer's zone cannot capture other customers' aliases\n"
    "  --force     add a zone at or above a public suffix (com, co.uk, the root, github.io;\n"
    "              Public Suffix List, ICANN and PRIVATE sections), refused without it\n";

const char* const kDeleteUsage =
    "Usage: apexctl [--db FILE] zone delete ZONE [--force] [--if-serial N]\n"
    "\n"
    "Deletes ZONE and all its records. The change log keeps what it held ('apexctl revert'\n"
    "brings it back). Refused when other zones depend on it: a parent's delegation to it,\n"
    "or a CNAME, ALIAS or NS record whose target is in it; the refusal names them.\n"
    "  --force        delete it even so (their answers break: lame delegations, dangling\n"
    "                 CNAMEs, aliases without addresses)\n"
    "  --if-serial N  refused unless the zone's SOA serial is N (nothing changed otherwise)\n";

const char* const kImportUsage =
    "Usage: apexctl [--db FILE] zone import PATH [--replace] [--provider] [--force]\n"
    "                                          [--allow-include DIR] [--if-serial N]\n"
    "\n"
    "Imports the RFC 1035 master file PATH, or every *.zone file in the directory PATH.\n"
    "A zone's name is the file's $ORIGIN (before its first record), else the file name\n"
    "without '.zone'. Every zone is validated, and the whole import is one transaction: after\n"
    "any error, nothing has been written.\n"
    "Names in the files follow master-file rules: relative to $ORIGIN.\n"
    "A zone that is already in the database is refused (naming it) unless --replace is\n"
    "given; then it is replaced, and the '-' and '+' record lines are printed (or their\n"
    "count, when more than 20: 'apexctl log ZONE --full' shows them). One whose content is\n"
    "the same is left alone. Its SOA serial never goes backwards: a serial that is not above\n"
    "the stored one becomes the stored serial + 1 (or the date-based serial), so that\n"
    "secondaries see the change.\n"
    "  --replace   replace zones that exist\n"
    "  --provider  mark the imported zones provider-owned (see 'zone add --help'); without it\n"
    "              new zones are not, and a replaced zone keeps its mark\n"
    "  --force     import zones at or above a public suffix too (see 'zone add --help')\n"
    "  --allow-include DIR\n"
    "              read $INCLUDE files, but only those whose real path (links and '..'\n"
    "              resolved) is inside DIR; without it every $INCLUDE is refused\n"
    "Only regular files are read. Limits ([import] in the --config file): 512 MiB per zone\n"
    "with its included files (max_zone_size), 64 KiB per line (max_line_length), 1000000\n"
    "records per zone (max_records), 5000 per RRset (max_rrset_records); 0 is no limit.\n"
    "  --if-serial N  (one zone) refused unless the zone exists with SOA serial N\n";

const char* const kProviderUsage =
    "Usage: apexctl [--db FILE] zone provider ZONE on|off\n"
    "\n"
    "Marks ZONE provider-owned (on) or not (off). ALIAS targets inside a provider-owned zone\n"
    "are resolved from this server's own data; targets anywhere else are asked of the\n"
    "recursive resolvers, so that a customer's zone named like a CDN's cannot capture other\n"
    "customers' aliases. Turning it off (or deleting the zone) drops what apexd learned from\n"
    "the zone at once: its targets are resolved again, with no stale or negative answer carried\n"
    "over. The zone's data and serial are unchanged; the change log records the change.\n";

constexpr OptionSpec kZoneOptions[] = {{"--provider", false}, {"--force", false}};
constexpr OptionSpec kImportOptions[] = {
    {"--provider", false}, {"--force", false}, {"--allow-include", true}, {"--replace", false}};

struct ZoneArguments {
  std::string positional;
  bool provider = false;
  bool force = false;
  std::optional<fs::path> include_root;  // zone import --allow-include DIR
  bool replace = false;                  // zone import --replace
};

Result<ZoneArguments> zone_arguments(std::span<const std::string> args, const char* what,
                                     Failure& failure,
                                     std::span<const OptionSpec> options = kZoneOptions) {
  auto line = parse_command_line(args, options);
  if (!line) return failure.usage(line.error());
  if (line->positional.size() != 1) return failure.usage(std::string("expected one ") + what);
  ZoneArguments how{line->positional[0],
                    line->has("--provider"),
                    line->has("--force"),
                    {},
                    line->has("--replace")};
  if (auto dir = line->value("--allow-include")) how.include_root = *dir;
  return how;
}

// Zones at or above a public suffix need --force.
Status check_scope(const ChangeSet& changes, const Name& apex, bool force, Failure& failure) {
  if (force) return Ok{};
  auto checked = check_public_suffix(apex, changes.config().public_suffix_list);
  if (!checked) return failure.refuse(checked.error());
  return Ok{};
}

// --- zone add ---

Result<std::string> add_zone(ChangeSet& changes, const Name& apex, const ZoneArguments& how,
                             Failure& failure) {
  if (auto allowed = check_scope(changes, apex, how.force, failure); !allowed) {
    return Error{allowed.error()};
  }
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
  if (how.provider) {
    if (auto marked = changes.set_provider(apex, true, failure); !marked) {
      return Error{marked.error()};
    }
  }
  return "added zone " + apex.to_text() + (how.provider ? " (provider-owned)" : "") +
         " with serial " + std::to_string(serial) + "\n";
}

Result<Edit> parse_add(std::span<const std::string> args, Failure& failure) {
  auto how = zone_arguments(args, "ZONE", failure);
  if (!how) return Error{how.error()};
  auto apex = name_argument(how->positional);
  if (!apex) return failure.refuse(apex.error());
  return Edit{[apex = apex->lowercased(), how = *how](ChangeSet& changes, Failure& failure) {
    return add_zone(changes, apex, how, failure);
  }};
}

// --- zone delete ---

constexpr OptionSpec kDeleteOptions[] = {{"--force", false}};
constexpr std::size_t kReferencesNamed = 10;

// Refused when records of other zones depend on the zone, naming the first of them.
Status check_no_references(ChangeSet& changes, const Name& apex, Failure& failure) {
  auto references = changes.database().references_to(apex);
  if (!references) return Error{references.error()};
  if (references->empty()) return Ok{};
  std::string named;
  for (std::size_t i = 0; i < references->size() && i < kReferencesNamed; ++i) {
    const storage::ZoneReference& r = (*references)[i];
    named += "\n  " + r.zone.to_text() + ": " + record_to_text(r.record);
  }
  if (references->size() > kReferencesNamed)
    named += "\n  ... and " + std::to_string(references->size() - kReferencesNamed) + " more";
  return failure.refuse(
      "zone " + apex.to_text() + " not deleted: " + std::to_string(references->size()) +
      " record(s) of other zones depend on it (--force deletes it anyway):" + named);
}

Result<Edit> parse_delete(std::span<const std::string> args, Failure& failure) {
  auto line = parse_command_line(args, kDeleteOptions);
  if (!line) return failure.usage(line.error());
  if (line->positional.size() != 1) return failure.usage("expected one ZONE");
  auto apex = name_argument(line->positional[0]);
  if (!apex) return failure.refuse(apex.error());
  return Edit{[apex = apex->lowercased(), force = line->has("--force")](
                  ChangeSet& changes, Failure& failure) -> Result<std::string> {
    if (auto deleted = changes.delete_zone(apex, failure); !deleted) return Error{deleted.error()};
    if (!force)
      if (auto ok = check_no_references(changes, apex, failure); !ok) return Error{ok.error()};
    return "deleted zone " + apex.to_text() + "\n";
  }};
}

// --- zone import ---

// What a replacement changed, indented under its "imported" line: the record lines, or
// their count when the outcome kept none (more than kImportChangeLines).
std::string replaced_lines(const ZoneOutcome& outcome) {
  if (outcome.fate != ZoneFate::kUpdated) return "";
  std::string text;
  for (const std::string& line : outcome.change_lines) text += "  " + line + "\n";
  if (outcome.change_lines.empty() && outcome.added + outcome.removed > 0) {
    text += "  -" + std::to_string(outcome.removed) + " +" + std::to_string(outcome.added) +
            " records (more than " + std::to_string(kImportChangeLines) + " lines: 'apexctl log " +
            outcome.apex.to_text() + " --limit 1 --full' shows them)\n";
  }
  return text;
}

std::string import_line(const ZoneFile& file, const fs::path& path, bool existed,
                        const std::optional<ZoneOutcome>& outcome) {
  std::string text = "imported " + file.origin.to_text() + " from " + path.string() + ": " +
                     std::to_string(file.records) + " records";
  if (outcome && outcome->fate == ZoneFate::kUnchanged) return text + " (unchanged)\n";
  if (!existed) return text + "\n";
  return text + " (replaced)\n" + (outcome ? replaced_lines(*outcome) : "");
}

// "a.example., b.example. and 3 more": the zones an import without --replace would replace.
std::string zone_names(const std::vector<Name>& zones) {
  constexpr std::size_t kNamed = 10;
  std::string text;
  for (std::size_t i = 0; i < zones.size() && i < kNamed; ++i) {
    text += (i ? ", " : "") + zones[i].to_text();
  }
  if (zones.size() > kNamed) text += " and " + std::to_string(zones.size() - kNamed) + " more";
  return text;
}

// Files are read one at a time, inside the transaction, so that memory stays bounded by the
// largest zone however many files a directory holds.
// A file from a customer is not trusted: $INCLUDE only below --allow-include DIR, and the
// [import] limits on size, lines and records.
Result<MasterFileOptions> import_options(const ChangeSet& changes, const ZoneArguments& how,
                                         Failure& failure) {
  MasterFileOptions options;
  options.limits = changes.config().import_limits;
  options.include_hint = "zone import --allow-include DIR allows files inside DIR";
  if (how.include_root) {
    std::error_code ec;
    if (!fs::is_directory(*how.include_root, ec)) {
      return failure.refuse("--allow-include " + how.include_root->string() + ": not a directory");
    }
    options.include_root = how.include_root;
  }
  return options;
}

Result<std::string> import_zones(ChangeSet& changes, const fs::path& path, const ZoneArguments& how,
                                 Failure& failure) {
  auto options = import_options(changes, how, failure);
  if (!options) return Error{options.error()};
  auto paths = zone_file_paths(path);
  if (!paths) return failure.refuse(paths.error());
  std::map<Name, fs::path, CanonicalLess> seen;
  std::vector<Name> existing_zones;  // refused without --replace, all named at the end
  std::string report;
  for (const fs::path& file_path : *paths) {
    auto file = read_zone_file(file_path, *options);
    if (!file) return failure.refuse(file.error());
    auto [it, fresh] = seen.emplace(file->origin, file_path);
    if (!fresh) {
      return failure.refuse(file_path.string() + ": zone " + file->origin.to_text() +
                            " is also in " + it->second.string());
    }
    if (auto allowed = check_scope(changes, file->origin, how.force, failure); !allowed) {
      return failure.refuse(file_path.string() + ": " + allowed.error());
    }
    auto existing = changes.zone_exists(file->origin, failure);
    if (!existing) return Error{existing.error()};
    const bool existed = *existing;
    if (existed && !how.replace) {
      existing_zones.push_back(file->origin);
      continue;
    }
    auto outcome = changes.replace_zone(std::move(file->zone), file_path.string(), failure,
                                        how.provider, std::move(file->warnings));
    if (!outcome) return Error{outcome.error()};
    report += import_line(*file, file_path, existed, *outcome);
  }
  if (!existing_zones.empty()) {
    return failure.refuse(
        std::string(existing_zones.size() == 1 ? "zone " : "zones ") + zone_names(existing_zones) +
        (existing_zones.size() == 1 ? " is" : " are") +
        " already in the database; nothing was imported (--replace replaces them)");
  }
  return report;
}

Result<Edit> parse_import(std::span<const std::string> args, Failure& failure) {
  auto how = zone_arguments(args, "PATH", failure, kImportOptions);
  if (!how) return Error{how.error()};
  return Edit{[how = *how](ChangeSet& changes, Failure& failure) {
    return import_zones(changes, fs::path(how.positional), how, failure);
  }};
}

// --- zone provider ---

Result<Edit> parse_provider(std::span<const std::string> args, Failure& failure) {
  auto line = parse_command_line(args, {});
  if (!line) return failure.usage(line.error());
  if (line->positional.size() != 2) return failure.usage("expected ZONE and on or off");
  const std::string& word = line->positional[1];
  if (word != "on" && word != "off") {
    return failure.usage("expected on or off after the zone, not '" + word + "'");
  }
  auto apex = name_argument(line->positional[0]);
  if (!apex) return failure.refuse(apex.error());
  const bool provider = word == "on";
  return Edit{[apex = apex->lowercased(), provider](ChangeSet& changes,
                                                    Failure& failure) -> Result<std::string> {
    auto before = changes.provider(apex, failure);
    if (!before) return Error{before.error()};
    if (auto marked = changes.set_provider(apex, provider, failure); !marked) {
      return Error{marked.error()};
    }
    const std::string state = provider ? "provider-owned" : "not provider-owned";
    if (*before == provider) return "zone " + apex.to_text() + " is already " + state + "\n";
    return "zone " + apex.to_text() + " is now " + state + "\n";
  }};
}

}  // namespace

const ChangeCommand kZoneAddCommand{"zone", "add", parse_add, kAddUsage};
const ChangeCommand kZoneDeleteCommand{"zone", "delete", parse_delete, kDeleteUsage};
const ChangeCommand kZoneImportCommand{"zone", "import", parse_import, kImportUsage};
const ChangeCommand kZoneProviderCommand{"zone", "provider", parse_provider, kProviderUsage};

}  // namespace apex::admin
