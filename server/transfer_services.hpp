// What the transfer sessions of every worker share: the IXFR journal they read, the events
// (transfers served) that `apexctl zone status` shows, and the slots that bound how many
// transfers run at once.
#pragma once

#include "server/journal_reader.hpp"
#include "server/secondary_events.hpp"
#include "server/transfer_slots.hpp"

namespace apex::server {

struct TransferServices {
  SecondaryEvents& events;
  JournalReader& journal;
  TransferSlots& slots;
};

}  // namespace apex::server
