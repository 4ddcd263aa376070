// The dnstap query log (https://dnstap.info): one fstrm I/O thread writing Frame Streams to
// the collector's UNIX socket, fed by one input queue per worker thread (DnstapLogger). The
// I/O thread connects in the background and reconnects by itself; answers never wait for it.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "server/dnstap_counters.hpp"
#include "server/dnstap_logger.hpp"
#include "server/dnstap_message.hpp"
#include "server/dnstap_settings.hpp"
#include "zones/result.hpp"

struct fstrm_iothr;

namespace apex::server {

// Identity told in the log: [dnstap] identity, else [server] identity, else the host name.
std::string dnstap_identity(const DnstapSettings& settings, const std::string& server_identity);

class DnstapOutput {
 public:
  // One logger per worker when settings enable the log; nothing happens before start().
  DnstapOutput(const DnstapSettings& settings, const std::string& server_identity,
               unsigned workers);
  // Writes what the queues still hold and ends the stream (STOP/FINISH) when connected.
  ~DnstapOutput();
  DnstapOutput(const DnstapOutput&) = delete;
  DnstapOutput& operator=(const DnstapOutput&) = delete;

  bool enabled() const { return settings_.enabled(); }
  // Worker's logger, or null when the log is off (the listeners' one branch per request).
  DnstapLogger* logger(unsigned worker);
  // Starts the I/O thread and hands each logger its queue; call before the workers start.
  Status start();

  bool connected() const { return connected_.load(std::memory_order_relaxed); }
  DnstapCounts totals() const;
  // For the stats line: "dnstap N sent/M dropped (collector connected)", or "" when off.
  std::string summary() const;

 private:
  DnstapSettings settings_;
  DnstapEncoder encoder_;
  std::atomic<bool> connected_{false};
  std::vector<std::unique_ptr<DnstapLogger>> loggers_;
  fstrm_iothr* iothr_ = nullptr;
};

}  // namespace apex::server
