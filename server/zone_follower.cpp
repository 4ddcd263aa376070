// Change-log polling and per-zone rebuilds; the query path never sees SQLite (ARCHITECTURE.md
// §3.1).
#include "server/zone_follower.hpp"

#include <algorithm>
#include <cstdio>

#include <boost/asio/post.hpp>

#include "server/log.hpp"
#include "server/sqlite_errors.hpp"
#include "storage/dnssec_key_timing.hpp"
#include "storage/serial_bump.hpp"
#include "zones/catalog_zone.hpp"

namespace apex::server {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kActivePoll{1};
constexpr std::chrono::milliseconds kActiveWindow{200};

std::int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string elapsed_ms(Clock::time_point since) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - since).count();
  char text[32];
  std::snprintf(text, sizeof text, "%.2f ms", static_cast<double>(us) / 1000.0);
  return text;
}

}  // namespace

ZoneFollower::ZoneFollower(boost::asio::io_context& io, std::unique_ptr<storage::Database> db,
                           SnapshotStore& store, std::int64_t seen,
                           std::chrono::milliseconds interval)
    : timer_(io),
      resign_timer_(io),
      db_(std::move(db)),
      store_(store),
      seen_(seen),
      interval_(interval),
      watch_(io),
      last_applied_ms_(unix_ms()) {}  // the store holds the index just loaded

void ZoneFollower::restart(std::int64_t seen, storage::CatalogState catalog) {
  seen_ = seen;
  catalog_ = std::move(catalog);
  data_version_ = -1;
  drop_background();  // the reload built every zone anew
}

void ZoneFollower::set_signing(storage::SigningPolicy policy) {
  signing_ = policy;
}

void ZoneFollower::zones_signed(const std::vector<storage::SignedZone>& zones) {
  renew_at_.clear();
  key_events_.clear();
  const std::int64_t now_s = unix_ms() / 1000;
  // A zone without signatures (none can be: every signed zone has its DNSKEY RRset signed)
  // is looked at again after refresh_s. A zone whose load renewed signatures (apexd was
  // down while they fell due) is due at once: its serial must move so that secondaries
  // transfer them (RFC 1996 §4.7); its rebuild then signs only the new SOA.
  for (const auto& zone : zones) {
    renew_at_[zone.apex] =
        zone.renewed ? now_s : zone.renew_at_s.value_or(now_s + signing_.refresh_s);
    if (!db_) continue;
    auto dnssec = db_->zone_dnssec(zone.apex);
    if (dnssec && *dnssec) note_key_event(zone.apex, &**dnssec, now_s);
  }
}

void ZoneFollower::note_key_event(const Name& apex, const storage::ZoneDnssec* dnssec,
                                  std::int64_t now_s) {
  auto next = dnssec != nullptr ? storage::next_key_event(*dnssec, now_s) : std::nullopt;
  if (!next) {
    key_events_.erase(apex);
    return;
  }
  key_events_[apex] = *next;
  // A running timer that would wake after this event is set anew (arm_resign replaces it).
  const auto until = std::chrono::milliseconds(*next * 1000 - unix_ms());
  if (resign_armed_ && Clock::now() + until < resign_timer_.expiry()) arm_resign();
}

void ZoneFollower::aliases_changed(const std::vector<Name>& apexes) {
  if (!db_) return;  // being reopened: the reload flattens everything
  if (signing_thread_) {
    std::size_t queued = 0;
    for (const Name& apex : apexes)
      if (renew_at_.contains(apex)) {
        enqueue(apex, false, false);
        ++queued;
      }
    if (queued == 0) return;
    log_info("signing " + std::to_string(queued) +
             " zone(s) anew in the background for changed ALIAS addresses");
    feed();
    return;
  }
  ZoneIndexPtr index = store_.current();
  std::size_t rebuilt = 0;
  for (const Name& apex : apexes) {
    if (!renew_at_.contains(apex)) continue;  // not signed
    auto records = db_->zone_records(apex);
    if (!records || !*records) continue;  // unreadable or deleted: the next poll says so
    std::string note;
    auto zone = build(apex, std::move(**records), note);
    if (!zone) {
      log_error("zone " + apex.to_text() + ": new ALIAS addresses not signed, the previous " +
                "ones keep serving: " + zone.error());
      continue;
    }
    replacing(index, apex, *zone);
    index = index->with_zone(std::move(*zone));
    ++rebuilt;
  }
  if (rebuilt == 0) return;
  store_.publish(index);
  log_info("signed " + std::to_string(rebuilt) + " zone(s) anew for changed ALIAS addresses");
}

