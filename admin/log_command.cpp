// apexctl log [ZONE]: the change history (the change_log table), newest first.
#include "admin/log_command.hpp"

#include <algorithm>
#include <optional>

#include "admin/arguments.hpp"
#include "admin/command_line.hpp"
#include "admin/iso_time.hpp"
#include "zones/json_text.hpp"

namespace apex::admin {

const char* const kLogUsage =
    "Usage: apexctl [--db FILE] log [ZONE] [--limit N] [--full] [--json]\n"
    "\n"
    "Shows the change history, newest first: of ZONE, or of all zones and the transfer\n"
    "settings. Each entry has its number, time (UTC, ISO 8601), zone ('-' for a change of\n"
    "the TSIG keys or secondaries), actor (--actor, else the user who ran apexctl) and\n"
    "operation, the comment given with --comment, then what changed: the serial, then '+'\n"
    "and '-' record lines. The log keeps every line; at most 100 are shown per entry, then\n"
    "how many more there are.\n"
    "  --limit N   at most N entries (default 20)\n"
    "  --full      every line of each entry\n"
    "  --json      print a JSON array of {\"id\", \"time\", \"zone\" (null for the transfer\n"
    "              settings), \"actor\", \"operation\", \"detail\", \"comment\" (null for\n"
    "              none)}; the detail is always whole\n";

namespace {

constexpr std::size_t kDefaultLimit = 20;
// Lines of an entry's detail shown after its first (the serial line) without --full: a zone
// import or delete of 100,000 records would otherwise bury every other entry.
constexpr std::size_t kShownLines = 100;
constexpr OptionSpec kOptions[] = {{"--json", false}, {"--limit", true}, {"--full", false}};

std::string text_entry(const storage::LoggedChange& change, bool full) {
  const auto& e = change.entry;
  std::string text = "#" + std::to_string(change.id) + "  " + iso8601_utc(change.at_ms) + "  " +
                     (e.zone ? e.zone->to_text() : "-") + "  " + e.actor + "  " + e.operation +
                     "\n";
  if (e.comment) text += "    comment: " + *e.comment + "\n";
  // The detail indented under its entry, line by line.
  std::size_t pos = 0, shown = 0;
  while (pos < e.detail.size() && (full || shown <= kShownLines)) {
    const std::size_t end = std::min(e.detail.find('\n', pos), e.detail.size());
    text += "    " + e.detail.substr(pos, end - pos) + "\n";
    pos = end + 1;
    ++shown;
  }
  if (pos < e.detail.size()) {
    const auto more =
        std::count(e.detail.begin() + static_cast<std::ptrdiff_t>(pos), e.detail.end(), '\n') + 1;
    text += "    ... and " + std::to_string(more) + " more lines (--full shows them)\n";
  }
  return text;
}

std::string json_entry(const storage::LoggedChange& change) {
  const auto& e = change.entry;
  return JsonObject()
      .add("id", change.id)
      .add("time", iso8601_utc(change.at_ms))
      .add_raw("zone", e.zone ? json_string(e.zone->to_text()) : "null")
      .add("actor", e.actor)
      .add("operation", e.operation)
      .add("detail", e.detail)
      .add_raw("comment", e.comment ? json_string(*e.comment) : "null")
      .str();
}

}  // namespace

int run_log_command(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, kOptions);
  if (!line) return ctx.usage_error(line.error(), "log");
  if (line->positional.size() > 1) return ctx.usage_error("expected at most one ZONE", "log");
  auto given = optional_name_argument(line->positional);
  if (!given) return ctx.fail(ExitCode::kRefused, given.error());
  std::optional<Name> zone = std::move(given).value();
  std::size_t limit = kDefaultLimit;
  if (auto text = line->value("--limit")) {
    auto parsed = limit_argument(*text);
    if (!parsed) return ctx.fail(ExitCode::kRefused, parsed.error());
    limit = *parsed;
  }
  auto db = ctx.open_database(storage::OpenMode::kReadOnly);
  if (!db) return ctx.fail(ExitCode::kDatabase, db.error());
  auto history = (*db)->change_history(zone, limit);
  if (!history) return ctx.fail(ExitCode::kDatabase, history.error());
  if (line->has("--json")) {
    std::vector<std::string> entries;
    for (const auto& change : *history) entries.push_back(json_entry(change));
    ctx.out << json_array(entries, true) << '\n';
  } else {
    for (const auto& change : *history) ctx.out << text_entry(change, line->has("--full"));
  }
  return to_int(ExitCode::kOk);
}

}  // namespace apex::admin
