// Serial bumps for changed flattened addresses (see alias_serial_bumper.hpp).
#include "server/alias_serial_bumper.hpp"

#include "server/log.hpp"
#include "server/sqlite_errors.hpp"
#include "storage/serial_bump.hpp"

namespace apex::server {
namespace {

// How often the published ALIAS results are compared with what each zone served before.
constexpr std::chrono::milliseconds kCheckEvery{250};

}  // namespace

AliasSerialBumper::AliasSerialBumper(boost::asio::io_context& io,
                                     std::unique_ptr<storage::Database> db,
                                     std::chrono::seconds interval, storage::JournalLimits limits,
                                     Probe probe, Served served)
    : timer_(io),
      db_(std::move(db)),
      interval_(interval),
      limits_(limits),
      probe_(std::move(probe)),
      served_(std::move(served)) {}

void AliasSerialBumper::start() {
  if (stopped_) return;
  timer_.expires_after(kCheckEvery);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    tick();
    start();
  });
}

void AliasSerialBumper::stop() {
  stopped_ = true;
  timer_.cancel();
}

void AliasSerialBumper::tick() {
  // A zone already waiting keeps its earlier "before": the serial has not moved since.
  for (ServedChange& change : probe_())
    waiting_.emplace(change.apex, Waiting{std::move(change.before), change.is_signed});
  if (waiting_.empty()) return;
  if (!db_ || db_->read_only()) {
    std::vector<Name> all;
    for (const auto& [apex, waiting] : waiting_) all.push_back(apex);
    rebuild_signed(all);
  }
  if (!db_) return;
  if (db_->read_only()) {
    // Answers follow the new addresses regardless; only the secondaries cannot be told.
    if (!read_only_warned_)
      log_warning(
          "zone serials not raised for changed flattened ALIAS addresses: the database "
          "is read-only for apexd (secondaries keep the addresses of their serial; "
          "logged once)");
    read_only_warned_ = true;
    waiting_.clear();
    return;
  }
  bump_due(Clock::now());
}

// One transaction for every zone due (a target shared by 10,000 zones is one commit, not
// 10,000); a zone that cannot be bumped (no SOA, say) is logged and let go, the others stay.
void AliasSerialBumper::bump_due(Clock::time_point now) {
  std::vector<Name> due;
  std::vector<storage::ServedDifference> differences;
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    const Waiting& waiting = it->second;
    auto last = last_bump_.find(it->first);
    if (!waiting.is_signed && last != last_bump_.end() && now - last->second < interval_) {
      ++it;  // damped: bumped once the interval has passed
      continue;
    }
    const ServedAddresses after = served_(it->first);
    // Flapped back: secondaries hold the same. Signed, a TTL counts too (it is signed).
    if (waiting.is_signed ? waiting.before == after : same_addresses(waiting.before, after)) {
      it = waiting_.erase(it);
      continue;
    }
    due.push_back(it->first);
    differences.push_back(
        {missing_from(waiting.before, after), missing_from(after, waiting.before)});
    ++it;
  }
  if (due.empty()) return;
  struct Outcome {
    bool raised = false;
    std::string message;  // empty: the zone was deleted meanwhile
  };
  std::vector<Outcome> done;
  auto committed = db_->transaction([&]() -> Status {
    done.clear();
    for (std::size_t i = 0; i < due.size(); ++i) {
      const Name& apex = due[i];
      auto bumped = storage::bump_zone_serial(*db_, apex, storage::kServerActor, "alias addresses",
                                              differences[i], limits_);
      if (!bumped)
        done.push_back({false, "serial of " + apex.to_text() + " not raised: " + bumped.error()});
      else if (*bumped)
        done.push_back(
            {true, "zone " + apex.to_text() + ": flattened ALIAS addresses changed, serial " +
                       std::to_string((*bumped)->from) + " -> " + std::to_string((*bumped)->to)});
      else
        done.emplace_back();
    }
    return Ok{};
  });
  if (!committed) {
    count_sqlite_error();
    if (!failing_) {
      log_error("zone serials not raised, retrying: " + committed.error());
      rebuild_signed(due);
    }
    failing_ = true;
    return;  // all still waiting: tried again at the next check
  }
  failing_ = false;
  std::vector<Name> not_raised;
  for (std::size_t i = 0; i < due.size(); ++i) {
    if (!done[i].raised) not_raised.push_back(due[i]);
    if (done[i].raised) {
      log_info(done[i].message);
      ++bumps_;
    } else if (!done[i].message.empty()) {
      count_sqlite_error();
      log_error(done[i].message);
    }
    last_bump_[due[i]] = now;
  }
  rebuild_signed(not_raised);
  for (const Name& apex : due) waiting_.erase(apex);
}

void AliasSerialBumper::rebuild_signed(const std::vector<Name>& due) {
  std::vector<Name> rebuild;
  for (const Name& apex : due)
    if (auto it = waiting_.find(apex); it != waiting_.end() && it->second.is_signed)
      rebuild.push_back(apex);
  if (!rebuild.empty() && not_raised_) not_raised_(rebuild);
}

}  // namespace apex::server
