// apexctl init: create the database, or bring an existing one to the current schema.
#include "admin/init_command.hpp"

#include "admin/command_line.hpp"

namespace apex::admin {

const char* const kInitUsage =
    "Usage: apexctl [--db FILE] init\n"
    "\n"
    "Creates the database FILE (default: apexdns.db) with the apexdns schema. On an existing\n"
    "database it only applies pending schema migrations, so it is safe to run again.\n";

int run_init_command(std::span<const std::string> args, const CommandContext& ctx) {
  if (wants_help(args)) {
    ctx.out << kInitUsage;
    return to_int(ExitCode::kOk);
  }
  auto line = parse_command_line(args, {});
  if (!line) return ctx.usage_error(line.error(), "init");
  if (!line->positional.empty()) {
    return ctx.usage_error("unexpected argument '" + line->positional[0] + "'", "init");
  }
  auto db = ctx.open_database(storage::OpenMode::kCreate);
  if (!db) return ctx.fail(ExitCode::kDatabase, db.error());
  auto version = (*db)->schema_version();
  if (!version) return ctx.fail(ExitCode::kDatabase, version.error());
  ctx.out << "database " << ctx.db_path.string() << " ready (schema version " << *version << ")\n";
  return to_int(ExitCode::kOk);
}

}  // namespace apex::admin
