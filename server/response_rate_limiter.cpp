// Credit accounting, slip and logging of response rate limiting (BIND 9 rate-limit semantics).
#include "server/response_rate_limiter.hpp"

#include <algorithm>

namespace apex::server {
namespace {

// Log records share the account table, keyed by the client prefix alone.
constexpr std::uint8_t kLogRecord = 0xff;
// A limited prefix is logged when it starts being limited, then at most this often.
constexpr std::uint32_t kLogPeriod = 60;
// Lines a worker writes per second at most, however many prefixes a spoofed flood spreads over.
constexpr unsigned kLogLinesPerSecond = 10;

void bump(std::atomic<std::uint64_t>& counter) {
  counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

// FNV-1a over the wire name with ASCII case folded (RFC 4343: names compare case-insensitively).
std::uint64_t name_hash(std::string_view wire) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (char c : wire) {
    auto octet = static_cast<std::uint8_t>(c);
    if (octet >= 'A' && octet <= 'Z') octet = static_cast<std::uint8_t>(octet + 32);
    h = (h ^ octet) * 0x100000001b3ull;
  }
  return h;
}

const char* kind_text(AnswerKind kind) {
  switch (kind) {
    case AnswerKind::kPositive:
      return "answers";
    case AnswerKind::kReferral:
      return "referrals";
    case AnswerKind::kNoData:
      return "NODATA answers";
    case AnswerKind::kNxDomain:
      return "NXDOMAIN answers";
    case AnswerKind::kError:
      return "error answers";
  }
  return "answers";
}

}  // namespace

ResponseRateLimiter::ResponseRateLimiter(const RrlSettingsStore& store, RrlCounters& counters,
                                         LogSink log)
    : store_(store), counters_(counters), log_(std::move(log)) {
  reload();
}

void ResponseRateLimiter::reload() {
  seen_ = store_.generation();
  settings_ = store_.current();
  enabled_ = settings_->enabled();
  if (!enabled_) return;
  // Accounts survive new rates; a new table size starts afresh (the old accounts would not fit).
  if (!table_ || table_->capacity() != settings_->max_table_size)
    table_ = std::make_unique<RrlAccountTable>(settings_->max_table_size);
}

unsigned ResponseRateLimiter::rate_of(AnswerKind kind) const {
  const RrlSettings& s = *settings_;
  switch (kind) {
    case AnswerKind::kPositive:
      return s.responses_per_second;
    case AnswerKind::kReferral:
      return s.rate_or_responses(s.referrals_per_second);
    case AnswerKind::kNoData:
      return s.rate_or_responses(s.nodata_per_second);
    case AnswerKind::kNxDomain:
      return s.rate_or_responses(s.nxdomains_per_second);
    case AnswerKind::kError:
      return s.rate_or_responses(s.errors_per_second);
  }
  return s.responses_per_second;
}

bool ResponseRateLimiter::exempt(const sockaddr_storage& peer) const {
  return std::any_of(settings_->exempt.begin(), settings_->exempt.end(),
                     [&](const AddressPrefix& p) { return p.contains(peer); });
}

// Errors are one account per client; NXDOMAIN and NODATA one per zone; answers and referrals
// one per name and (answers) type, as BIND keys them.
RrlKey ResponseRateLimiter::key_of(const AddressPrefix& client,
                                   const ResponseSummary& response) const {
  RrlKey key;
  key.prefix = client.bytes;
  key.family = static_cast<std::uint8_t>(client.family == AF_INET6 ? 6 : 4);
  key.kind = static_cast<std::uint8_t>(response.kind);
  if (response.kind != AnswerKind::kError) key.name_hash = name_hash(response.imputed_name);
  if (response.kind == AnswerKind::kPositive)
    key.qtype = static_cast<std::uint16_t>(response.qtype);
  return key;
}

// rate credits per second since the last update, the balance at most rate.
void ResponseRateLimiter::credit(RrlAccount& account, unsigned rate, std::uint32_t now) const {
  const std::uint32_t age = now - account.updated;
  account.updated = now;
  if (age == 0) return;
  const auto cap = static_cast<std::int64_t>(rate);
  const std::int64_t earned = std::int64_t{age} * cap;  // age < 2^32, rate <= 100000: no overflow
  account.balance = static_cast<std::int32_t>(std::min(cap, account.balance + earned));
}

RrlVerdict ResponseRateLimiter::check(const sockaddr_storage& peer, const ResponseSummary& response,
                                      std::uint32_t now) {
  const unsigned rate = rate_of(response.kind);
  if (rate == 0 || exempt(peer)) return RrlVerdict::kSend;
  const unsigned length =
      peer.ss_family == AF_INET6 ? settings_->ipv6_prefix_length : settings_->ipv4_prefix_length;
  const AddressPrefix client = prefix_of(peer, length);
  bool added = false;
  RrlAccount& account = table_->find_or_add(key_of(client, response), added);
  if (added) {
    account.balance = static_cast<std::int32_t>(rate);
    account.updated = now;
  } else {
    credit(account, rate, now);
  }
  if (--account.balance >= 0) return RrlVerdict::kSend;
  // The debt is bounded: a client that stops flooding is answered again within the window.
  const auto floor = -static_cast<std::int64_t>(settings_->window) * rate;
  account.balance = static_cast<std::int32_t>(std::max<std::int64_t>(account.balance, floor));
  return limit(account, client, response.kind, now);
}

// BIND's slip: the first limited response of an account slips, then every slip-th.
RrlVerdict ResponseRateLimiter::limit(RrlAccount& account, const AddressPrefix& client,
                                      AnswerKind kind, std::uint32_t now) {
  const unsigned slip = settings_->slip;
  const bool slips = slip != 0 && account.slip_count == 0;
  if (slip != 0 && ++account.slip_count >= slip) account.slip_count = 0;
  log_limited(client, kind, now);  // may reuse the table slot account lives in: not used after
  if (settings_->log_only) {
    bump(would_limit_);
    return RrlVerdict::kSend;
  }
  bump(slips ? counters_.slipped : counters_.dropped);
  return slips ? RrlVerdict::kSlip : RrlVerdict::kDrop;
}

// One line when a prefix starts being limited, then at most one per kLogPeriod with the
// count, so a flood costs a few log lines, not one per query.
void ResponseRateLimiter::log_limited(const AddressPrefix& client, AnswerKind kind,
                                      std::uint32_t now) {
  RrlKey key;
  key.prefix = client.bytes;
  key.family = static_cast<std::uint8_t>(client.family == AF_INET6 ? 6 : 4);
  key.kind = kLogRecord;
  bool added = false;
  RrlAccount& record = table_->find_or_add(key, added);
  ++record.limited;
  if (record.reported && now - record.logged < kLogPeriod) return;
  if (!take_log_line(now)) return;
  const std::string what = settings_->log_only ? "would limit" : "limiting";
  std::string line = "response rate limit: " + what + " responses to " + client.to_text();
  if (!record.reported)
    line += " (" + std::string(kind_text(kind)) + " over the rate)";
  else
    line += ": " + std::to_string(record.limited) + " limited in the last " +
            std::to_string(now - record.logged) + " s";
  if (log_lines_held_back_ != 0) {
    line += "; " + std::to_string(log_lines_held_back_) + " lines held back";
    log_lines_held_back_ = 0;
  }
  record.reported = true;
  record.logged = now;
  record.limited = 0;
  log_(line);
}

bool ResponseRateLimiter::take_log_line(std::uint32_t now) {
  if (now != log_second_) {
    log_second_ = now;
    log_lines_left_ = kLogLinesPerSecond;
  }
  if (log_lines_left_ == 0) {
    ++log_lines_held_back_;
    return false;
  }
  --log_lines_left_;
  return true;
}

}  // namespace apex::server