void ZoneFollower::start() {
  if (auto ok = watch_.start(db_->path(), [this] { wake(); }); !ok)
    log_warning("live apply polls the database every " + std::to_string(interval_.count()) +
                " ms: " + ok.error());
  arm(interval_);
  arm_resign();
}

void ZoneFollower::stop() {
  resign_armed_ = false;
  timer_.cancel();
  resign_timer_.cancel();
  watch_.stop();
}

void ZoneFollower::wake() {
  active_until_ = Clock::now() + kActiveWindow;
  poll();
  arm(kActivePoll);  // replaces the pending wait (its handler sees operation_aborted)
}

void ZoneFollower::arm(std::chrono::milliseconds delay) {
  timer_.expires_after(delay);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    poll();
    arm(Clock::now() < active_until_ ? kActivePoll : interval_);
  });
}

void ZoneFollower::arm_resign() {
  constexpr std::int64_t kLongestWait = 10;
  std::int64_t wait_ms = kLongestWait * 1000;
  const std::int64_t now_ms = unix_ms();
  for (const auto& [apex, at] : renew_at_) wait_ms = std::min(wait_ms, at * 1000 - now_ms);
  wait_ms = std::max<std::int64_t>(wait_ms, 1000);
  // A key event is due once the clock's second reaches it: wake just after that second.
  for (const auto& [apex, at] : key_events_)
    wait_ms = std::clamp<std::int64_t>(at * 1000 + 5 - now_ms, 5, wait_ms);
  resign_timer_.expires_after(std::chrono::milliseconds(wait_ms));
  resign_armed_ = true;
  resign_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    resign_due();
    arm_resign();
  });
}

void ZoneFollower::resign_due() {
  if (!db_) return;  // being reopened: the reload signs what is due
  const std::int64_t now_s = unix_ms() / 1000;
  std::set<Name, CanonicalLess> due;
  for (const auto& [apex, at] : renew_at_)
    if (at <= now_s) due.insert(apex);
  std::size_t key_events = 0;
  for (const auto& [apex, at] : key_events_)
    if (at <= now_s && due.insert(apex).second) ++key_events;
  if (due.empty()) return;
  log_info("signing " + std::to_string(due.size()) + " zone(s) anew (" +
           std::to_string(key_events) + " for a key event): signatures due for renewal");
  // Secondaries transfer only a zone whose serial went up (RFC 1996 §4.7), so new signatures
  // move the serial like any change; its change-log entry brings the zone back through
  // poll(), which signs what is due and reuses the rest, and the usual NOTIFY follows.
  std::set<Name, CanonicalLess> unbumped;
  for (const Name& apex : due) {
    auto bumped = storage::bump_zone_serial(*db_, apex, storage::kServerActor, "re-sign", {}, {});
    key_events_.erase(apex);  // the rebuild notes the next one
    if (bumped && *bumped) continue;
    if (!bumped)
      log_warning("zone " + apex.to_text() + ": serial not raised for its new signatures (" +
                  bumped.error() + "); secondaries keep the old ones");
    unbumped.insert(apex);
  }
  if (!unbumped.empty()) publish(unbumped);
  // PRAGMA data_version does not move for this connection's own writes: the bumps must not
  // be taken for "nothing committed" by the poll that follows.
  data_version_ = -1;
  wake();
  // A zone still due could not be rebuilt (its data is refused, or the database failed): it
  // is tried again after a tenth of refresh_s rather than at every wake-up.
  const std::int64_t retry = std::max<std::int64_t>(signing_.refresh_s / 10, 1);
  for (const Name& apex : due) {
    auto at = renew_at_.find(apex);
    if (at != renew_at_.end() && at->second <= now_s) at->second = now_s + retry;
  }
}

Result<ZonePtr> ZoneFollower::build(const Name& apex, std::vector<Record> records,
                                    std::string& note) {
  in_flight_.erase(apex);
  auto build =
      read_zone_build(*db_, apex, std::move(records), store_.snapshot().aliases, unix_ms() / 1000);
  if (!build) return Error{build.error()};
  build->run(signing_);
  return finish(*build, note);
}

