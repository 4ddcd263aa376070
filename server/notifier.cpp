// Sending NOTIFY and following up on it (see notifier.hpp).
#include "server/notifier.hpp"

#include <algorithm>

#include "flatten/endpoint_text.hpp"
#include "flatten/wall_clock.hpp"
#include "server/log.hpp"
#include "server/unix_time.hpp"
#include "zones/notify_message.hpp"
#include "zones/tsig_signer.hpp"
#include "zones/tsig_verifier.hpp"

namespace apex::server {
namespace {

namespace asio = boost::asio;
using asio::ip::udp;

// Room for the NOTIFY (question and SOA) and its TSIG.
constexpr std::size_t kNotifyBuffer = 2048;
// How often paced sends are released.
constexpr std::chrono::milliseconds kTick{10};

// The TSIG key the secondary at `to` signs with for zone apex, or null.
const TsigKey* signing_key(const TransferAccess& access, const Name& apex,
                           const udp::endpoint& to) {
  for (const auto& t : access.notify_targets(apex.lowercased()))
    if (t.to == to) return t.key;
  return nullptr;
}

std::string key_of(const udp::endpoint& to, const Name& apex) {
  return flatten::endpoint_text(to) + " " + apex.lowercased().to_text();
}

}  // namespace

Notifier::Notifier(asio::io_context& io, const SnapshotStore& store, NotifySettings settings,
                   SecondaryEvents& events)
    : store_(store),
      settings_(settings),
      events_(events),
      v4_(io),
      v6_(io),
      timer_(io),
      buffer_(kNotifyBuffer) {}

Status Notifier::start() {
  boost::system::error_code ec;
  v4_.socket.open(udp::v4(), ec);
  if (!ec) v4_.socket.bind(udp::endpoint(udp::v4(), 0), ec);
  if (ec) return Error{"NOTIFY socket (IPv4): " + ec.message()};
  receive(v4_);
  // IPv6 may be absent from the machine: then only IPv4 secondaries are notified.
  v6_.socket.open(udp::v6(), ec);
  if (!ec) v6_.socket.bind(udp::endpoint(udp::v6(), 0), ec);
  if (!ec) receive(v6_);
  return Ok{};
}

void Notifier::stop() {
  stopped_ = true;
  boost::system::error_code ignored;
  timer_.cancel();
  v4_.socket.close(ignored);
  v6_.socket.close(ignored);
}

void Notifier::zones_changed(const ZoneIndexPtr& index, const std::vector<Name>& zones) {
  const TransferAccessPtr access = store_.snapshot().access;
  for (const Name& apex : zones) {
    if (!index->find_exact(apex.lowercased().wire_view())) continue;  // deleted
    for (const auto& target : access->notify_targets(apex.lowercased()))
      enqueue(target.to, apex, Clock::duration::zero());
  }
  arm();
}

void Notifier::all_zones_changed(const ZoneIndexPtr& index) {
  std::vector<Name> apexes;
  index->for_each_zone([&](const Zone& z) { apexes.push_back(z.apex()); });
  zones_changed(index, apexes);
}

void Notifier::secondaries_changed(const ZoneIndexPtr& index, const TransferAccess& before) {
  const TransferAccessPtr access = store_.snapshot().access;
  std::size_t sent = 0;
  index->for_each_zone([&](const Zone& z) {
    for (const auto& target : access->new_notify_targets(before, z.apex().lowercased())) {
      enqueue(target.to, z.apex(), Clock::duration::zero());
      ++sent;
    }
  });
  if (sent > 0) log_info("NOTIFY of " + std::to_string(sent) + " zone(s) to new secondaries");
  arm();
}

// A change while a NOTIFY for the zone is still unanswered restarts it: the secondary is
// told the newest serial, with a full set of retries.
void Notifier::enqueue(const udp::endpoint& to, const Name& apex, Clock::duration delay) {
  const TaskKey key = key_of(to, apex);
  auto [it, fresh] = tasks_.try_emplace(key);
  if (fresh) {
    it->second.to = to;
    it->second.apex = apex;
  }
  Task& task = it->second;
  if (!fresh) {
    task.sends = 0;
    if (task.waiting) return;  // sent once a place frees up, with the newest serial
    unschedule(key, task);
  }
  // Jitter within one tick spreads bulk changes over the tick rather than its first moment.
  std::uniform_int_distribution<int> jitter(0, static_cast<int>(kTick.count()) * 1000);
  task.due = Clock::now() + delay + std::chrono::microseconds(jitter(random_));
  schedule_.emplace(task.due, key);
}

void Notifier::unschedule(const TaskKey& key, const Task& task) {
  auto [first, last] = schedule_.equal_range(task.due);
  for (auto s = first; s != last; ++s)
    if (s->second == key) {
      schedule_.erase(s);
      return;
    }
}

void Notifier::arm() {
  if (armed_ || stopped_ || schedule_.empty()) return;
  armed_ = true;
  timer_.expires_after(kTick);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    armed_ = false;
    if (!ec) tick();
  });
}

