// The flattener's timing and failure policy with documented defaults (ARCHITECTURE.md §5; stale
// serving after RFC 8767). Every field has an apexd [flatten] key (server/flatten_keys.cpp)
// whose default is the one here; tests shorten them.
#pragma once

#include <chrono>
#include <cstdint>

namespace apex::flatten {

struct FlattenPolicy {
  using ms = std::chrono::milliseconds;

  // A result is refreshed just after the TTL it came with runs out: after ttl + refresh_margin
  // + u × min(jitter_fraction × ttl, refresh_jitter_max), u uniform in [0, 1), clamped to
  // [refresh_floor, refresh_ceiling]. Why after and not before: the upstream is normally a
  // caching resolver, whose answer carries what is left of its cached copy's TTL (RFC 1035
  // §3.2.1, RFC 2181 §8); asked again before that runs out it only repeats the same copy with
  // a shorter TTL, costing a second query per TTL and bringing nothing new. Asked just after,
  // it has to fetch the data again from the authoritative servers: one query per target and
  // family per TTL. The margin covers resolvers that count whole seconds (a copy reported
  // with TTL N may stay in their cache up to N + 1 s), so it is at least 1 s; the jitter keeps
  // targets that share a TTL from bunching up, within a window small against the TTL.
  // Meanwhile the addresses keep being served as they are. Negative results refresh by their
  // negative TTL (RFC 2308 §5), or at the floor when the resolver sent no SOA. Targets inside
  // served zones follow the same schedule, and are also re-resolved whenever their zone changes.
  ms refresh_floor = std::chrono::seconds(30);
  ms refresh_ceiling = std::chrono::hours(1);
  ms refresh_margin = std::chrono::seconds(1);
  ms refresh_jitter_max = std::chrono::seconds(2);
  // Spreads refreshes (above) and retries (below) of many targets; 0 turns jitter off.
  double jitter_fraction = 0.1;

  // TTL of last-known-good addresses served while the target fails (RFC 8767 §4 suggests
  // 30 s), and of fallback addresses.
  std::chrono::seconds stale_ttl{30};
  // After the first failure, last-known-good is served this long; then fallback addresses
  // (owners that have them), else SERVFAIL.
  ms max_stale = std::chrono::hours(24);
  // Failed attempts are retried after retry_initial, doubling up to retry_max (less up to
  // jitter_fraction of it, so retries of many targets spread out).
  ms retry_initial = std::chrono::seconds(5);
  ms retry_max = std::chrono::minutes(5);
  // A NXDOMAIN or NODATA for a family that resolved to addresses is accepted only once it has
  // persisted this long; until then the previous addresses are served, as stale. A family
  // without addresses to protect (never resolved, failed, already NODATA) accepts it at once,
  // and so does a negative answer from a zone this server serves.
  ms negative_grace = std::chrono::minutes(5);
  // CNAME (and local ALIAS) hops followed from a target; a longer chain is a failure.
  unsigned max_chain_depth = 8;

  // Health checks (aliases with a health port): every address is probed by a TCP connect
  // each interval, each probe given the time-out; at most max_concurrent_probes at once.
  ms health_interval = std::chrono::seconds(10);
  ms health_timeout = std::chrono::seconds(2);
  unsigned max_concurrent_probes = 32;
  // When every address of a family is unhealthy: true serves them all (a health check that
  // is itself broken must not take a site down); false serves that owner's fallback
  // addresses of the family if it has any, else all of them.
  bool health_fail_open = true;

  // Results are published (one new AliasTable, built whole) and persisted at most this often,
  // so a burst of refreshes costs one table; a change waits at most this long.
  ms publish_interval = std::chrono::milliseconds(100);

  // The longest the scheduler sleeps before reading the clock again, so a wall-clock step
  // (or a test clock moved ahead) is noticed this soon.
  ms clock_check_interval = std::chrono::seconds(1);

  friend bool operator==(const FlattenPolicy&, const FlattenPolicy&) = default;
};

}  // namespace apex::flatten
