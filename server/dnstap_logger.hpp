// A worker thread's end of the dnstap log: encodes its queries and responses and submits them
// to its own fstrm input queue (single producer, no lock), never waiting: a frame the queue
// has no room for, or that no collector would receive, is dropped and counted.
#pragma once

#include <atomic>

#include "server/dnstap_counters.hpp"
#include "server/dnstap_message.hpp"
#include "server/dnstap_settings.hpp"

struct fstrm_iothr;
struct fstrm_iothr_queue;

namespace apex::server {

class DnstapLogger {
 public:
  // connected is the collector connection's state (DnstapOutput's).
  DnstapLogger(const DnstapEncoder& encoder, const DnstapSettings& settings,
               const std::atomic<bool>& connected);

  // The queue this worker submits to; set before the worker's thread starts. Until then every
  // frame is dropped.
  void attach(fstrm_iothr* iothr, fstrm_iothr_queue* queue);

  // AUTH_QUERY and, when a response was sent (exchange.response not empty), AUTH_RESPONSE, as
  // log_queries and log_responses say.
  void log(const DnstapExchange& exchange);

  const DnstapCounters& counters() const { return counters_; }

 private:
  void submit(DnstapType type, const DnstapExchange& exchange);

  const DnstapEncoder& encoder_;
  const bool log_queries_, log_responses_;
  const std::atomic<bool>& connected_;
  fstrm_iothr* iothr_ = nullptr;
  fstrm_iothr_queue* queue_ = nullptr;
  DnstapCounters counters_;
};

}  // namespace apex::server
