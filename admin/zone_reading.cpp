// The common start of the read commands about one zone (see zone_reading.hpp).
#include "admin/zone_reading.hpp"

#include "admin/arguments.hpp"

namespace apex::admin {

namespace {

// The catalog zone (RFC 9432) is served but generated, never stored: say so.
std::string not_stored(storage::Database& db, const Name& apex) {
  auto catalog = db.catalog_state();
  if (catalog && catalog->name == apex.lowercased()) {
    return "zone " + apex.to_text() +
           " is the catalog zone, which apexd generates from the stored zones: it is not "
           "stored (see 'apexctl catalog show')";
  }
  return "zone " + apex.to_text() + " is not in the database";
}

}  // namespace

std::optional<ZoneReading> read_zone_argument(std::span<const std::string> args,
                                              std::span<const OptionSpec> options,
                                              std::string_view command, const CommandContext& ctx,
                                              int& exit_code) {
  auto line = parse_command_line(args, options);
  if (!line) {
    exit_code = ctx.usage_error(line.error(), command);
    return std::nullopt;
  }
  if (line->positional.size() != 1) {
    exit_code = ctx.usage_error("expected one ZONE", command);
    return std::nullopt;
  }
  auto apex = name_argument(line->positional[0]);
  if (!apex) {
    exit_code = ctx.fail(ExitCode::kRefused, apex.error());
    return std::nullopt;
  }
  auto db = ctx.open_database(storage::OpenMode::kReadOnly);
  if (!db) {
    exit_code = ctx.fail(ExitCode::kDatabase, db.error());
    return std::nullopt;
  }
  auto records = (*db)->zone_records(*apex);
  if (!records) {
    exit_code = ctx.fail(ExitCode::kDatabase, records.error());
    return std::nullopt;
  }
  if (!*records) {
    exit_code = ctx.fail(ExitCode::kRefused, not_stored(**db, *apex));
    return std::nullopt;
  }
  return ZoneReading{std::move(*line), std::move(*apex), std::move(*db), std::move(**records)};
}

}  // namespace apex::admin
