// Runs parsed edits in one transaction: every edit, then ChangeSet::commit (validation, serial,
// writes, change log), all or nothing.
#pragma once

#include <string>
#include <vector>

#include "admin/change_set.hpp"
#include "admin/command_context.hpp"
#include "admin/edit.hpp"

namespace apex::admin {

struct LabeledEdit {
  std::string label;  // where the edit came from, for messages ("changes.txt:7"); "" alone
  Edit edit;
};

struct EditResults {
  std::string reports;                // the edits' own lines, in order
  std::vector<ZoneOutcome> outcomes;  // per changed zone
  std::vector<std::string> notes;
};

struct EditRunOptions {
  std::string operation;  // change-log operation
  bool finish_replaced_zones = false;
  bool dry_run = false;          // do everything, then roll back
  std::size_t change_lines = 0;  // see ChangeSetOptions
};

// The edits and the commit, inside a transaction the caller opened. An edit's own error is
// prefixed with its label.
Result<EditResults> apply_edits(storage::Database& db, const CommandContext& ctx,
                                std::vector<LabeledEdit>& edits, const EditRunOptions& options,
                                Failure& failure);

// Opens the database and runs apply_edits in one transaction; on success prints what format
// makes of the results (stdout) and the notes (stderr); returns the exit status.
int run_edits(const CommandContext& ctx, std::vector<LabeledEdit> edits,
              const EditRunOptions& options,
              const std::function<std::string(const EditResults&)>& format);

// One change command from the command line: parse its arguments, run it, print its lines and,
// for record and alias commands, the new serial of each changed zone.
int run_change_command(const ChangeCommand& command, std::span<const std::string> args,
                       const CommandContext& ctx);

}  // namespace apex::admin
