// What every apexctl command gets: the database path, settings, who acts, its output streams,
// and how to fail.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "admin/admin_config.hpp"
#include "admin/exit_code.hpp"
#include "storage/database.hpp"
#include "zones/result.hpp"

namespace apex::admin {

struct CommandContext {
  std::filesystem::path db_path;
  std::ostream& out;
  std::ostream& err;
  std::istream& in;
  AdminConfig config;
  std::string actor;                     // for the change log
  std::chrono::year_month_day today{};   // UTC, for the date serial policy
  std::optional<std::string> comment;    // --comment: why, kept in every change-log entry
  std::filesystem::path control_socket;  // --control: apexd's control socket; empty: not given

  // Prints "apexctl: message" on err and returns code as the exit status.
  int fail(ExitCode code, std::string_view message) const;
  // A usage error, with a pointer to the help of command ("zone import").
  int usage_error(std::string_view message, std::string_view command) const;
  // Opens the database; a missing file gets a hint to run init.
  Result<std::unique_ptr<storage::Database>> open_database(storage::OpenMode mode) const;
};

// What a command prints once its transaction has committed (never before: a change that
// rolls back must not have been reported).
struct Report {
  std::string out;    // the result, for stdout
  std::string notes;  // remarks for stderr, each line "apexctl: note: ..."
};

// Classifies a failure by exit status: a database error unless the code that failed said the
// input was refused or the invocation was wrong.
class Failure {
 public:
  Error refuse(std::string message) { return with(ExitCode::kRefused, std::move(message)); }
  Error usage(std::string message) { return with(ExitCode::kUsage, std::move(message)); }
  // Ends the transaction without writing anything, and reports as if it had committed: a dry
  // run (apply --dry-run).
  Error roll_back(Report report) {
    dry_run_ = std::move(report);
    return with(ExitCode::kOk, "dry run");
  }
  ExitCode code() const { return code_; }
  const std::optional<Report>& dry_run() const { return dry_run_; }

 private:
  Error with(ExitCode code, std::string message) {
    code_ = code;
    return Error{std::move(message)};
  }
  ExitCode code_ = ExitCode::kDatabase;
  std::optional<Report> dry_run_;
};

using TransactionBody = std::function<Result<Report>(storage::Database&, Failure&)>;

// Opens the existing database and runs body in one write transaction. Prints body's report
// after the commit and returns 0, or prints the failure and returns its exit status.
int run_in_transaction(const CommandContext& ctx, const TransactionBody& body);

}  // namespace apex::admin
