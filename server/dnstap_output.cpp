// fstrm I/O thread set-up: per-worker single-producer queues, a one-second reopen interval so
// a restarted collector is back within a second, large writes.
#include "server/dnstap_output.hpp"

#include <unistd.h>

#include <climits>

#include <fstrm.h>

#include "server/dnstap_socket.hpp"

namespace apex::server {
namespace {

constexpr unsigned kReopenIntervalS = 1;  // FSTRM_IOTHR_REOPEN_INTERVAL_MIN; fstrm's default is 5
// The writer thread's cost is mostly its socket writes: at query rates, fuller writes (fstrm's
// maximum buffer, 128 frames, what its writer sends in one writev) mean fewer of them. Data
// waits at most flush_timeout (1 s) either way.
constexpr unsigned kBufferHint = 65536;     // FSTRM_IOTHR_BUFFER_HINT_MAX; default 8192
constexpr unsigned kOutputQueueSize = 128;  // default 64

std::string host_name() {
  char name[HOST_NAME_MAX + 1] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return {};
  return name;
}

// Owns an fstrm_iothr_options for the span of start().
struct IothrOptions {
  fstrm_iothr_options* options = fstrm_iothr_options_init();
  ~IothrOptions() { fstrm_iothr_options_destroy(&options); }
};

}  // namespace

std::string dnstap_identity(const DnstapSettings& settings, const std::string& server_identity) {
  if (!settings.identity.empty()) return settings.identity;
  if (!server_identity.empty()) return server_identity;
  return host_name();
}

DnstapOutput::DnstapOutput(const DnstapSettings& settings, const std::string& server_identity,
                           unsigned workers)
    : settings_(settings),
      encoder_(dnstap_identity(settings, server_identity), "apexd " APEXDNS_VERSION) {
  if (!enabled()) return;
  for (unsigned i = 0; i < workers; ++i)
    loggers_.push_back(std::make_unique<DnstapLogger>(encoder_, settings_, connected_));
}

DnstapOutput::~DnstapOutput() {
  fstrm_iothr_destroy(&iothr_);
}

DnstapLogger* DnstapOutput::logger(unsigned worker) {
  return worker < loggers_.size() ? loggers_[worker].get() : nullptr;
}

Status DnstapOutput::start() {
  if (!enabled() || loggers_.empty()) return Ok{};
  fstrm_writer* writer = dnstap_unix_writer(settings_.socket, connected_);
  if (writer == nullptr) return Error{"dnstap socket '" + settings_.socket + "' is not usable"};
  IothrOptions opt;
  const auto queues = static_cast<unsigned>(loggers_.size());
  if (fstrm_iothr_options_set_num_input_queues(opt.options, queues) != fstrm_res_success ||
      fstrm_iothr_options_set_input_queue_size(opt.options, settings_.queue_size) !=
          fstrm_res_success ||
      fstrm_iothr_options_set_reopen_interval(opt.options, kReopenIntervalS) != fstrm_res_success ||
      fstrm_iothr_options_set_buffer_hint(opt.options, kBufferHint) != fstrm_res_success ||
      fstrm_iothr_options_set_output_queue_size(opt.options, kOutputQueueSize) !=
          fstrm_res_success ||
      fstrm_iothr_options_set_queue_model(opt.options, FSTRM_IOTHR_QUEUE_MODEL_SPSC) !=
          fstrm_res_success) {
    fstrm_writer_destroy(&writer);
    return Error{"dnstap: fstrm refused the queue settings"};
  }
  iothr_ = fstrm_iothr_init(opt.options, &writer);  // takes the writer when it succeeds
  if (iothr_ == nullptr) {
    fstrm_writer_destroy(&writer);
    return Error{"dnstap: cannot start the fstrm I/O thread"};
  }
  for (unsigned i = 0; i < queues; ++i)
    loggers_[i]->attach(iothr_, fstrm_iothr_get_input_queue_idx(iothr_, i));
  return Ok{};
}

DnstapCounts DnstapOutput::totals() const {
  DnstapCounts sum;
  for (const auto& l : loggers_) {
    sum.sent += l->counters().sent.load(std::memory_order_relaxed);
    sum.dropped += l->counters().dropped.load(std::memory_order_relaxed);
  }
  return sum;
}

std::string DnstapOutput::summary() const {
  if (!enabled()) return "";
  const DnstapCounts sum = totals();
  return "dnstap " + std::to_string(sum.sent) + " sent/" + std::to_string(sum.dropped) +
         " dropped (collector " + (connected() ? "connected" : "not connected") + ")";
}

}  // namespace apex::server
