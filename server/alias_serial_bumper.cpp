// Serial bumps for changed flattened addresses (see alias_serial_bumper.hpp).
#include "server/alias_serial_bumper.hpp"

#include "server/log.hpp"
#include "storage/serial_bump.hpp"

namespace apex::server {
namespace {

// How often the published ALIAS results are compared with what each zone served before.
constexpr std::chrono::milliseconds kCheckEvery{250};

}  // namespace

AliasSerialBumper::AliasSerialBumper(boost::asio::io_context& io,
                                     std::unique_ptr<storage::Database> db,
                                     std::chrono::seconds interval, Probe probe)
    : timer_(io), db_(std::move(db)), interval_(interval), probe_(std::move(probe)) {}

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
  for (Name& apex : probe_()) waiting_.insert(std::move(apex));
  if (!waiting_.empty()) bump_due(Clock::now());
}

void AliasSerialBumper::bump_due(Clock::time_point now) {
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    auto last = last_bump_.find(*it);
    if (last != last_bump_.end() && now - last->second < interval_) {
      ++it;  // damped: bumped again once the interval has passed
      continue;
    }
    auto bumped = storage::bump_zone_serial(*db_, *it, "apexd", "alias addresses");
    if (!bumped) {
      if (!failing_) log_error("serial of " + it->to_text() + " not raised: " + bumped.error());
      failing_ = true;
      return;  // kept waiting: tried again at the next check
    }
    failing_ = false;
    if (*bumped) {
      ++bumps_;
      log_info("zone " + it->to_text() + ": flattened ALIAS addresses changed, serial " +
               std::to_string((*bumped)->from) + " -> " + std::to_string((*bumped)->to));
    }
    last_bump_[*it] = now;
    it = waiting_.erase(it);
  }
}

}  // namespace apex::server
