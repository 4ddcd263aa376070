// What the flattener knows about each target, and the interface it persists that through
// (ARCHITECTURE.md §5: last-known-good survives a restart; `apexctl alias status` reads it).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "zones/alias_table.hpp"
#include "zones/name.hpp"
#include "zones/result.hpp"
#include "zones/rrtype.hpp"

namespace apex::flatten {

using Address = std::vector<std::uint8_t>;  // 4 (IPv4) or 16 (IPv6) octets

// The last health probe of one address on one port.
struct ProbeRecord {
  Address address;
  std::uint16_t port = 0;
  bool healthy = true;
  std::int64_t checked_ms = 0;  // 0: not probed yet (counts as healthy)
  std::string error;            // why the last probe failed; empty when healthy

  friend bool operator==(const ProbeRecord&, const ProbeRecord&) = default;
};

// Where a family's result came from. A local result is only as good as the provider zone it
// came from: when that zone goes away or stops being provider-owned, the result is dropped.
enum class ResultSource {
  kNone,      // no result yet
  kLocal,     // at least one link of the chain was answered from a provider zone
  kUpstream,  // every link was answered by the recursive resolvers
};

std::string_view to_text(ResultSource source);  // "", "local", "upstream"

// Times are wall-clock milliseconds since the Unix epoch; 0 means never / not now.
struct TargetState {
  struct Family {
    // What the target serves for this family (owners may be served fallbacks or a
    // health-filtered subset instead: alias_table_assembly.hpp).
    AliasState state = AliasState::kPending;
    // The last-known-good addresses, sorted and distinct; served only in state kAddresses
    // (kept after max-stale so status can still show them).
    std::vector<Address> addresses;
    // kAddresses: min of the TTLs along the chain and of the address RRset, as resolved.
    // kNoData: the negative TTL (RFC 2308 §5) capped by the chain; 0 when none was given.
    std::uint32_t ttl = 0;
    // The target, then every CNAME (or local ALIAS) hop of the last definitive answer.
    std::vector<Name> chain;
    std::int64_t last_success_ms = 0;  // last answer with addresses, or accepted negative
    std::int64_t last_attempt_ms = 0;  // last resolution that completed, whatever its outcome
    // The first failure (time-out, SERVFAIL, REFUSED, network error, loop, malformed) of the
    // current run of failures; max-stale counts from here.
    std::int64_t failing_since_ms = 0;
    // The first negative answer of the current run; the grace period counts from here while
    // the addresses are still served, and it stays set once the negative is accepted.
    std::int64_t negative_since_ms = 0;
    std::int64_t next_refresh_ms = 0;
    std::uint32_t consecutive_failures = 0;  // failed or not-yet-accepted attempts: backoff
    std::string last_error;                  // kept after recovery, with its time
    std::int64_t last_error_ms = 0;
    ResultSource source = ResultSource::kNone;  // of the addresses or negative answer held

    friend bool operator==(const Family&, const Family&) = default;
  };

  Name target;
  Family a, aaaa;
  // Health of the target's addresses on the ports of the aliases that check them.
  std::vector<ProbeRecord> probes;

  Family& of(RRType family) { return family == RRType::AAAA ? aaaa : a; }
  const Family& of(RRType family) const { return family == RRType::AAAA ? aaaa : a; }

  friend bool operator==(const TargetState&, const TargetState&) = default;
};

// The five words `alias status` shows for a family.
enum class FlattenStatus {
  kFresh,     // addresses as resolved, within their TTL or before their refresh is due
  kStale,     // last-known-good addresses served past their time: failing, a negative
              // answer within its grace period, or a refresh overdue (after a restart)
  kNegative,  // NXDOMAIN or NODATA accepted: NODATA is served
  kFailed,    // nothing to serve: owners with fallbacks serve those, others SERVFAIL
  kPending,   // no result yet
};

std::string_view to_text(FlattenStatus status);

FlattenStatus status_of(const TargetState::Family& family, std::int64_t now_ms);

// Whether last-known-good addresses are served as stale (RFC 8767 §4, with the short stale
// TTL): the target fails, or a negative answer is within its grace period.
bool serves_stale(const TargetState::Family& family);

// The TTL served for this family before an owner's ALIAS TTL caps it: the result's when fresh,
// stale_ttl while last-known-good addresses are served as stale or, once failed, fallback
// addresses; 0 when no addresses are served (negative, pending).
std::uint32_t served_ttl(const TargetState::Family& family, std::uint32_t stale_ttl);

// FlattenPolicy::stale_ttl as the TTL of records: whole seconds, at most 2^31 - 1 (RFC 2181 §8).
std::uint32_t stale_ttl_seconds(std::chrono::seconds stale_ttl);

// Where the flattener keeps TargetStates (the server: SQLite; tests: memory). Calls never
// overlap: load() is made once, from Flattener::start() on the caller's thread; save() and
// remove() come from one background thread of the flattener, never from the io_context.
class StateStore {
 public:
  virtual ~StateStore() = default;
  // Every persisted target.
  virtual Result<std::vector<TargetState>> load() = 0;
  // Inserts or replaces these targets (matched case-insensitively).
  virtual Status save(const std::vector<TargetState>& changed) = 0;
  // Forgets targets no alias points at any more.
  virtual Status remove(const std::vector<Name>& targets) = 0;
};

}  // namespace apex::flatten
