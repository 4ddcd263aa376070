// apexctl restore FILE: stage and check FILE beside the database, give it a new identity and
// the change-log entry of the restore, then copy it over the live database in one
// transaction (storage's StagedRestore says why that, and not a rename).
#include "admin/restore_command.hpp"

#include <filesystem>

#include "admin/command_line.hpp"
#include "storage/database_restore.hpp"

namespace apex::admin {

const char* const kRestoreUsage =
    "Usage: apexctl [--db FILE] restore BACKUP\n"
    "\n"
    "Replaces everything in the database (zones, records, aliases, keys, secondaries, the\n"
    "change log) with what BACKUP holds, also while apexd runs: apexd notices and reloads\n"
    "everything within a second. BACKUP is checked first and never written: it must pass\n"
    "SQLite's integrity check and be an apexdns database of a schema this apexctl reads\n"
    "(an older one is upgraded in the restored copy), with every zone valid; otherwise the\n"
    "restore is refused (exit 1) and the database is left as it was. The restore is one\n"
    "transaction: readers see the old database or the restored one, never a mix. The\n"
    "restored change log ends with an entry 'restore' naming BACKUP. A database that does\n"
    "not exist yet is created.\n";

namespace {

storage::ChangeEntry restore_entry(const std::filesystem::path& file,
                                   const storage::StagedRestore& staged,
                                   const CommandContext& ctx) {
  const std::string detail = "from " + std::filesystem::absolute(file).string() + ": " +
                             std::to_string(staged.report().zones) + " zones, " +
                             std::to_string(staged.report().records) + " records";
  return storage::ChangeEntry{std::nullopt, ctx.actor, "restore", detail, ctx.comment};
}

}  // namespace

int run_restore_command(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, {});
  if (!line) return ctx.usage_error(line.error(), "restore");
  if (line->positional.size() != 1) return ctx.usage_error("expected one BACKUP file", "restore");
  const std::filesystem::path file = line->positional[0];
  auto staged = storage::StagedRestore::stage(file, ctx.db_path);
  if (!staged) return ctx.fail(ExitCode::kRefused, "not restored: " + staged.error());
  storage::Database& copy = (*staged)->database();
  const storage::ChangeEntry entry = restore_entry(file, **staged, ctx);
  auto stamped = copy.transaction([&]() -> Status {
    if (auto renewed = copy.renew_identity(); !renewed) return renewed;
    return copy.log_change(entry);
  });
  if (!stamped) return ctx.fail(ExitCode::kDatabase, "not restored: " + stamped.error());
  auto live = ctx.open_database(storage::OpenMode::kCreate);
  if (!live) return ctx.fail(ExitCode::kDatabase, "not restored: " + live.error());
  if ((*live)->read_only())
    return ctx.fail(ExitCode::kDatabase, "not restored: database " + ctx.db_path.string() +
                                             " is read-only for this process");
  if (auto replaced = (*staged)->replace_contents(**live); !replaced)
    return ctx.fail(ExitCode::kDatabase,
                    "not restored: database " + ctx.db_path.string() + ": " + replaced.error());
  ctx.out << "restored " << (*staged)->report().zones << " zones, " << (*staged)->report().records
          << " records from " << file.string() << "\n";
  return to_int(ExitCode::kOk);
}

}  // namespace apex::admin
