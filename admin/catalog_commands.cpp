// apexctl catalog set|unset|show: names the catalog zone (RFC 9432) apexd generates; its
// content (every stored zone) and serial are kept by storage with each zone change.
#include "admin/catalog_commands.hpp"

#include "admin/arguments.hpp"
#include "admin/command_line.hpp"
#include "admin/text_table.hpp"
#include "zones/catalog_zone.hpp"
#include "zones/json_text.hpp"

namespace apex::admin {

const char* const kCatalogUsage =
    "Usage: apexctl [--db FILE] catalog COMMAND [ARGS...]\n"
    "\n"
    "The catalog zone (RFC 9432, version 2) lists every stored zone; secondaries that read\n"
    "it (Knot, BIND) provision and drop their zones from it alone. apexd generates it, serves\n"
    "it and sends NOTIFY for it to the secondaries that get all zones.\n"
    "\n"
    "Commands:\n"
    "  set NAME         produce the catalog zone NAME\n"
    "  unset            stop producing it\n"
    "  show [--json]    the catalog's name, serial and member zones\n"
    "\n"
    "Run 'apexctl catalog COMMAND --help' for details.\n";

const char* const kCatalogSetUsage =
    "Usage: apexctl [--db FILE] catalog set NAME\n"
    "\n"
    "apexd produces the catalog zone NAME: SOA, NS invalid., version.NAME TXT \"2\" and one\n"
    "LABEL.zones.NAME PTR per stored zone (LABEL: random, kept for the zone's lifetime). Its\n"
    "serial goes up whenever a zone is created or deleted. NAME must not be a stored zone,\n"
    "and no zone of that name can be created while it is the catalog. Only secondaries\n"
    "that get all zones may transfer it. Setting another NAME replaces the catalog.\n";

const char* const kCatalogUnsetUsage =
    "Usage: apexctl [--db FILE] catalog unset\n"
    "\n"
    "apexd stops producing the catalog zone. Consumers keep their zones as they were.\n";

const char* const kCatalogShowUsage =
    "Usage: apexctl [--db FILE] catalog show [--json]\n"
    "\n"
    "Prints the catalog's name and serial and its members (zone and label), or that none is\n"
    "set.\n"
    "  --json   print {\"name\" (null when unset), \"serial\", \"members\": [{\"zone\",\n"
    "           \"label\"}...]}\n";

namespace {

constexpr OptionSpec kJsonOption[] = {{"--json", false}};

// The longest label apexctl stores (16 hex digits): NAME must leave room for it and "zones".
const CatalogMember kLongestMember{Name(), "0123456789abcdef"};

Status check_catalog_name(storage::Database& db, const Name& name) {
  if (name.is_root()) return Error{"the root cannot be a catalog zone"};
  if (auto fits = catalog_records(name, 1, {kLongestMember}); !fits)
    return Error{"catalog " + name.to_text() + ": name too long for member names below it"};
  auto stored = db.find_enclosing_zone(name);
  if (!stored) return Error{stored.error()};
  if (*stored == name) {
    return Error{"zone " + name.to_text() +
                 " is stored: the catalog zone needs a name no zone has (RFC 9432 §4)"};
  }
  return Ok{};
}

}  // namespace

int run_catalog_set(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, {});
  if (!line) return ctx.usage_error(line.error(), "catalog set");
  if (line->positional.size() != 1) return ctx.usage_error("expected one NAME", "catalog set");
  auto parsed = name_argument(line->positional[0]);
  if (!parsed) return ctx.fail(ExitCode::kRefused, parsed.error());
  const Name name = parsed->lowercased();
  return run_in_transaction(ctx, [&](storage::Database& db, Failure& failure) -> Result<Report> {
    auto state = db.catalog_state();
    if (!state) return Error{state.error()};
    if (state->name == name) return Report{"catalog " + name.to_text() + " (unchanged)\n", ""};
    if (auto checked = check_catalog_name(db, name); !checked)
      return failure.refuse(checked.error());
    if (auto set = db.set_catalog(name); !set) return Error{set.error()};
    const std::string was = state->name ? " (was " + state->name->to_text() + ")" : "";
    auto logged = db.log_change(storage::transfer_settings_change(
        ctx.actor, "catalog set", "+catalog " + name.to_text() + was, ctx.comment));
    if (!logged) return Error{logged.error()};
    return Report{"catalog " + name.to_text() + was + "\n", ""};
  });
}

int run_catalog_unset(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, {});
  if (!line) return ctx.usage_error(line.error(), "catalog unset");
  if (!line->positional.empty()) return ctx.usage_error("expected no arguments", "catalog unset");
  return run_in_transaction(ctx, [&](storage::Database& db, Failure& failure) -> Result<Report> {
    auto state = db.catalog_state();
    if (!state) return Error{state.error()};
    if (!state->name) return failure.refuse("no catalog zone is set");
    if (auto unset = db.set_catalog(std::nullopt); !unset) return Error{unset.error()};
    auto logged = db.log_change(storage::transfer_settings_change(
        ctx.actor, "catalog unset", "-catalog " + state->name->to_text(), ctx.comment));
    if (!logged) return Error{logged.error()};
    return Report{"catalog " + state->name->to_text() + " unset\n", ""};
  });
}

namespace {

std::string catalog_json(const storage::Catalog& catalog) {
  std::vector<std::string> members;
  for (const CatalogMember& m : catalog.members)
    members.push_back(JsonObject().add("zone", m.zone.to_text()).add("label", m.label).str());
  const auto& name = catalog.state.name;
  return JsonObject()
      .add_raw("name", name ? json_string(name->to_text()) : "null")
      .add("serial", catalog.state.serial)
      .add_raw("members", json_array(members, false))
      .str();
}

}  // namespace

int run_catalog_show(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, kJsonOption);
  if (!line) return ctx.usage_error(line.error(), "catalog show");
  if (!line->positional.empty()) return ctx.usage_error("expected no arguments", "catalog show");
  auto db = ctx.open_database(storage::OpenMode::kReadOnly);
  if (!db) return ctx.fail(ExitCode::kDatabase, db.error());
  auto catalog = (*db)->catalog();
  if (!catalog) return ctx.fail(ExitCode::kDatabase, catalog.error());
  if (line->has("--json")) {
    ctx.out << catalog_json(*catalog) << '\n';
    return to_int(ExitCode::kOk);
  }
  if (!catalog->state.name) {
    ctx.out << "no catalog zone is set (see 'apexctl catalog set')\n";
    return to_int(ExitCode::kOk);
  }
  ctx.out << "catalog " << catalog->state.name->to_text() << " serial " << catalog->state.serial
          << ", " << catalog->members.size() << " member zone(s)\n";
  if (catalog->members.empty()) return to_int(ExitCode::kOk);
  std::vector<std::vector<std::string>> rows{{"ZONE", "LABEL"}};
  for (const CatalogMember& m : catalog->members) rows.push_back({m.zone.to_text(), m.label});
  ctx.out << text_table(rows);
  return to_int(ExitCode::kOk);
}

}  // namespace apex::admin