Result<ZonePtr> ZoneFollower::finish(ZoneBuild& build, std::string& note) {
  const Name& apex = build.apex;
  const std::int64_t now_s = build.now_s;
  const storage::ZoneDnssec* keys = build.dnssec ? &*build.dnssec : nullptr;
  if (!build.signs()) {
    renew_at_.erase(apex);
    if (build.zone) note_key_event(apex, keys, now_s);
    return std::move(build.zone);
  }
  if (!build.zone) return std::move(build.zone);
  note_key_event(apex, keys, now_s);
  const SigningReport& report = build.report;
  signatures_made_.fetch_add(report.made, std::memory_order_relaxed);
  signatures_reused_.fetch_add(report.reused, std::memory_order_relaxed);
  renew_at_[apex] =
      storage::renewal_due(report, signing_, now_s).value_or(now_s + signing_.refresh_s);
  note = ", signed: " + std::to_string(report.made) + " signature(s) made, " +
         std::to_string(report.reused) + " reused";
  store_signatures(apex, build.stored, report);
  return std::move(build.zone);
}

void ZoneFollower::store_signatures(const Name& apex, const ZoneSignatures& previous,
                                    const SigningReport& report) {
  if (report.made == 0 && report.signatures.size() == previous.size()) return;
  if (db_->read_only()) return;  // said once at start (server.cpp)
  auto saved = db_->save_zone_signatures(apex, previous, report.signatures);
  if (!saved)
    log_warning("zone " + apex.to_text() +
                ": new signatures not stored (signed again at the next start): " + saved.error());
}

void ZoneFollower::poll() {
  if (before_poll_ && before_poll_()) return;
  if (!db_) return;
  // Nothing was committed since the last poll: skip reading the change log.
  auto version = db_->data_version();
  if (version && *version == data_version_) return;
  auto changes = db_->changes_since(seen_);
  if (!changes) {
    count_sqlite_error();
    if (on_read_error_)
      on_read_error_(changes.error());
    else
      log_warning("change log: " + changes.error());
    return;
  }
  if (version) data_version_ = *version;
  if (changes->empty()) return;
  auto started = Clock::now();
  std::set<Name, CanonicalLess> zones;
  std::set<Name, CanonicalLess> urgent;  // changed by an operator, not by apexd itself
  std::size_t settings_changes = 0;
  for (const auto& change : *changes) {
    if (change.entry.zone) {
      zones.insert(*change.entry.zone);
      // Rebuilding the zones apexd changed itself waits behind operators' changes.
      if (change.entry.actor != storage::kServerActor) urgent.insert(*change.entry.zone);
    } else {
      ++settings_changes;
    }
    seen_ = std::max(seen_, change.id);
  }
  publish(zones, urgent);
  apply_seconds_.record(static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - started).count()));
  if (!zones.empty()) {
    log_info("applied " + std::to_string(changes->size() - settings_changes) + " change(s) to " +
             std::to_string(zones.size()) + " zone(s) in " + elapsed_ms(started));
  }
  // Keeps the WAL copied into the database file while nothing writes, so that a file copied
  // over the live one then is read as it is rather than mixed with WAL pages of the old one.
  if (auto copied = db_->checkpoint(); !copied) log_debug("checkpoint: " + copied.error());
  if (settings_changes == 0) return;
  log_info("transfer settings changed (" + std::to_string(settings_changes) + " change(s))");
  if (on_settings_change_) on_settings_change_(*db_);
}

void ZoneFollower::publish(const std::set<Name, CanonicalLess>& zones,
                           const std::set<Name, CanonicalLess>& urgent) {
  std::vector<Name> catalog;
  // The catalog first: a stored zone created in this poll under the name of a catalog just
  // unset must not go with the old catalog.
  const ZoneIndexPtr current = store_.current();
  ZoneIndexPtr index = refresh_catalog(current, catalog);
  std::vector<Name> changed;
  for (const auto& apex : zones) {
    if (signing_thread_ && renew_at_.contains(apex)) {
      enqueue(apex, urgent.contains(apex), true);
      continue;
    }
    index = rebuild(std::move(index), apex);
    changed.push_back(apex);
  }
  changed.insert(changed.end(), catalog.begin(), catalog.end());
  if (!changed.empty() || index != current) publish_index(index, changed);
  feed();  // after: it may publish an index of its own
}

void ZoneFollower::publish_index(const ZoneIndexPtr& index, const std::vector<Name>& changed) {
  store_.publish(index);
  last_applied_ms_.store(unix_ms(), std::memory_order_relaxed);
  if (on_change_ && !changed.empty()) on_change_(index, changed, *db_);
}

