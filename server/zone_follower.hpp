// Live apply (ARCHITECTURE.md §6): follows the database's change log and republishes only the zones
// that changed, so a committed apexctl change is served within milliseconds without a restart. A
// write to the database wakes it (DatabaseWatch); polling every `interval` is the safety net where
// that is not available.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "server/database_watch.hpp"
#include "server/histogram.hpp"
#include "server/signing_thread.hpp"
#include "server/snapshot_store.hpp"
#include "server/zone_build.hpp"
#include "storage/database.hpp"
#include "storage/served_zone.hpp"
#include "storage/zone_loader.hpp"

namespace apex::server {

class ZoneFollower {
 public:
  // Told after each publication which zones changed (apexes), with the follower's database.
  using OnChange =
      std::function<void(const ZoneIndexPtr&, const std::vector<Name>&, storage::Database&)>;

  // Starts after change `seen`: everything up to it is in the store's current index.
  ZoneFollower(boost::asio::io_context& io, std::unique_ptr<storage::Database> db,
               SnapshotStore& store, std::int64_t seen, std::chrono::milliseconds interval);
  void on_change(OnChange callback) { on_change_ = std::move(callback); }
  // Told, once per poll, that the transfer settings (TSIG keys, secondaries) changed: the
  // change log had entries without a zone. Called after the zones of the same poll are
  // published, with the follower's database to reload them from.
  using OnSettingsChange = std::function<void(storage::Database&)>;
  void on_settings_change(OnSettingsChange callback) { on_settings_change_ = std::move(callback); }
  // The catalog (RFC 9432) the store's index holds at the start, as the loader built it;
  // without it the first poll that sees a change builds the catalog anew.
  void catalog_published(storage::CatalogState state) { catalog_ = std::move(state); }
  // Asked first in every poll: true when the poll must not read the change log, because the
  // database was replaced and everything reloaded, or it cannot be read (DatabaseReopen).
  using BeforePoll = std::function<bool()>;
  void before_poll(BeforePoll check) { before_poll_ = std::move(check); }
  // Told when reading the change log fails, instead of a warning per poll.
  using OnReadError = std::function<void(const std::string& error)>;
  void on_read_error(OnReadError callback) { on_read_error_ = std::move(callback); }
  // Told before a stored zone's snapshot is replaced in what is published (after: null when
  // the zone is removed; before: null when none was served), with the follower's database:
  // where a signed zone's IXFR step is written before secondaries can ask for it.
  using OnReplacing = std::function<void(const Name& apex, const ZonePtr& before,
                                         const ZonePtr& after, storage::Database&)>;
  void on_replacing(OnReplacing callback) { on_replacing_ = std::move(callback); }
  // The connection (none while it is being reopened), and swapping it.
  storage::Database* database() { return db_.get(); }
  void replace_database(std::unique_ptr<storage::Database> db) { db_ = std::move(db); }
  // After a reload of everything: the store's index now holds change `seen` and catalog.
  void restart(std::int64_t seen, storage::CatalogState catalog);
  // How zones with an active DNSSEC key are signed as they are rebuilt: among others, how
  // long before its expiration a signature is renewed (policy.refresh_s).
  void set_signing(storage::SigningPolicy policy);
  const storage::SigningPolicy& signing_policy() const { return signing_; }
  // The zones the store's index holds signed and when each next has a signature due (the
  // loader's report); replaces what was known.
  void zones_signed(const std::vector<storage::SignedZone>& zones);
  // The flattened addresses of these zones' ALIAS owners changed (or were not known when the
  // zones were loaded) and their serials stay: the signed ones among them are rebuilt at
  // once at the same serial, holding the addresses now published, signed (ARCHITECTURE.md
  // §4); unsigned zones answer from the alias table already. Usually AliasSerialBumper
  // raises a signed zone's serial at once instead, and poll() signs it.
  void aliases_changed(const std::vector<Name>& apexes);
  // From now on, zones served signed are rebuilt on a thread of the lowest CPU priority
  // (SigningThread), a batch at a time, each batch published as it is done: re-signing
  // thousands of zones (a shared ALIAS target moved, signatures due) must not take CPU time
  // from answering (ARCHITECTURE.md §4). A zone changed by an operator goes before those
  // apexd changed itself. Without it (tests), every zone is rebuilt in the call that saw it.
  void sign_in_background();
  // Zones waiting to be rebuilt in the background or being rebuilt.
  std::size_t background_pending() const { return queued_.size() + in_flight_.size(); }
  void start();
  void stop();

  // One poll: applies every change committed since the last one. Public for tests.
  void poll();
  // Reads the zone at apex from the database now and publishes it, as a change to it would
  // (`apexctl zone reload`); its serial, or an error (not stored, unreadable, or invalid: the
  // previous data keeps serving).
  Result<std::uint32_t> reload_zone(const Name& apex);

  // For the metrics, readable from any thread: how long each poll that applied changes took,
  // and when the served zones last changed (the initial load counts), in seconds since 1970.
  HistogramValues apply_durations() const { return apply_seconds_.read(); }
  double last_applied() const {
    return static_cast<double>(last_applied_ms_.load(std::memory_order_relaxed)) / 1000.0;
  }
  // Signatures made and reused since apexd started: the loads' (told through
  // count_signatures) and the follower's builds, readable from any thread (metrics).
  void count_signatures(std::uint64_t made, std::uint64_t reused) {
    signatures_made_.fetch_add(made, std::memory_order_relaxed);
    signatures_reused_.fetch_add(reused, std::memory_order_relaxed);
  }
  std::uint64_t signatures_made() const { return signatures_made_.load(std::memory_order_relaxed); }
  std::uint64_t signatures_reused() const {
    return signatures_reused_.load(std::memory_order_relaxed);
  }

