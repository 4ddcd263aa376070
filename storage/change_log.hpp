// The change log (ARCHITECTURE.md §6): one entry per change, written in the change's own
// transaction; the audit trail behind `apexctl log` and the feed the running server follows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "zones/name.hpp"

namespace apex::storage {

struct ChangeEntry {
  // The zone changed; none for a change of the transfer settings (TSIG keys, secondaries),
  // which concerns no single zone: stored as zone '' so a follower can tell them apart.
  std::optional<Name> zone;
  std::string actor;      // who: the OS user, or what automation said with --actor
  std::string operation;  // what: "zone import", "record add", …
  std::string detail;     // before/after, as the command describes it
  std::optional<std::string> comment = std::nullopt;  // why, as the operator said (--comment)
};

// The entry for a change of the transfer settings ("tsig add", "secondary delete", ...).
inline ChangeEntry transfer_settings_change(std::string actor, std::string operation,
                                            std::string detail,
                                            std::optional<std::string> comment = std::nullopt) {
  return ChangeEntry{std::nullopt, std::move(actor), std::move(operation), std::move(detail),
                     std::move(comment)};
}

struct LoggedChange {
  std::int64_t id = 0;
  std::int64_t at_ms = 0;  // milliseconds since the Unix epoch
  ChangeEntry entry;
};

}  // namespace apex::storage
