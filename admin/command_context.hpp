// What every apexctl command gets: the database path, its output streams, and how to fail.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "admin/exit_code.hpp"
#include "storage/database.hpp"
#include "zones/result.hpp"

namespace apex::admin {

struct CommandContext {
  std::filesystem::path db_path;
  std::ostream& out;
  std::ostream& err;

  // Prints "apexctl: message" on err and returns code as the exit status.
  int fail(ExitCode code, std::string_view message) const;
  // A usage error, with a pointer to the help of command ("zone import").
  int usage_error(std::string_view message, std::string_view command) const;
  // Opens the database; a missing file gets a hint to run init.
  Result<std::unique_ptr<storage::Database>> open_database(storage::OpenMode mode) const;
};

// Classifies a transaction body's failure: a database error unless the body refused the input.
class BodyFailure {
 public:
  Error refuse(std::string message) {
    code_ = ExitCode::kRefused;
    return Error{std::move(message)};
  }
  ExitCode code() const { return code_; }

 private:
  ExitCode code_ = ExitCode::kDatabase;
};

// What a command prints once its transaction has committed (never before: a change that
// rolls back must not have been reported).
struct Report {
  std::string out;    // the result, for stdout
  std::string notes;  // remarks for stderr, each line "apexctl: note: ..."
};

using TransactionBody = std::function<Result<Report>(storage::Database&, BodyFailure&)>;

// Opens the existing database and runs body in one write transaction. Prints body's report
// after the commit and returns 0, or prints the failure and returns its exit status.
int run_in_transaction(const CommandContext& ctx, const TransactionBody& body);

}  // namespace apex::admin
