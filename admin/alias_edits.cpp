// The alias change commands (ARCHITECTURE.md §5). An alias is its ALIAS record (owner, TTL, target:
// in the zone's records, so master files carry it) plus its settings (fallback addresses,
// health check: alias_settings). Both change in the command's transaction, through the
// ChangeSet, so the zone is validated whole (build_zone's ALIAS rules), its serial moves
// once and one change-log entry tells the running apexd to rebuild it and re-read them.
#include "admin/alias_edits.hpp"

#include <optional>
#include <vector>

#include "admin/alias_settings.hpp"
#include "admin/arguments.hpp"
#include "admin/command_line.hpp"
#include "admin/record_text.hpp"

namespace apex::admin {
namespace {

const char* const kSetUsage =
    "Usage: apexctl [--db FILE] alias set NAME TARGET [--ttl TTL] [--fallback IP[,IP...]]\n"
    "                                     [--health tcp:PORT] [--if-serial N]\n"
    "\n"
    "Creates or replaces the ALIAS at NAME, in the closest enclosing zone of NAME: queries for\n"
    "A and AAAA at NAME get the addresses TARGET currently resolves to, as if they were static\n"
    "records. NAME and TARGET are absolute names (the trailing dot may be left out).\n"
    "  apexctl alias set shop.example lb-eu.cdn.example.net --ttl 300\n"
    "  apexctl alias set shop.example lb-eu.cdn.example.net --fallback 192.0.2.10,2001:db8::10\n"
    "  --ttl TTL          the ALIAS TTL, the most that is served: seconds or 30m, 1h30m,\n"
    "                     1d, 1w (default: the existing ALIAS's TTL, else record_ttl from\n"
    "                     [zone_defaults], 3600)\n"
    "  --fallback LIST    IPv4/IPv6 addresses served when the target has nothing fresh or\n"
    "                     stale left; comma-separated, and the option may be repeated\n"
    "  --health tcp:PORT  probe each resolved address with a TCP connect to PORT (1-65535);\n"
    "                     addresses that fail leave the answer\n"
    "  --if-serial N      refused unless the zone's SOA serial is N (nothing changed)\n"
    "Each 'alias set' gives the whole definition: an option left out is none (to keep a\n"
    "fallback, repeat it). NAME may hold other data (SOA, NS, MX, TXT ...) but no CNAME and no\n"
    "static A/AAAA records, and TARGET must not be NAME itself. Setting exactly what is there\n"
    "changes nothing (no new serial).\n"
    "When apexd is running, it is asked to resolve TARGET at once and apexctl waits up to 2 s\n"
    "for its result: a TARGET that does not resolve (NXDOMAIN, no addresses, failure, no\n"
    "result in time) gets a warning saying what NAME is answered meanwhile (fallbacks,\n"
    "NODATA, SERVFAIL) and the alias's status; the alias is set all the same (exit 0).\n";

const char* const kDeleteUsage =
    "Usage: apexctl [--db FILE] alias delete NAME [--if-serial N]\n"
    "\n"
    "Deletes the ALIAS at NAME with its fallback and health settings; A and AAAA queries at\n"
    "NAME then get what the zone holds (NODATA unless you add records). No ALIAS at NAME is\n"
    "an error.\n";

constexpr OptionSpec kSetOptions[] = {{"--ttl", true}, {"--fallback", true}, {"--health", true}};

struct AliasDefinition {
  Name owner;
  Name target;  // lower-cased: targets compare case-insensitively (RFC 4343)
  std::optional<std::uint32_t> ttl;
  storage::AliasSettings settings;  // owner: as given
};

Record alias_record(const Name& owner, std::uint32_t ttl, const Name& target) {
  const auto wire = target.wire();
  return Record{owner, RRType::ALIAS, RRClass::IN, ttl, {wire.begin(), wire.end()}};
}

// "shop.example. 300 IN ALIAS lb.example.net. (fallback 192.0.2.1; health tcp:443)"
std::string describe(const Record& record, const storage::AliasSettings* settings) {
  std::string text = record_to_text(record);
  if (settings != nullptr && has_settings(*settings)) text += " (" + settings_text(*settings) + ")";
  return text;
}

// The stored alias at owner: its records (one, unless stored data breaks the rule) and
// settings, described for output.
std::string describe_existing(const RRsetData& rrset, const AliasSettingsMap& settings,
                              const char* verb) {
  auto it = settings.find(rrset.owner.lowercased());
  const storage::AliasSettings* own = it == settings.end() ? nullptr : &it->second;
  std::string text;
  for (const Record& r : WorkingZone::records_of(RRType::ALIAS, rrset)) {
    text += std::string(verb) + " " + describe(r, own) + "\n";
  }
  return text;
}

// The alias at the record's owner is exactly record with settings wanted.
bool already_set(const RRsetData* existing, const Record& record, const AliasSettingsMap& settings,
                 const storage::AliasSettings& wanted) {
  if (!existing || existing->rdatas.size() != 1 || existing->ttl != record.ttl ||
      existing->rdatas.front() != record.rdata) {
    return false;
  }
  auto it = settings.find(record.owner.lowercased());
  return it == settings.end() ? !has_settings(wanted) : same_settings(it->second, wanted);
}

struct AliasAt {
  ChangeSet::ZoneAt at;
  AliasSettingsMap* settings;
};

Result<AliasAt> alias_zone(ChangeSet& changes, const Name& owner, Failure& failure) {
  auto at = changes.zone_containing(owner, failure);
  if (!at) return Error{at.error()};
  auto settings = changes.alias_settings(at->apex, failure);
  if (!settings) return Error{settings.error()};
  return AliasAt{*at, *settings};
}

// --- alias set ---

Result<std::string> set_alias(ChangeSet& changes, const AliasDefinition& def, Failure& failure) {
  auto where = alias_zone(changes, def.owner, failure);
  if (!where) return Error{where.error()};
  WorkingZone& zone = *where->at.zone;
  AliasSettingsMap& settings = *where->settings;
  const Name key = def.owner.lowercased();
  const RRsetData* existing = zone.find(def.owner, RRType::ALIAS);
  const std::uint32_t ttl =
      def.ttl.value_or(existing ? existing->ttl : changes.config().record_ttl);
  const Record record = alias_record(def.owner, ttl, def.target);
  const storage::AliasSettings& wanted = def.settings;
  if (already_set(existing, record, settings, wanted)) return std::string();

  std::string report = existing ? describe_existing(*existing, settings, "deleted") : "";
  zone.set(RRType::ALIAS, RRsetData{def.owner, ttl, {record.rdata}});
  if (has_settings(wanted)) {
    settings.insert_or_assign(key, wanted);
  } else {
    settings.erase(key);
  }
  changes.touch(where->at.apex, def.owner);
  changes.set_action("cannot set " + record_to_text(record));
  return report + "added " + describe(record, &wanted) + "\n";
}

Result<Edit> parse_set(std::span<const std::string> args, Failure& failure) {
  auto line = parse_command_line(args, kSetOptions);
  if (!line) return failure.usage(line.error());
  if (line->positional.size() != 2) return failure.usage("expected NAME TARGET");
  auto owner = name_argument(line->positional[0]);
  if (!owner) return failure.refuse(owner.error());
  auto target = name_argument(line->positional[1]);
  if (!target) return failure.refuse(target.error());
  AliasDefinition def{*owner, target->lowercased(), std::nullopt, {*owner, {}, {}, {}}};
  if (auto text = line->value("--ttl")) {
    auto ttl = ttl_argument(*text);
    if (!ttl) return failure.refuse(ttl.error());
    def.ttl = *ttl;
  }
  auto fallback = set_fallback_argument(line->all_values("--fallback"), def.settings);
  if (!fallback) return failure.refuse(fallback.error());
  if (auto text = line->value("--health")) {
    auto health = health_argument(*text);
    if (!health) return failure.refuse(health.error());
    def.settings.health_tcp_port = *health;
  }
  return Edit{[def = std::move(def)](ChangeSet& changes, Failure& failure) {
    return set_alias(changes, def, failure);
  }};
}

// --- alias delete ---

Result<std::string> delete_alias(ChangeSet& changes, const Name& owner, Failure& failure) {
  auto where = alias_zone(changes, owner, failure);
  if (!where) return Error{where.error()};
  const RRsetData* existing = where->at.zone->find(owner, RRType::ALIAS);
  if (existing == nullptr) {
    return failure.refuse("no ALIAS at " + owner.to_text() + " in zone " +
                          where->at.apex.to_text());
  }
  std::string report = describe_existing(*existing, *where->settings, "deleted");
  where->at.zone->erase(owner, RRType::ALIAS);
  where->settings->erase(owner.lowercased());
  changes.touch(where->at.apex, owner);
  changes.set_action("cannot delete the ALIAS at " + owner.to_text());
  return report;
}

Result<Edit> parse_delete(std::span<const std::string> args, Failure& failure) {
  auto line = parse_command_line(args, {});
  if (!line) return failure.usage(line.error());
  if (line->positional.size() != 1) return failure.usage("expected NAME");
  auto owner = name_argument(line->positional[0]);
  if (!owner) return failure.refuse(owner.error());
  return Edit{[owner = std::move(owner).value()](ChangeSet& changes, Failure& failure) {
    return delete_alias(changes, owner, failure);
  }};
}

}  // namespace

const ChangeCommand kAliasSetCommand{"alias", "set", parse_set, kSetUsage};
const ChangeCommand kAliasDeleteCommand{"alias", "delete", parse_delete, kDeleteUsage};

}  // namespace apex::admin
