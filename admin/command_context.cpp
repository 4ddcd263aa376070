// What every apexctl command gets: the database path, settings, who acts, its output streams,
// and how to fail.
#include "admin/command_context.hpp"

#include <system_error>

namespace apex::admin {

int CommandContext::fail(ExitCode code, std::string_view message) const {
  err << "apexctl: " << message << '\n';
  return to_int(code);
}

int CommandContext::usage_error(std::string_view message, std::string_view command) const {
  err << "apexctl: " << message << '\n'
      << "Try 'apexctl " << command << (command.empty() ? "" : " ") << "--help'.\n";
  return to_int(ExitCode::kUsage);
}

Result<std::unique_ptr<storage::Database>> CommandContext::open_database(
    storage::OpenMode mode) const {
  std::error_code ec;
  if (mode != storage::OpenMode::kCreate && !std::filesystem::exists(db_path, ec)) {
    return Error{"database " + db_path.string() + ": no such file (create it with 'apexctl --db " +
                 db_path.string() + " init')"};
  }
  return storage::Database::open(db_path, mode);
}

int run_in_transaction(const CommandContext& ctx, const TransactionBody& body) {
  auto db = ctx.open_database(storage::OpenMode::kExisting);
  if (!db) return ctx.fail(ExitCode::kDatabase, db.error());
  Failure failure;
  Report report;
  auto done = (*db)->transaction([&]() -> Status {
    auto result = body(**db, failure);
    if (!result) return Error{result.error()};
    report = std::move(result).value();
    return Ok{};
  });
  if (!done && failure.dry_run()) report = *failure.dry_run();
  if (!done && !failure.dry_run()) return ctx.fail(failure.code(), done.error());
  ctx.err << report.notes;
  ctx.out << report.out;
  return to_int(ExitCode::kOk);
}

}  // namespace apex::admin
