// apexd following a database replaced under it: by `apexctl restore` (a new identity
// committed through SQLite), or by a file copied over it or moved onto its name behind
// SQLite's back. Checked before every live-apply poll (cheap: one stat(2), and the identity
// row only when something was committed or the file was written); on detection it logs one
// warning, closes every connection apexd holds to the database, opens them again, and
// reloads and publishes all zones, the transfer settings and the aliases from the new
// database (ARCHITECTURE.md §3.2). Until that succeeds the previous data keeps serving
// (§3.3) and it retries, logging once per episode.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "server/alias_serial_bumper.hpp"
#include "server/alias_service.hpp"
#include "server/database_identity.hpp"
#include "server/journal_reader.hpp"
#include "server/notifier.hpp"
#include "server/secondary_state_recorder.hpp"
#include "server/snapshot_store.hpp"
#include "server/zone_follower.hpp"

namespace apex::server {

// Everything in apexd that holds a connection to the database.
struct DatabaseHolders {
  ZoneFollower& follower;
  AliasSerialBumper& serial_bumper;
  SecondaryStateRecorder& recorder;
  JournalReader& journal;
  AliasService& aliases;
};

class DatabaseReopen {
 public:
  DatabaseReopen(std::filesystem::path database, DatabaseHolders holders, SnapshotStore& store,
                 Notifier& notifier);
  // Learns the current identity and hooks into the follower's polls.
  Status start();

  // One check (the follower calls it before each poll): true when the poll must be skipped,
  // because everything was just reloaded or the database cannot be read now.
  bool check();

 private:
  using Clock = std::chrono::steady_clock;

  // Why the database must be reloaded; "" when it is the one loaded.
  std::string what_changed();
  // The identity as a connection of its own reads it: one opened now has no page cached
  // from before the file was written.
  Result<DatabaseIdentity> fresh_identity();
  void recover(const std::string& why);
  // Every connection closed before any is opened: a connection to a file moved onto the
  // name must not share the -shm of connections still open to the file it replaced (its
  // first opener resets the -shm, under the others' feet).
  void close_all();
  Status open_all();
  Status reload();

  std::filesystem::path database_;
  DatabaseHolders holders_;
  SnapshotStore& store_;
  Notifier& notifier_;
  std::optional<FileId> file_;  // at the last check
  DatabaseIdentity identity_;   // of the database loaded
  std::int64_t data_version_ = -1;
  std::string read_error_;  // told by the follower since the last check
  bool broken_ = false;     // an episode: detected, not reloaded yet
  bool retry_logged_ = false;
  Clock::time_point next_retry_{};
};

}  // namespace apex::server
