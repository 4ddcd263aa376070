// How the read commands about one zone (`zone show`, `zone export`, `zone status`) start:
// one ZONE argument, the database opened, the zone's records read, or the error reported.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "admin/command_context.hpp"
#include "admin/command_line.hpp"
#include "storage/database.hpp"
#include "zones/name.hpp"
#include "zones/record.hpp"

namespace apex::admin {

struct ZoneReading {
  CommandLine line;
  Name apex;
  std::unique_ptr<storage::Database> db;
  std::vector<Record> records;
};

// The zone named by the one positional argument of args; nothing when it failed, with the
// failure already reported on ctx (usage error, refused, database error) and its exit code
// in exit_code.
std::optional<ZoneReading> read_zone_argument(std::span<const std::string> args,
                                              std::span<const OptionSpec> options,
                                              std::string_view command, const CommandContext& ctx,
                                              int& exit_code);

}  // namespace apex::admin
