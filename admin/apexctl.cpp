// apexctl's entry point as a function, so tests can run every command in-process.
#include "admin/apexctl.hpp"

#include <exception>
#include <span>
#include <string_view>

#include "admin/command_context.hpp"
#include "admin/command_line.hpp"
#include "admin/init_command.hpp"
#include "admin/record_commands.hpp"
#include "admin/zone_commands.hpp"

namespace apex::admin {

const char* const kApexctlUsage =
    "Usage: apexctl [--db FILE] COMMAND [ARGS...]\n"
    "\n"
    "Manages the zones and records of an apexdns database. Every command is one\n"
    "transaction: it is applied whole or not at all, and the running server picks it up.\n"
    "\n"
    "Commands:\n"
    "  init                                  create the database (safe to repeat)\n"
    "  zone import PATH                      import a master file, or every *.zone file in\n"
    "                                        a directory (replaces zones that exist)\n"
    "  zone export ZONE                      print a zone as a master file\n"
    "  zone list [--json]                    list the zones with their record counts\n"
    "  zone delete ZONE                      delete a zone and all its records\n"
    "  record add NAME TYPE RDATA... [--ttl N]\n"
    "                                        add a record to the zone that contains NAME\n"
    "  record delete NAME [TYPE [RDATA...]]  delete records at NAME\n"
    "  record list ZONE [NAME] [--json]      list a zone's records\n"
    "\n"
    "Options:\n"
    "  --db FILE    the database (default: apexdns.db in the working directory)\n"
    "  -h, --help   show help; after a command, that command's help\n"
    "\n"
    "Exit status:\n"
    "  0  success\n"
    "  1  refused: invalid input, or a change the zone rules forbid; nothing was changed\n"
    "  2  usage error: unknown command or option, missing or extra arguments\n"
    "  3  database error: missing, unreadable, locked or failing; nothing was changed\n";

namespace {

constexpr std::string_view kDefaultDatabase = "apexdns.db";

int dispatch(std::vector<std::string> args, std::ostream& out, std::ostream& err) {
  auto db = take_db_option(args);
  CommandContext ctx{db && *db ? **db : std::string(kDefaultDatabase), out, err};
  if (!db) return ctx.usage_error(db.error(), "");
  if (args.empty()) {
    err << kApexctlUsage;
    return to_int(ExitCode::kUsage);
  }
  const std::string_view command = args[0];
  const auto rest = std::span<const std::string>(args).subspan(1);
  if (command == "init") return run_init_command(rest, ctx);
  if (command == "zone") return run_zone_command(rest, ctx);
  if (command == "record") return run_record_command(rest, ctx);
  if (command == "help" || wants_help(args)) {
    out << kApexctlUsage;
    return to_int(ExitCode::kOk);
  }
  if (command.starts_with('-')) return ctx.usage_error("unknown option '" + args[0] + "'", "");
  return ctx.usage_error("unknown command '" + args[0] + "'", "");
}

}  // namespace

int run_apexctl(std::vector<std::string> args, std::ostream& out, std::ostream& err) {
  // Errors are values throughout; this only catches what the standard library may still throw
  // (std::bad_alloc and the like). Open transactions have been rolled back by then (RAII).
  try {
    return dispatch(std::move(args), out, err);
  } catch (const std::exception& e) {
    err << "apexctl: unexpected error: " << e.what() << " (nothing was changed)\n";
    return to_int(ExitCode::kDatabase);
  }
}

}  // namespace apex::admin