// Sends what is due, at most rate per second: a token bucket refilled by the time that
// passed (a late timer does not lose sends), holding at most two ticks' worth so an idle
// spell does not turn into a burst.
void Notifier::tick() {
  const auto now = Clock::now();
  const double per_second = settings_.rate;
  const double elapsed = std::chrono::duration<double>(now - refilled_).count();
  credit_ = std::min(credit_ + elapsed * per_second,
                     std::max(1.0, per_second * 2 * std::chrono::duration<double>(kTick).count()));
  refilled_ = now;
  while (credit_ >= 1 && !schedule_.empty() && schedule_.begin()->first <= now) {
    const TaskKey key = schedule_.begin()->second;
    schedule_.erase(schedule_.begin());
    auto it = tasks_.find(key);
    if (it == tasks_.end()) continue;
    Task& task = it->second;
    if (task.sends > settings_.retries) {
      log_warning("NOTIFY of " + task.apex.to_text() + " to " + flatten::endpoint_text(task.to) +
                  " not acknowledged after " + std::to_string(task.sends) + " sends");
      ++counters_.given_up;
      erase(it);
      continue;
    }
    if (!task.counted) {
      Outstanding& o = outstanding_[task.to];
      if (o.unacknowledged >= settings_.max_unacknowledged) {
        task.waiting = true;  // scheduled again when an answer frees a place
        o.waiting.push_back(key);
        continue;
      }
      ++o.unacknowledged;
      task.counted = true;
    }
    credit_ -= 1;
    send(task);
    if (tasks_.count(key) == 0) continue;  // dropped while sending
    task.due = now + settings_.timeout * (1u << std::min(task.sends - 1, 10u));
    schedule_.emplace(task.due, key);
  }
  arm();
}

void Notifier::release(Task& task) {
  if (!task.counted) return;
  task.counted = false;
  auto o = outstanding_.find(task.to);
  if (o == outstanding_.end()) return;
  --o->second.unacknowledged;
  while (!o->second.waiting.empty()) {
    const TaskKey next = std::move(o->second.waiting.front());
    o->second.waiting.pop_front();
    auto it = tasks_.find(next);
    if (it == tasks_.end() || !it->second.waiting) continue;
    it->second.waiting = false;
    it->second.due = Clock::now();
    schedule_.emplace(it->second.due, next);
    arm();
    return;
  }
  if (o->second.unacknowledged == 0) outstanding_.erase(o);
}

void Notifier::erase(std::map<TaskKey, Task>::iterator it) {
  Task& task = it->second;
  release(task);
  if (task.sends > 0) in_flight_.erase({flatten::endpoint_text(task.to), task.id});
  unschedule(it->first, task);
  tasks_.erase(it);
}

void Notifier::send(Task& task) {
  const Snapshot snapshot = store_.snapshot();
  const Zone* zone = snapshot.zones->find_exact(task.apex.lowercased().wire_view());
  const TaskKey key = key_of(task.to, task.apex);
  if (!zone) {  // deleted since: nothing to announce
    erase(tasks_.find(key));
    return;
  }
  in_flight_.erase({flatten::endpoint_text(task.to), task.id});
  task.id = static_cast<std::uint16_t>(random_());
  std::size_t n = write_notify(buffer_, task.id, *zone);
  if (const TsigKey* tsig = signing_key(*snapshot.access, task.apex, task.to)) {
    SignedRequest request = sign_request(buffer_, n, *tsig, unix_seconds());
    n = request.length;
    task.request_mac = std::move(request.mac);
  } else {
    task.request_mac.clear();
  }
  ++task.sends;
  if (n == 0) return;
  boost::system::error_code ec;
  Channel& channel = task.to.address().is_v6() ? v6_ : v4_;
  channel.socket.send_to(asio::buffer(buffer_.data(), n), task.to, 0, ec);
  if (ec) {
    log_debug("NOTIFY to " + flatten::endpoint_text(task.to) + ": " + ec.message());
    return;
  }
  ++counters_.sent;
  in_flight_[{flatten::endpoint_text(task.to), task.id}] = key;
  events_.add(storage::notify_sent(task.to.address().to_string(), task.to.port(), task.apex,
                                   zone->serial(), flatten::system_now_ms()));
}

void Notifier::receive(Channel& channel) {
  channel.socket.async_receive_from(
      asio::buffer(channel.buffer), channel.from,
      [this, &channel](const boost::system::error_code& ec, std::size_t n) {
        if (ec == asio::error::operation_aborted || stopped_) return;
        if (!ec) answered(channel.from, {channel.buffer.data(), n});
        receive(channel);
      });
}

// RFC 1996 §4.7: the answer must come from where the NOTIFY went, with its ID and question;
// a signed NOTIFY's answer must carry a TSIG that verifies with the same key.
void Notifier::answered(const udp::endpoint& from, std::span<const std::uint8_t> packet) {
  if (packet.size() < 2) return;
  const std::uint16_t id = static_cast<std::uint16_t>(packet[0] << 8 | packet[1]);
  auto flight = in_flight_.find({flatten::endpoint_text(from), id});
  if (flight == in_flight_.end()) return;
  auto it = tasks_.find(flight->second);
  if (it == tasks_.end()) return;
  Task& task = it->second;
  const NotifyReply reply = classify_notify_reply(packet, id, task.apex);
  if (reply == NotifyReply::kNotAReply) return;
  if (!task.request_mac.empty()) {
    const Snapshot snapshot = store_.snapshot();  // holds the keyring the key lives in
    const TsigKey* key = signing_key(*snapshot.access, task.apex, task.to);
    if (!key || !verify_response(packet, *key, task.request_mac, unix_seconds()).valid()) return;
  }
  if (reply == NotifyReply::kAcknowledged) {
    ++counters_.acknowledged;
    events_.add(storage::notify_acknowledged(from.address().to_string(), from.port(), task.apex,
                                             flatten::system_now_ms()));
    log_debug("NOTIFY of " + task.apex.to_text() + " acknowledged by " +
              flatten::endpoint_text(from));
  } else {
    ++counters_.refused;
    log_warning("NOTIFY of " + task.apex.to_text() + " refused by " + flatten::endpoint_text(from));
  }
  erase(it);
}

}  // namespace apex::server
