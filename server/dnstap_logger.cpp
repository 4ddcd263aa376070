// Per-worker dnstap submission: one malloc'd frame per message, freed by fstrm's I/O thread
// once written (or discarded).
#include "server/dnstap_logger.hpp"

#include <cstdlib>

#include <fstrm.h>

namespace apex::server {
namespace {

void bump(std::atomic<std::uint64_t>& counter) {
  counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

}  // namespace

DnstapLogger::DnstapLogger(const DnstapEncoder& encoder, const DnstapSettings& settings,
                           const std::atomic<bool>& connected)
    : encoder_(encoder),
      log_queries_(settings.log_queries),
      log_responses_(settings.log_responses),
      connected_(connected) {}

void DnstapLogger::attach(fstrm_iothr* iothr, fstrm_iothr_queue* queue) {
  iothr_ = iothr;
  queue_ = queue;
}

void DnstapLogger::log(const DnstapExchange& exchange) {
  if (log_queries_) submit(DnstapType::kAuthQuery, exchange);
  if (log_responses_ && !exchange.response.empty()) submit(DnstapType::kAuthResponse, exchange);
}

void DnstapLogger::submit(DnstapType type, const DnstapExchange& exchange) {
  // fstrm's I/O thread discards what it takes from the queue while no collector is
  // connected; counting those here, without encoding them, makes a lost collector visible.
  if (queue_ == nullptr || !connected_.load(std::memory_order_relaxed)) {
    bump(counters_.dropped);
    return;
  }
  const std::size_t size = encoder_.size(type, exchange);
  auto* frame = static_cast<std::uint8_t*>(std::malloc(size));
  if (frame == nullptr) {
    bump(counters_.dropped);
    return;
  }
  encoder_.encode(type, exchange, frame);
  // fstrm_res_again: the queue is full (the collector is slower than the queries). Waiting
  // would slow answers, so the frame goes.
  if (fstrm_iothr_submit(iothr_, queue_, frame, size, fstrm_free_wrapper, nullptr) !=
      fstrm_res_success) {
    std::free(frame);
    bump(counters_.dropped);
    return;
  }
  bump(counters_.sent);
}

}  // namespace apex::server
