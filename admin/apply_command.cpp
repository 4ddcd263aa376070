// apexctl apply FILE|-: every line a change command, all applied in one transaction.
#include "admin/apply_command.hpp"

#include <fstream>

#include "admin/apply_script.hpp"
#include "admin/change_commands.hpp"
#include "admin/command_line.hpp"
#include "admin/edit_runner.hpp"

namespace apex::admin {

const char* const kApplyUsage =
    "Usage: apexctl [--db FILE] apply FILE|- [--dry-run]\n"
    "\n"
    "Applies the change commands in FILE (or standard input for '-') in one transaction:\n"
    "all of them, or none. Each line is one command as it would follow 'apexctl' on the\n"
    "command line, without global options:\n"
    "  zone add ZONE | zone delete ZONE | zone import PATH\n"
    "  record add NAME TYPE RDATA... [--ttl N] | record set NAME TYPE [RDATA...] [--rdata\n"
    "  RDATA]... [--ttl N] | record delete NAME [TYPE [RDATA...]]\n"
    "  alias set NAME TARGET [--ttl N] [--fallback IP[,IP...]] [--health tcp:PORT] |\n"
    "  alias delete NAME\n"
    "Words are separated by spaces or tabs. As in the shell, a single-quoted string is one\n"
    "word without its quotes (--rdata '10 mail'); unlike the shell, a double-quoted string\n"
    "keeps its quotes, as in a zone file (TXT \"v=spf1 -all\" is one TXT string). '#'\n"
    "starts a comment; blank lines are skipped. Lines run in order, each seeing the ones\n"
    "before it; every zone is validated once, after the last line, and its SOA serial\n"
    "moves once, however many lines touch it.\n"
    "An error names FILE:LINE, exits 1, and nothing is written.\n"
    "  --dry-run   validate everything and print the result, then write nothing\n";

namespace {

constexpr OptionSpec kOptions[] = {{"--dry-run", false}};

std::string words_hint(const std::vector<std::string>& words) {
  std::string text;
  for (std::size_t i = 0; i < words.size() && i < 2; ++i) text += (i ? " " : "") + words[i];
  return text;
}

// One line as an edit; errors are complete messages without the location.
Result<Edit> parse_line(const ScriptLine& line) {
  const auto& words = line.words;
  if (words[0] == "apexctl") return Error{"leave out the word 'apexctl': write 'record add ...'"};
  const ChangeCommand* command =
      words.size() >= 2 ? find_change_command(words[0], words[1]) : nullptr;
  if (command == nullptr) {
    return Error{"'" + words_hint(words) +
                 "' is not a change command (apply takes zone add|delete|import, record "
                 "add|set|delete and alias set|delete)"};
  }
  Failure failure;
  auto edit = parse_change_command(*command, std::span(words).subspan(2), failure);
  if (!edit) {
    const std::string hint = failure.code() == ExitCode::kUsage
                                 ? " (see 'apexctl " + command->words() + " --help')"
                                 : "";
    return Error{command->words() + ": " + edit.error() + hint};
  }
  return edit;
}

Result<std::vector<LabeledEdit>> parse_script(std::istream& in, const std::string& source) {
  auto lines = read_apply_script(in, source);
  if (!lines) return Error{lines.error()};
  std::vector<LabeledEdit> edits;
  for (const ScriptLine& line : *lines) {
    const std::string label = source + ":" + std::to_string(line.number);
    auto edit = parse_line(line);
    if (!edit) return Error{label + ": " + edit.error()};
    edits.push_back(LabeledEdit{label, std::move(edit).value()});
  }
  return edits;
}

std::string summary(const EditResults& results, std::size_t commands, const std::string& source,
                    bool dry_run) {
  std::string text = (dry_run ? "dry run: would apply " : "applied ") + std::to_string(commands) +
                     " commands from " + source + (dry_run ? "; nothing was written\n" : "\n");
  for (const ZoneOutcome& outcome : results.outcomes) text += outcome.summary() + "\n";
  return text;
}

}  // namespace

int run_apply_command(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, kOptions);
  if (!line) return ctx.usage_error(line.error(), "apply");
  if (line->positional.size() != 1) return ctx.usage_error("expected one FILE (or -)", "apply");
  const std::string& path = line->positional[0];
  const bool from_stdin = path == "-";
  const std::string source = from_stdin ? "<stdin>" : path;
  std::ifstream file;
  if (!from_stdin) {
    file.open(path);
    if (!file) return ctx.fail(ExitCode::kRefused, path + ": cannot open for reading");
  }
  // The whole script is parsed before the database is opened: a typo costs no lock.
  auto edits = parse_script(from_stdin ? ctx.in : file, source);
  if (!edits) return ctx.fail(ExitCode::kRefused, edits.error());
  const std::size_t count = edits->size();
  const bool dry_run = line->has("--dry-run");
  const int status = run_edits(
      ctx, std::move(edits).value(), EditRunOptions{"apply", false, dry_run},
      [&](const EditResults& results) { return summary(results, count, source, dry_run); });
  // Inside apply a bad argument is bad input like any other: one status for "the file".
  return status == to_int(ExitCode::kUsage) ? to_int(ExitCode::kRefused) : status;
}

}  // namespace apex::admin