 private:
  // After a write: polls now and every kActivePoll for kActiveWindow, since a commit becomes
  // visible only after its last WAL write (and the fsync that follows it).
  void wake();
  void arm(std::chrono::milliseconds delay);
  // Waits until the earliest signature due for renewal or key event (at most 10 s, so that
  // a wall clock set forward is soon noticed), rebuilds the zones due, then waits again.
  void arm_resign();
  void resign_due();
  // The zone built from its stored records and DNSSEC data (signed when it has an active
  // key, reusing its stored signatures that are not due, then storing what changed), noting
  // when its next signature is due; records: as read, the zone being stored. note tells what
  // was signed, for the log. A background build of the zone under way is dropped.
  Result<ZonePtr> build(const Name& apex, std::vector<Record> records, std::string& note);
  // The bookkeeping of a build made: signatures counted and stored, renewal and key event
  // noted.
  Result<ZonePtr> finish(ZoneBuild& build, std::string& note);
  // Stores the build's signatures over the previous ones; a warning when that fails.
  void store_signatures(const Name& apex, const ZoneSignatures& previous,
                        const SigningReport& report);
  // A new index with the zone rebuilt from the database (or removed); the old index when the
  // zone fails validation, so the old data keeps serving (ARCHITECTURE.md §3.3).
  ZoneIndexPtr rebuild(ZoneIndexPtr index, const Name& apex);
  // The index with the catalog zone rebuilt when its name or serial moved (a zone was
  // created or deleted, the catalog set or unset), removed when unset; its apex added to
  // changed (for NOTIFY).
  ZoneIndexPtr refresh_catalog(ZoneIndexPtr index, std::vector<Name>& changed);
  // Rebuilds the zones (those served signed in the background), publishes and announces
  // them; urgent: changed by an operator.
  void publish(const std::set<Name, CanonicalLess>& zones,
               const std::set<Name, CanonicalLess>& urgent = {});
  void publish_index(const ZoneIndexPtr& index, const std::vector<Name>& changed);
  // Background rebuilds: a zone waits in queue_ (urgent ones first) until feed() reads it
  // and gives it to the signing thread in a batch; finish_batch() publishes the batch, then
  // feeds the next one. announce: the zone's serial may have moved (a change, not new
  // ALIAS addresses at the same serial), so on_change_ is told.
  struct BackgroundBuild {
    ZoneBuild build;
    std::uint64_t token;
    bool announce;
  };
  void enqueue(const Name& apex, bool urgent, bool announce);
  void feed();
  // A batch's zones as they are finished: the index they go into, those to announce, and
  // the log line of each, written once the index is published.
  struct BatchOutcome {
    ZoneIndexPtr index;
    std::vector<Name> announced;
    std::vector<std::string> reloaded;
  };
  void finish_batch(std::vector<BackgroundBuild>& batch);
  void finish_background(BackgroundBuild& done, BatchOutcome& outcome);
  void drop_background();
  void replacing(const ZoneIndexPtr& index, const Name& apex, const ZonePtr& after);

  boost::asio::steady_timer timer_;
  boost::asio::steady_timer resign_timer_;
  storage::SigningPolicy signing_;
  // Signed zones: when each next has a signature due, in seconds since 1970.
  std::map<Name, std::int64_t, CanonicalLess> renew_at_;
  std::atomic<std::uint64_t> signatures_made_{0};
  std::atomic<std::uint64_t> signatures_reused_{0};
  // The next key event of each zone that has one (a key published, starting or stopping to
  // sign, removed: RFC 7583 §3.3), in seconds since 1970: the zone is built anew then.
  std::map<Name, std::int64_t, CanonicalLess> key_events_;
  bool resign_armed_ = false;  // started and not stopped
  void note_key_event(const Name& apex, const storage::ZoneDnssec* dnssec, std::int64_t now_s);
  std::unique_ptr<storage::Database> db_;
  SnapshotStore& store_;
  std::int64_t seen_;
  std::int64_t data_version_ = -1;  // SQLite's PRAGMA data_version at the last read
  std::chrono::milliseconds interval_;
  std::optional<storage::CatalogState> catalog_;  // in the published index; none = unknown
  std::chrono::steady_clock::time_point active_until_{};
  DatabaseWatch watch_;
  OnChange on_change_;
  OnSettingsChange on_settings_change_;
  OnReplacing on_replacing_;
  DurationHistogram apply_seconds_{kDurationBoundsNs, kNanosecondsPerSecond};
  std::atomic<std::int64_t> last_applied_ms_{0};
  BeforePoll before_poll_;
  OnReadError on_read_error_;
  std::deque<Name> queue_;
  std::map<Name, bool, CanonicalLess> queued_;  // apex -> announce
  // Zones in the batch the signing thread has, each with the token of its build: a zone
  // rebuilt another way meanwhile is erased, and its background result dropped.
  std::map<Name, std::uint64_t, CanonicalLess> in_flight_;
  std::uint64_t next_token_ = 0;
  bool batch_running_ = false;
  // Expires with the follower: a batch finished after it is not handed back.
  std::shared_ptr<const bool> alive_ = std::make_shared<const bool>(true);
  std::unique_ptr<SigningThread> signing_thread_;  // last: joined before the rest goes
};

}  // namespace apex::server
