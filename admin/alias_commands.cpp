// apexctl alias set|delete (changes, see alias_edits.cpp), list and status (reads).
#include "admin/alias_commands.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "admin/alias_edits.hpp"
#include "admin/alias_inventory.hpp"
#include "admin/alias_settings.hpp"
#include "admin/alias_status.hpp"
#include "admin/alias_target_check.hpp"
#include "admin/arguments.hpp"
#include "admin/command_line.hpp"
#include "admin/edit_runner.hpp"
#include "zones/json_text.hpp"

namespace apex::admin {

const char* const kAliasUsage =
    "Usage: apexctl [--db FILE] alias COMMAND [ARGS...]\n"
    "\n"
    "An ALIAS makes A and AAAA queries at its name answer with the addresses of its target,\n"
    "like a CNAME that is allowed at a zone apex; apexd resolves the targets and keeps the\n"
    "answers current.\n"
    "\n"
    "Commands:\n"
    "  set NAME TARGET [--ttl N] [--fallback IP[,IP...]] [--health tcp:PORT]\n"
    "                              create or replace the alias at NAME\n"
    "  delete NAME                 delete the alias at NAME\n"
    "  list [ZONE] [--json]        the aliases with their TTL, target, fallback, health check\n"
    "  status [ZONE|NAME] [--json] what each alias currently serves, and why\n"
    "\n"
    "Run 'apexctl alias COMMAND --help' for details.\n";

const char* const kAliasListUsage =
    "Usage: apexctl [--db FILE] alias list [ZONE] [--json]\n"
    "\n"
    "Lists the aliases of ZONE, or of every zone: owner, ALIAS TTL, target, fallback\n"
    "addresses and health check ('-' for none), by zone and owner.\n"
    "  --json   print a JSON array of {\"owner\", \"zone\", \"ttl\", \"target\", \"fallback\": "
    "[...],\n"
    "           \"health\": \"tcp:PORT\" or null}\n";

namespace {

constexpr OptionSpec kJsonOption[] = {{"--json", false}};

// The options of alias set, to find NAME among the arguments once the change is made.
constexpr OptionSpec kSetOptions[] = {
    {"--ttl", true}, {"--fallback", true}, {"--health", true}, {"--if-serial", true}};

std::string or_dash(const std::string& text) {
  return text.empty() ? "-" : text;
}

void print_table(const std::vector<AliasEntry>& aliases, std::ostream& out) {
  if (aliases.empty()) return;
  using Row = std::array<std::string, 5>;
  std::vector<Row> rows{{"OWNER", "TTL", "TARGET", "FALLBACK", "HEALTH"}};
  for (const AliasEntry& a : aliases) {
    rows.push_back({a.owner.to_text(), std::to_string(a.ttl), a.target.to_text(),
                    or_dash(fallback_text(a.settings)), or_dash(health_text(a.settings))});
  }
  std::array<std::size_t, 5> width{};
  for (const Row& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const Row& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    out << line << '\n';
  }
}

std::string alias_json(const AliasEntry& a) {
  return JsonObject()
      .add("owner", a.owner.to_text())
      .add("zone", a.zone.to_text())
      .add("ttl", a.ttl)
      .add("target", a.target.to_text())
      .add_raw("fallback", json_string_array(fallback_texts(a.settings)))
      .add_raw("health", a.settings.health_tcp_port ? json_string(health_text(a.settings)) : "null")
      .str();
}

}  // namespace

int run_alias_set(std::span<const std::string> args, const CommandContext& ctx) {
  const int status = run_change_command(kAliasSetCommand, args, ctx);
  if (status != to_int(ExitCode::kOk)) return status;
  auto line = parse_command_line(args, kSetOptions);
  if (!line || line->positional.empty()) return status;
  if (auto owner = name_argument(line->positional[0])) check_alias_target(ctx, *owner);
  return status;
}

int run_alias_list(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, kJsonOption);
  if (!line) return ctx.usage_error(line.error(), "alias list");
  if (line->positional.size() > 1) return ctx.usage_error("expected [ZONE]", "alias list");
  auto given = optional_name_argument(line->positional);
  if (!given) return ctx.fail(ExitCode::kRefused, given.error());
  std::optional<Name> apex = std::move(given).value();
  auto db = ctx.open_database(storage::OpenMode::kReadOnly);
  if (!db) return ctx.fail(ExitCode::kDatabase, db.error());
  std::vector<AliasEntry> aliases;
  if (apex) {
    auto found = zone_aliases(**db, *apex);
    if (!found) return ctx.fail(ExitCode::kDatabase, found.error());
    if (!*found) {
      return ctx.fail(ExitCode::kRefused, "zone " + apex->to_text() + " is not in the database");
    }
    aliases = std::move(**found);
  } else {
    auto found = all_aliases(**db);
    if (!found) return ctx.fail(ExitCode::kDatabase, found.error());
    aliases = std::move(found).value();
  }
  if (line->has("--json")) {
    std::vector<std::string> elements;
    for (const AliasEntry& a : aliases) elements.push_back(alias_json(a));
    ctx.out << json_array(elements, true) << '\n';
  } else {
    print_table(aliases, ctx.out);
  }
  return to_int(ExitCode::kOk);
}

}  // namespace apex::admin
