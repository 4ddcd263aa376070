// NOTIFY (RFC 1996) to the secondaries of every changed zone: sent over UDP, signed with the
// secondary's TSIG key when it has one (RFC 8945 §5.1), retried with doubling intervals until
// acknowledged (RFC 1996 §4.2), only to those that have not answered. Sends are paced (a
// rate cap, with jitter) so a change to 100,000 zones does not leave in one burst, and each
// secondary has at most [notify] max_unacknowledged NOTIFYs unanswered at a time, so a slow
// one is fed at the pace it answers rather than buried in resends. A secondary that is down
// costs the others nothing: nothing waits on its answer.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "server/config.hpp"
#include "server/secondary_events.hpp"
#include "server/snapshot_store.hpp"
#include "zones/name.hpp"
#include "zones/result.hpp"

namespace apex::server {

// Written on the notifier's thread, read by the metrics scraper too.
struct NotifyCounters {
  std::atomic<std::uint64_t> sent{0}, acknowledged{0}, refused{0}, given_up{0};
};

class Notifier {
 public:
  // Each NOTIFY sent and each acknowledgement is added to events.
  Notifier(boost::asio::io_context& io, const SnapshotStore& store, NotifySettings settings,
           SecondaryEvents& events);
  Status start();
  void stop();

  // Announces the current serial of each zone to all of its secondaries (zones absent from
  // the index, deleted ones, are skipped).
  void zones_changed(const ZoneIndexPtr& index, const std::vector<Name>& zones);
  void all_zones_changed(const ZoneIndexPtr& index);
  // After new transfer settings were published: announces every zone of index to each
  // secondary that gets it now and did not, with the same key, under before (added, given
  // the zone, or given another key), and to no other.
  void secondaries_changed(const ZoneIndexPtr& index, const TransferAccess& before);

  const NotifyCounters& counters() const { return counters_; }
  std::size_t pending() const { return tasks_.size(); }

 private:
  using Clock = std::chrono::steady_clock;
  // One zone for one secondary, until acknowledged or given up.
  struct Task {
    boost::asio::ip::udp::endpoint to;
    Name apex;
    unsigned sends = 0;
    std::uint16_t id = 0;
    std::vector<std::uint8_t> request_mac;  // of the signed NOTIFY in flight
    Clock::time_point due;
    bool counted = false;  // holds one of its secondary's unacknowledged places
    bool waiting = false;  // in its secondary's waiting line, not in the schedule
  };
  // Per secondary: NOTIFYs sent and not yet answered, and the tasks waiting for a place.
  struct Outstanding {
    unsigned unacknowledged = 0;
    std::deque<std::string> waiting;
  };
  using TaskKey = std::string;  // endpoint text + " " + lower-case apex

  void enqueue(const boost::asio::ip::udp::endpoint& to, const Name& apex, Clock::duration delay);
  void unschedule(const TaskKey& key, const Task& task);
  void arm();
  void tick();
  void send(Task& task);
  // A task leaves (acknowledged, refused, given up, its zone gone): its place goes to the
  // next task waiting for the same secondary.
  void release(Task& task);
  void erase(std::map<std::string, Task>::iterator it);
  // A UDP socket per address family, on an ephemeral port, with its receive state.
  struct Channel {
    explicit Channel(boost::asio::io_context& io) : socket(io) {}
    boost::asio::ip::udp::socket socket;
    std::array<std::uint8_t, 4096> buffer{};
    boost::asio::ip::udp::endpoint from;
  };
  void receive(Channel& channel);
  void answered(const boost::asio::ip::udp::endpoint& from, std::span<const std::uint8_t> packet);

  const SnapshotStore& store_;
  NotifySettings settings_;
  SecondaryEvents& events_;
  Channel v4_, v6_;
  boost::asio::steady_timer timer_;
  std::map<TaskKey, Task> tasks_;
  std::multimap<Clock::time_point, TaskKey> schedule_;
  std::map<boost::asio::ip::udp::endpoint, Outstanding> outstanding_;
  double credit_ = 0;  // sends the rate allows now (a token bucket)
  Clock::time_point refilled_ = Clock::now();
  std::map<std::pair<std::string, std::uint16_t>, TaskKey> in_flight_;  // (endpoint, id)
  std::mt19937 random_{std::random_device{}()};
  std::vector<std::uint8_t> buffer_;
  NotifyCounters counters_;
  bool armed_ = false;
  bool stopped_ = false;
};

}  // namespace apex::server
