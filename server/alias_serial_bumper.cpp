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

// One transaction for every zone due (a target shared by 10,000 zones is one commit, not
// 10,000); a zone that cannot be bumped (no SOA, say) is logged and let go, the others stay.
void AliasSerialBumper::bump_due(Clock::time_point now) {
  std::vector<Name> due;
  for (const Name& apex : waiting_) {
    auto last = last_bump_.find(apex);
    if (last == last_bump_.end() || now - last->second >= interval_) due.push_back(apex);
  }
  if (due.empty()) return;  // damped: bumped again once the interval has passed
  struct Outcome {
    bool raised = false;
    std::string message;  // empty: the zone was deleted meanwhile
  };
  std::vector<Outcome> done;
  auto committed = db_->transaction([&]() -> Status {
    done.clear();
    for (const Name& apex : due) {
      auto bumped = storage::bump_zone_serial(*db_, apex, "apexd", "alias addresses");
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
    if (!failing_) log_error("zone serials not raised, retrying: " + committed.error());
    failing_ = true;
    return;  // all still waiting: tried again at the next check
  }
  failing_ = false;
  for (std::size_t i = 0; i < due.size(); ++i) {
    if (done[i].raised) {
      log_info(done[i].message);
      ++bumps_;
    } else if (!done[i].message.empty()) {
      log_error(done[i].message);
    }
    last_bump_[due[i]] = now;
    waiting_.erase(due[i]);
  }
}

}  // namespace apex::server
