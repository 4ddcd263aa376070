// Response rate limiting (RRL) for UDP answers, with the semantics of BIND 9's rate-limit and
// NSD's rrl-*: per client prefix and kind of response, an account earns `rate` credits a
// second (its balance never above rate, never below -window * rate) and each response costs
// one. Without credit a response is limited: dropped, or every slip-th one sent truncated so
// that a real client behind a spoofed flood retries over TCP (RFC 7766), which is exempt.
// One per worker thread: no locks, no allocation per query once warm.
#pragma once

#include <sys/socket.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "server/rrl_account_table.hpp"
#include "server/rrl_counters.hpp"
#include "server/rrl_settings_store.hpp"
#include "zones/responder.hpp"

namespace apex::server {

enum class RrlVerdict { kSend, kSlip, kDrop };

class ResponseRateLimiter {
 public:
  using LogSink = std::function<void(const std::string&)>;

  // Follows the settings store (refresh()); counts what it limits in counters; writes its
  // log lines (one per limited client prefix per minute, see log_limited) to log.
  ResponseRateLimiter(const RrlSettingsStore& store, RrlCounters& counters, LogSink log);

  // Picks up settings published since the last call: once per receive batch.
  void refresh() {
    if (store_.generation() != seen_) reload();
  }
  bool enabled() const { return enabled_; }

  // The fate of a response about to go to peer over UDP at now (seconds on a monotonic clock).
  RrlVerdict check(const sockaddr_storage& peer, const ResponseSummary& response,
                   std::uint32_t now);

  // Responses log_only let through that would have been limited.
  std::uint64_t would_limit() const { return would_limit_.load(std::memory_order_relaxed); }
  std::size_t accounts() const { return table_ ? table_->size() : 0; }

 private:
  void reload();
  unsigned rate_of(AnswerKind kind) const;
  bool exempt(const sockaddr_storage& peer) const;
  RrlKey key_of(const AddressPrefix& client, const ResponseSummary& response) const;
  void credit(RrlAccount& account, unsigned rate, std::uint32_t now) const;
  RrlVerdict limit(RrlAccount& account, const AddressPrefix& client, AnswerKind kind,
                   std::uint32_t now);
  void log_limited(const AddressPrefix& client, AnswerKind kind, std::uint32_t now);
  bool take_log_line(std::uint32_t now);

  const RrlSettingsStore& store_;
  std::uint64_t seen_ = 0;
  std::shared_ptr<const RrlSettings> settings_;
  bool enabled_ = false;                    // the one branch a datagram pays while RRL is off
  std::unique_ptr<RrlAccountTable> table_;  // made when RRL is first enabled
  RrlCounters& counters_;
  LogSink log_;
  std::atomic<std::uint64_t> would_limit_{0};
  std::uint32_t log_second_ = 0xffffffff;  // the per-second budget of log lines (take_log_line)
  unsigned log_lines_left_ = 0;
  std::uint64_t log_lines_held_back_ = 0;
};

}  // namespace apex::server
