// A worker thread: its own event loop, its own SO_REUSEPORT sockets on every listen address,
// its own Responder and snapshot reference, so workers share nothing on the query path.
#pragma once

#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "server/config.hpp"
#include "server/dnstap_logger.hpp"
#include "server/query_metrics.hpp"
#include "server/response_rate_limiter.hpp"
#include "server/rrl_settings_store.hpp"
#include "server/snapshot_store.hpp"
#include "server/tcp_listener.hpp"
#include "server/transfer_services.hpp"
#include "server/udp_listener.hpp"
#include "zones/responder.hpp"

namespace apex::server {

class Worker {
 public:
  // Transfer sessions read the journal and add what they served to the events.
  // rrl: the response rate limiting settings in force (SIGHUP publishes new ones). dnstap,
  // when not null, is this worker's end of the query log.
  Worker(const Config& config, const SnapshotStore& store, ConnectionTable& connections,
         TransferServices& services, const RrlSettingsStore& rrl, DnstapLogger* dnstap = nullptr);
  ~Worker();

  // Binds the sockets; errors name the address.
  Status open(const Config& config);
  void start();
  // Stops taking TCP connections and closes the idle ones; those busy finish their request.
  void drain();
  // TCP connections still open across this worker's listeners.
  std::size_t open_connections() const;
  // Stops the loop and joins the thread.
  void stop();

  const ResponderCounters& counters() const { return responder_.counters(); }
  const TransferCounters& transfers() const { return transfers_; }
  const QueryMetrics& metrics() const { return metrics_; }
  const RrlCounters& rrl_counters() const { return rrl_counters_; }
  const ResponseRateLimiter& rrl() const { return rrl_; }
  // The smallest receive buffer the kernel granted this worker's UDP sockets (bytes).
  std::size_t udp_receive_buffer() const { return udp_receive_buffer_; }

 private:
  boost::asio::io_context io_{1};
  SnapshotReader snapshot_;
  Responder responder_;
  TransferCounters transfers_;
  QueryMetrics metrics_;
  RrlCounters rrl_counters_;
  ResponseRateLimiter rrl_;
  ConnectionTable& connections_;
  TransferServices& services_;
  DnstapLogger* dnstap_;
  std::vector<std::unique_ptr<UdpListener>> udp_;
  std::size_t udp_receive_buffer_ = 0;
  std::vector<std::unique_ptr<TcpListener>> tcp_;
  std::thread thread_;
};

}  // namespace apex::server