void ZoneFollower::sign_in_background() {
  if (!signing_thread_) signing_thread_ = std::make_unique<SigningThread>();
}

void ZoneFollower::enqueue(const Name& apex, bool urgent, bool announce) {
  auto [at, added] = queued_.emplace(apex, announce);
  if (!added) {
    at->second = at->second || announce;
    if (!urgent) return;
    std::erase(queue_, apex);  // moves to the front
  }
  if (urgent)
    queue_.push_front(apex);
  else
    queue_.push_back(apex);
}

void ZoneFollower::feed() {
  if (batch_running_ || queue_.empty() || !db_) return;
  // A batch is the unit published at once: small enough that the first zones serve their
  // new data soon after the change, large enough that one transaction and one index
  // publication serve many zones.
  constexpr std::size_t kBatchZones = 256;
  auto batch = std::make_shared<std::vector<BackgroundBuild>>();
  std::set<Name, CanonicalLess> now;  // removed or unreadable: the usual path says so
  const AliasTablePtr aliases = store_.snapshot().aliases;
  const std::int64_t now_s = unix_ms() / 1000;
  // The batch's reads in one read transaction: one lock of the database file, not three
  // a zone.
  const auto read = [&]() -> Status {
    while (!queue_.empty() && batch->size() < kBatchZones) {
      const Name apex = std::move(queue_.front());
      queue_.pop_front();
      const bool announce = queued_.at(apex);
      queued_.erase(apex);
      auto records = db_->zone_records(apex);
      if (!records || !*records) {
        now.insert(apex);
        continue;
      }
      auto build = read_zone_build(*db_, apex, std::move(**records), aliases, now_s);
      if (!build) {
        log_error("zone " + apex.to_text() +
                  " not reloaded, the previous data keeps serving: " + build.error());
        continue;
      }
      in_flight_[apex] = ++next_token_;
      batch->push_back({std::move(*build), next_token_, announce});
    }
    return Ok{};
  };
  if (auto done = db_->read_transaction(read); !done) {
    log_debug("background rebuilds read without a transaction: " + done.error());
    static_cast<void>(read());  // what the transaction did not cover (reads fail alone)
  }
  if (!batch->empty()) {
    batch_running_ = true;
    signing_thread_->run([batch, policy = signing_, executor = timer_.get_executor(),
                          alive = std::weak_ptr<const bool>(alive_), this] {
      for (BackgroundBuild& b : *batch) b.build.run(policy);
      boost::asio::post(executor, [batch, alive, this] {
        if (alive.lock()) finish_batch(*batch);
      });
    });
  }
  // After the batch is given out: what publishing tells (on_change_) may queue zones again.
  if (!now.empty()) {
    ZoneIndexPtr index = store_.current();
    for (const Name& apex : now) index = rebuild(std::move(index), apex);
    publish_index(index, std::vector<Name>(now.begin(), now.end()));
  }
  if (batch->empty()) feed();
}

void ZoneFollower::finish_batch(std::vector<BackgroundBuild>& batch) {
  batch_running_ = false;
  if (!db_) return;  // being reopened: the reload builds every zone anew
  BatchOutcome outcome{store_.current(), {}, {}};
  const ZoneIndexPtr before = outcome.index;
  // One transaction for the batch's signatures and IXFR steps: a commit per zone would cost
  // a sync each. A zone whose rows fail is rolled back alone (its own savepoint).
  bool ran = false;
  const auto finish_all = [&]() -> Status {
    ran = true;
    for (BackgroundBuild& done : batch) finish_background(done, outcome);
    return Ok{};
  };
  auto stored = db_->transaction(finish_all);
  if (!ran) static_cast<void>(finish_all());  // no transaction: each write commits alone
  if (!stored && !db_->read_only())
    log_warning("signatures and IXFR steps of " + std::to_string(batch.size()) +
                " zone(s) not stored: " + stored.error());
  if (outcome.index != before) publish_index(outcome.index, outcome.announced);
  // Once served, not before: a reader of the log may ask for what it says.
  for (const std::string& line : outcome.reloaded) log_info(line);
  feed();
}

