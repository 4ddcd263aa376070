// Runs parsed edits in one transaction, all or nothing.
#include "admin/edit_runner.hpp"

#include <algorithm>

#include "admin/change_commands.hpp"
#include "admin/zone_edits.hpp"

namespace apex::admin {
namespace {

std::string note_lines(const std::vector<std::string>& notes) {
  std::string text;
  for (const std::string& note : notes) text += "apexctl: note: " + note + "\n";
  return text;
}

// Record commands end with the serial each zone now has, which scripts and operators check
// against what secondaries serve.
std::string serial_lines(const std::vector<ZoneOutcome>& outcomes) {
  std::string text;
  for (const ZoneOutcome& o : outcomes) {
    if (o.fate == ZoneFate::kUpdated) {
      text +=
          "zone " + o.apex.to_text() + " serial " + std::to_string(o.new_serial.value_or(0)) + "\n";
    } else if (o.fate == ZoneFate::kUnchanged) {
      text += "zone " + o.apex.to_text() + " unchanged\n";
    }
  }
  return text;
}

}  // namespace

Result<EditResults> apply_edits(storage::Database& db, const CommandContext& ctx,
                                std::vector<LabeledEdit>& edits, const EditRunOptions& options,
                                Failure& failure) {
  ChangeSet changes(
      db, ChangeSetOptions{&ctx.config, ctx.today, ctx.actor, options.operation, ctx.comment,
                           options.finish_replaced_zones, options.change_lines});
  EditResults results;
  for (LabeledEdit& e : edits) {
    changes.begin_edit(e.label);
    auto report = e.edit.apply(changes, failure);
    if (!report) return Error{e.label.empty() ? report.error() : e.label + ": " + report.error()};
    results.reports += *report;
  }
  auto outcomes = changes.commit(failure);
  if (!outcomes) return Error{outcomes.error()};
  results.outcomes = std::move(outcomes).value();
  results.notes = changes.notes();
  return results;
}

int run_edits(const CommandContext& ctx, std::vector<LabeledEdit> edits,
              const EditRunOptions& options,
              const std::function<std::string(const EditResults&)>& format) {
  return run_in_transaction(ctx, [&](storage::Database& db, Failure& failure) -> Result<Report> {
    auto results = apply_edits(db, ctx, edits, options, failure);
    if (!results) return Error{results.error()};
    Report report{format(*results), note_lines(results->notes)};
    if (options.dry_run) return failure.roll_back(std::move(report));
    return report;
  });
}

int run_change_command(const ChangeCommand& command, std::span<const std::string> args,
                       const CommandContext& ctx) {
  Failure failure;
  auto edit = parse_change_command(command, args, failure);
  if (!edit) {
    if (failure.code() == ExitCode::kUsage) return ctx.usage_error(edit.error(), command.words());
    return ctx.fail(failure.code(), edit.error());
  }
  std::vector<LabeledEdit> edits;
  edits.push_back(LabeledEdit{"", std::move(edit).value()});
  // Record and alias commands edit within a zone and report its serial; zone commands don't.
  const bool record_command = command.group == "record" || command.group == "alias";
  const bool import = command.words() == "zone import";
  EditRunOptions options{command.words(), import, false, import ? kImportChangeLines : 0};
  return run_edits(ctx, std::move(edits), options, [&](const EditResults& results) {
    if (!record_command) return results.reports;
    // A change that comes to nothing (the RRset already held exactly that) reports only that.
    const bool changed =
        std::any_of(results.outcomes.begin(), results.outcomes.end(),
                    [](const ZoneOutcome& o) { return o.fate != ZoneFate::kUnchanged; });
    return (changed ? results.reports : "") + serial_lines(results.outcomes);
  });
}

}  // namespace apex::admin
