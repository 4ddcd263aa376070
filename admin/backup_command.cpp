// apexctl backup FILE: SQLite's online backup of the database into FILE (storage's
// back_up_database); the database is opened read-only and never written.
#include "admin/backup_command.hpp"

#include <filesystem>
#include <system_error>

#include "admin/command_line.hpp"
#include "storage/database_backup.hpp"

namespace apex::admin {

const char* const kBackupUsage =
    "Usage: apexctl [--db FILE] backup BACKUP [--force]\n"
    "\n"
    "Copies the database into BACKUP while apexd and other apexctl commands go on using it:\n"
    "the copy holds one consistent state (every change committed before it started, none\n"
    "after). It is written beside BACKUP under a temporary name and renamed when complete,\n"
    "so a failed backup leaves nothing behind. BACKUP is one self-contained file (no -wal or\n"
    "-shm) with an identity of its own; 'apexctl restore BACKUP' puts it back. The database\n"
    "is only read: no change-log entry. Prints the zones, records and bytes saved.\n"
    "  --force   replace BACKUP if it exists (otherwise refused)\n";

namespace {

constexpr OptionSpec kOptions[] = {{"--force", false}};

}  // namespace

int run_backup_command(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, kOptions);
  if (!line) return ctx.usage_error(line.error(), "backup");
  if (line->positional.size() != 1) return ctx.usage_error("expected one BACKUP file", "backup");
  const std::filesystem::path file = line->positional[0];
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    if (std::filesystem::equivalent(file, ctx.db_path, ec))
      return ctx.fail(ExitCode::kRefused, file.string() + " is the database itself");
    if (!line->has("--force"))
      return ctx.fail(ExitCode::kRefused, file.string() + " exists (--force replaces it)");
    if (std::filesystem::is_directory(file, ec))
      return ctx.fail(ExitCode::kRefused, file.string() + " is a directory");
  }
  auto db = ctx.open_database(storage::OpenMode::kReadOnly);
  if (!db) return ctx.fail(ExitCode::kDatabase, db.error());
  auto saved = storage::back_up_database(**db, file, line->has("--force"));
  if (!saved) return ctx.fail(ExitCode::kDatabase, saved.error());
  ctx.out << "saved " << saved->zones << " zones, " << saved->records << " records ("
          << saved->bytes << " bytes) to " << file.string() << "\n";
  return to_int(ExitCode::kOk);
}

}  // namespace apex::admin