void ZoneFollower::finish_background(BackgroundBuild& done, BatchOutcome& outcome) {
  const Name& apex = done.build.apex;
  auto flight = in_flight_.find(apex);
  if (flight == in_flight_.end() || flight->second != done.token) return;  // rebuilt since
  in_flight_.erase(flight);
  std::string note;
  auto zone = finish(done.build, note);
  if (!zone) {
    log_error("zone " + apex.to_text() +
              " not reloaded, the previous data keeps serving: " + zone.error());
    return;
  }
  outcome.reloaded.push_back("zone " + apex.to_text() + " reloaded in the background: serial " +
                             std::to_string((*zone)->serial()) + ", " +
                             std::to_string((*zone)->record_count()) + " records" + note);
  replacing(outcome.index, apex, *zone);
  if (done.announce) outcome.announced.push_back(apex);
  outcome.index = outcome.index->with_zone(std::move(*zone));
}

void ZoneFollower::drop_background() {
  queue_.clear();
  queued_.clear();
  in_flight_.clear();  // a batch still running is dropped when it comes back
}

ZoneIndexPtr ZoneFollower::refresh_catalog(ZoneIndexPtr index, std::vector<Name>& changed) {
  // One row read per poll: the member list is read only when the serial or name moved.
  auto state = db_->catalog_state();
  if (!state) {
    count_sqlite_error();
    log_error("catalog not reloaded: " + state.error());
    return index;
  }
  if (catalog_ == *state) return index;
  if (!state->name && (!catalog_ || !catalog_->name)) {
    catalog_ = *state;  // none set, none published: the serial moved without a catalog
    return index;
  }
  auto catalog = db_->catalog();
  if (!catalog) {
    count_sqlite_error();
    log_error("catalog not reloaded: " + catalog.error());
    return index;
  }
  if (catalog_ && catalog_->name && catalog_->name != catalog->state.name) {
    log_info("catalog " + catalog_->name->to_text() + " removed");
    index = index->without_zone(*catalog_->name);
  }
  catalog_ = catalog->state;
  if (!catalog->state.name) return index;
  const Name& apex = *catalog->state.name;
  auto zone = build_catalog_zone(apex, catalog->state.serial, catalog->members);
  if (!zone) {
    log_error("catalog " + apex.to_text() + " not rebuilt: " + zone.error());
    return index;
  }
  log_info("catalog " + apex.to_text() + " rebuilt: serial " +
           std::to_string(catalog->state.serial) + ", " + std::to_string(catalog->members.size()) +
           " member zones");
  changed.push_back(apex);
  return index->with_zone(std::move(*zone));
}

ZoneIndexPtr ZoneFollower::rebuild(ZoneIndexPtr index, const Name& apex) {
  auto records = db_->zone_records(apex);
  if (!records) {
    count_sqlite_error();
    log_error("zone " + apex.to_text() + " not reloaded: " + records.error());
    return index;
  }
  if (!*records) {
    log_info("zone " + apex.to_text() + " removed");
    renew_at_.erase(apex);
    replacing(index, apex, nullptr);
    key_events_.erase(apex);
    return index->without_zone(apex);
  }
  std::string note;
  auto zone = build(apex, std::move(**records), note);
  if (!zone) {
    log_error("zone " + apex.to_text() +
              " not reloaded, the previous data keeps serving: " + zone.error());
    return index;
  }
  log_info("zone " + apex.to_text() + " reloaded: serial " + std::to_string((*zone)->serial()) +
           ", " + std::to_string((*zone)->record_count()) + " records" + note);
  replacing(index, apex, *zone);
  return index->with_zone(std::move(*zone));
}

void ZoneFollower::replacing(const ZoneIndexPtr& index, const Name& apex, const ZonePtr& after) {
  if (on_replacing_)
    on_replacing_(apex, index->share_exact(apex.lowercased().wire_view()), after, *db_);
}

Result<std::uint32_t> ZoneFollower::reload_zone(const Name& apex) {
  auto records = db_->zone_records(apex);
  if (!records) return Error{records.error()};
  if (!*records) return Error{"zone " + apex.to_text() + " is not in the database"};
  std::string note;
  auto zone = build(apex, std::move(**records), note);
  if (!zone)
    return Error{"zone " + apex.to_text() +
                 " not reloaded, the previous data keeps serving: " + zone.error()};
  const std::uint32_t serial = (*zone)->serial();
  log_info("zone " + apex.to_text() + " reloaded as asked on the control socket: serial " +
           std::to_string(serial) + ", " + std::to_string((*zone)->record_count()) + " records" +
           note);
  replacing(store_.current(), apex, *zone);
  ZoneIndexPtr index = store_.current()->with_zone(std::move(*zone));
  store_.publish(index);
  if (on_change_) on_change_(index, {apex}, *db_);
  return serial;
}

}  // namespace apex::server
