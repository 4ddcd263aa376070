// apexctl's entry point as a function, so tests can run every command in-process.
#include "admin/apexctl.hpp"

#include <exception>
#include <filesystem>
#include <optional>
#include <span>
#include <string_view>

#include "admin/actor.hpp"
#include "admin/change_comment.hpp"
#include "admin/command_context.hpp"
#include "admin/command_line.hpp"
#include "admin/command_table.hpp"
#include "admin/edit_runner.hpp"
#include "storage/file_locations.hpp"

namespace apex::admin {

const char* const kApexctlUsage =
    "Usage: apexctl [--db FILE] [--config FILE] [--actor NAME] [--comment TEXT] COMMAND\n"
    "               [ARGS...]\n"
    "\n"
    "Manages the zones, records, aliases and secondaries of an apexdns database. Every\n"
    "command that changes something is one transaction: it is applied whole or not at all,\n"
    "each zone it changes is validated and gets a new SOA serial, the change log records it,\n"
    "and the running server picks it up within a second.\n"
    "\n"
    "Commands:\n"
    "  init                                  create the database (safe to repeat)\n"
    "  zone add ZONE                         create a zone from the zone template\n"
    "  zone delete ZONE [--force]            delete a zone and all its records (--force:\n"
    "                                        even when other zones delegate or alias to it)\n"
    "  zone import PATH [--replace]          import a master file, or every *.zone file in\n"
    "                                        a directory (--replace: zones that exist)\n"
    "  zone export ZONE [--flatten]          print a zone as a master file (--flatten: aliases\n"
    "                                        as their current A/AAAA records)\n"
    "  zone list [--match PATTERN] [--under NAME] [--json]\n"
    "                                        list the zones with their record counts\n"
    "  zone show ZONE [--json]               SOA, serial, counts and last change of a zone\n"
    "  zone status ZONE [--json]             the zone's serial and each secondary's last\n"
    "                                        transferred serial\n"
    "  record add NAME TYPE RDATA... [--ttl TTL]\n"
    "                                        add a record to the zone that contains NAME\n"
    "  record set NAME TYPE [RDATA...] [--rdata RDATA]... [--ttl TTL]\n"
    "                                        replace the RRset TYPE at NAME\n"
    "  record delete NAME [TYPE [RDATA...]]  delete records at NAME\n"
    "  record list ZONE [NAME] [--type TYPE] [--json]\n"
    "                                        list a zone's records\n"
    "  alias set NAME TARGET [--ttl TTL] [--fallback IP[,IP...]] [--health tcp:PORT]\n"
    "                                        make A/AAAA at NAME follow TARGET's addresses\n"
    "  alias delete NAME                     delete the alias at NAME\n"
    "  alias list [ZONE] [--json]            list the aliases and their settings\n"
    "  alias status [ZONE|NAME] [--json]     what each alias serves: addresses, TTL, state\n"
    "  tsig add NAME [--algorithm ALG] [--secret BASE64|-]\n"
    "                                        add a TSIG key (generated when no secret given)\n"
    "  tsig list [--json]                    list the TSIG keys (never their secrets)\n"
    "  tsig delete NAME                      delete a TSIG key no secondary uses\n"
    "  secondary add ADDR[:PORT] [--key NAME] [--zone ZONE]...\n"
    "                                        let a secondary transfer zones, send it NOTIFY\n"
    "  secondary list [--json]               list the secondaries, their keys and zones\n"
    "  secondary delete ADDR[:PORT]          stop transfers and NOTIFY to a secondary\n"
    "  catalog set NAME | catalog unset      produce (or stop) the catalog zone NAME (RFC 9432)\n"
    "  catalog show [--json]                 the catalog's name, serial and member zones\n"
    "  dnssec enable ZONE [--algorithm ALG] [--nsec3 [--opt-out]]\n"
    "                                        sign a zone with a new key (apexd signs it)\n"
    "  dnssec disable ZONE                   stop signing (remove the DS at the parent first)\n"
    "  dnssec status ZONE [--json]           the zone's key and signing settings\n"
    "  dnssec ds ZONE                        the DS for the parent zone, and the DNSKEY\n"
    "  apply FILE|- [--dry-run]              run many change commands in one transaction\n"
    "  check [ZONE] [--verbose] [--json]     validate stored zones; exit 1 if one fails\n"
    "  log [ZONE] [--limit N] [--full] [--json]\n"
    "                                        show the change history, newest first\n"
    "  backup BACKUP [--force]               copy the database into BACKUP while in use\n"
    "  restore BACKUP                        replace the database's content with BACKUP's,\n"
    "                                        checked first (apexd reloads everything)\n"
    "  revert CHANGE_ID [--force]            undo a change of the log as a new change\n"
    "\n"
    "Commands for the running apexd (through its control socket; the database is not\n"
    "opened):\n"
    "  status [--json]                       serving, loading or draining; version, uptime,\n"
    "                                        zones, secondaries behind (exit 3: not running)\n"
    "  stats [--zone ZONE] [--json]          counters; with --zone, one zone's serial,\n"
    "                                        aliases and secondaries\n"
    "  reload                                re-read the configuration (as SIGHUP)\n"
    "  zone reload ZONE                      re-read ZONE from the database and serve it now\n"
    "  alias refresh NAME                    resolve the target of the alias at NAME now\n"
    "\n"
    "Names, in RDATA too, are absolute, with or without the trailing dot; internationalized\n"
    "names in their punycode form (xn--...). A TXT value without double quotes is one\n"
    "string. A TTL is seconds or a time such as 30m, 1h30m, 1d, 1w. Change commands of one\n"
    "zone take --if-serial N: refused unless the zone's serial is N.\n"
    "\n"
    "Options (before or after the command):\n"
    "  --db FILE      the database (default: apexdns.db in the working directory)\n"
    "  --config FILE  the apexdns TOML configuration (default: $APEXDNS_CONFIG, else\n"
    "                 /etc/apexdns/apexdns.toml when it exists): apexctl reads its "
    "[zone_defaults]\n"
    "                 (template of new zones) and [serial] (policy) sections\n"
    "  --actor NAME   who makes the change, for the change log (default: $SUDO_USER, else\n"
    "                 $USER, else the user id)\n"
    "  --comment TEXT why the change is made, kept in its change-log entries (change\n"
    "                 commands only)\n"
    "  --control PATH apexd's control socket (default: [control] socket of the\n"
    "                 configuration, else the database path + .sock)\n"
    "  -h, --help     show help; after a command, that command's help\n"
    "  --version      print the version and exit\n"
    "\n"
    "Environment:\n"
    "  APEXCTL_PUBLIC_SUFFIX_LIST  the Public Suffix List 'zone add' and 'zone import' check\n"
    "                 zones against (default: /usr/share/publicsuffix/public_suffix_list.dat)\n"
    "\n"
    "Exit status:\n"
    "  0  success\n"
    "  1  refused: invalid input, or a change the zone rules forbid; nothing was changed\n"
    "     (check: a zone failed)\n"
    "  2  usage error: unknown command or option, missing or extra arguments, a bad\n"
    "     --config file or --actor value\n"
    "  3  database error: missing, unreadable, locked or failing; nothing was changed\n"
    "     (commands for the running apexd: apexd is not running)\n";

namespace {

constexpr std::string_view kDefaultDatabase = "apexdns.db";

// The settings apexctl needs from the process: who acts, why, and the configuration file.
int prepare(const GlobalOptions& options, const Environment& env, CommandContext& ctx,
            const Command* command) {
  if (options.comment) {
    if (!command || !command->changes_data) {
      return ctx.usage_error("--comment goes with a command that changes something", "");
    }
    auto comment = comment_argument(*options.comment);
    if (!comment) return ctx.usage_error(comment.error(), "");
    ctx.comment = *comment;
  }
  if (options.actor) {
    auto actor = actor_argument(*options.actor);
    if (!actor) return ctx.usage_error(actor.error(), "");
    ctx.actor = *actor;
  } else {
    ctx.actor = default_actor(env);
  }
  if (auto path = storage::config_file(options.config, env.variable("APEXDNS_CONFIG"))) {
    auto config = load_admin_config(*path);
    if (!config) return ctx.fail(ExitCode::kUsage, config.error());
    ctx.config = *config;
  }
  if (auto list = env.variable("APEXCTL_PUBLIC_SUFFIX_LIST")) ctx.config.public_suffix_list = *list;
  return to_int(ExitCode::kOk);
}

// A group word without a known subcommand: the group's help, or what is missing.
int run_group(const CommandGroup& group, std::span<const std::string> rest,
              const CommandContext& ctx) {
  if (wants_help(rest)) {
    ctx.out << group.usage;
    return to_int(ExitCode::kOk);
  }
  const std::string name(group.name);
  if (rest.empty()) return ctx.usage_error("missing " + name + " command", group.name);
  return ctx.usage_error("unknown " + name + " command '" + rest[0] + "'", group.name);
}

int run_command(std::span<const std::string> args, const Command* command,
                const CommandContext& ctx) {
  if (command) {
    const auto rest = args.subspan(command->word_count());
    if (wants_help(rest)) {
      ctx.out << command->usage;
      return to_int(ExitCode::kOk);
    }
    return command->run ? command->run(rest, ctx) : run_change_command(*command->change, rest, ctx);
  }
  const std::string_view word = args[0];
  if (const CommandGroup* group = find_command_group(word))
    return run_group(*group, args.subspan(1), ctx);
  if (word == "help" || wants_help(args)) {
    ctx.out << kApexctlUsage;
    return to_int(ExitCode::kOk);
  }
  if (word.starts_with('-')) {
    return ctx.usage_error("unknown option '" + std::string(word) + "'", "");
  }
  return ctx.usage_error("unknown command '" + std::string(word) + "'", "");
}

int dispatch(std::vector<std::string> args, std::ostream& out, std::ostream& err,
             const Environment& env) {
  auto options = take_global_options(args);
  const std::string db = options && options->db ? *options->db : std::string(kDefaultDatabase);
  CommandContext ctx{db, out, err, *env.in, AdminConfig{}, "", utc_date(env.now), std::nullopt, {}};
  if (!options) return ctx.usage_error(options.error(), "");
  if (options->control) ctx.control_socket = *options->control;
  if (args.empty()) {
    err << kApexctlUsage;
    return to_int(ExitCode::kUsage);
  }
  if (args.size() == 1 && args[0] == "--version") {
    out << "apexctl (apexdns) " APEXDNS_VERSION "\n";
    return to_int(ExitCode::kOk);
  }
  const Command* command = find_command(args);
  // Help needs neither the configuration nor the database; the help of a command for the
  // running apexd comes after the configuration that names its control socket.
  if (!wants_help(args) || (command && command->target == CommandTarget::kApexd)) {
    if (int status = prepare(*options, env, ctx, command); status != 0) return status;
  }
  return run_command(args, command, ctx);
}

}  // namespace

int run_apexctl(std::vector<std::string> args, std::ostream& out, std::ostream& err,
                const Environment& env) {
  // Errors are values throughout; this only catches what the standard library may still throw
  // (std::bad_alloc and the like). Open transactions have been rolled back by then (RAII).
  try {
    return dispatch(std::move(args), out, err, env);
  } catch (const std::exception& e) {
    err << "apexctl: unexpected error: " << e.what() << " (nothing was changed)\n";
    return to_int(ExitCode::kDatabase);
  }
}

int run_apexctl(std::vector<std::string> args, std::ostream& out, std::ostream& err) {
  return run_apexctl(std::move(args), out, err, Environment::process());
}

}  // namespace apex::admin
