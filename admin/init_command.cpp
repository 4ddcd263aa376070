// apexctl init: create the database, or bring an existing one to the current schema and
// recreate the tables and indexes it lacks.
#include "admin/init_command.hpp"

#include <string>

#include "admin/command_line.hpp"

namespace apex::admin {

const char* const kInitUsage =
    "Usage: apexctl [--db FILE] init\n"
    "\n"
    "Creates the database FILE (default: apexdns.db) with the apexdns schema. On an existing\n"
    "database it applies pending schema migrations and recreates (empty) every table and\n"
    "index of the schema that is missing, naming each; it is safe to run again. Other\n"
    "commands never upgrade or repair: they ask for init.\n";

int run_init_command(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, {});
  if (!line) return ctx.usage_error(line.error(), "init");
  if (!line->positional.empty()) {
    return ctx.usage_error("unexpected argument '" + line->positional[0] + "'", "init");
  }
  auto db = ctx.open_database(storage::OpenMode::kCreate);
  if (!db) return ctx.fail(ExitCode::kDatabase, db.error());
  auto repaired = (*db)->repair_schema();
  if (!repaired) return ctx.fail(ExitCode::kDatabase, repaired.error());
  for (const std::string& object : *repaired)
    ctx.out << "recreated " << object << " (it was missing; its rows are lost)\n";
  auto version = (*db)->schema_version();
  if (!version) return ctx.fail(ExitCode::kDatabase, version.error());
  ctx.out << "database " << ctx.db_path.string() << " ready (schema version " << *version << ")\n";
  return to_int(ExitCode::kOk);
}

}  // namespace apex::admin
