// What a secondary receives is what apexd answers: when the flattened addresses of a zone's
// ALIAS owners change, the zone's serial goes up (stored, so it survives restarts and never
// goes backwards) and the usual path follows: live apply, NOTIFY, IXFR/AXFR. Damped: a zone
// is bumped at most once per interval, so a target whose addresses flap on every refresh
// cannot storm the secondaries; apexd's own answers follow at once regardless.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "server/served_addresses.hpp"
#include "storage/database.hpp"
#include "zones/name.hpp"

namespace apex::server {

class AliasSerialBumper {
 public:
  // Which zones now serve other flattened addresses than at the last call, and what they
  // served before; and what a zone serves now (as of the last probe).
  using Probe = std::function<std::vector<ServedChange>()>;
  using Served = std::function<ServedAddresses(const Name&)>;

  // The zone's version steps go into its journal within limits.
  AliasSerialBumper(boost::asio::io_context& io, std::unique_ptr<storage::Database> db,
                    std::chrono::seconds interval, storage::JournalLimits limits, Probe probe,
                    Served served);
  // Told which signed zones' serials could not be raised for their new addresses (a
  // read-only database, a failed write): their snapshots are to be rebuilt at the same
  // serial, so that answers follow all the same.
  using NotRaised = std::function<void(const std::vector<Name>&)>;
  void on_not_raised(NotRaised callback) { not_raised_ = std::move(callback); }
  void start();
  void stop();

  std::uint64_t bumps() const { return bumps_; }
  // Swaps the connection (none: closed; bumps wait until the next one); see DatabaseReopen.
  void replace_database(std::unique_ptr<storage::Database> db) { db_ = std::move(db); }

 private:
  using Clock = std::chrono::steady_clock;
  void tick();
  void bump_due(Clock::time_point now);
  // Tells not_raised_ about the signed zones among due, and lets them go.
  void rebuild_signed(const std::vector<Name>& due);

  boost::asio::steady_timer timer_;
  std::unique_ptr<storage::Database> db_;
  std::chrono::seconds interval_;
  storage::JournalLimits limits_;
  Probe probe_;
  Served served_;
  std::map<Name, Clock::time_point, CanonicalLess> last_bump_;
  // Changed, bump held back by the interval: with what the zone served at its current serial,
  // which secondaries hold and the journal step starts from. A signed zone is never held
  // back: its new addresses are served only once signed, and apexd signs a zone when its
  // serial moves (the step is journaled as it is published).
  struct Waiting {
    ServedAddresses before;
    bool is_signed = false;
  };
  std::map<Name, Waiting, CanonicalLess> waiting_;
  NotRaised not_raised_;
  std::uint64_t bumps_ = 0;
  bool failing_ = false;
  bool read_only_warned_ = false;
  bool stopped_ = false;
};

}  // namespace apex::server
