// What the transfer sessions of every worker share: the IXFR journal they read, and the
// events (transfers served) that `apexctl zone status` shows.
#pragma once

#include "server/journal_reader.hpp"
#include "server/secondary_events.hpp"

namespace apex::server {

struct TransferServices {
  SecondaryEvents& events;
  JournalReader& journal;
};

}  // namespace apex::server
