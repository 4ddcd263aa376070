// [flatten] keys onto FlattenSettings: tables of names, fields, units and ranges, so that a
// FlattenPolicy field without a key stands out.
#include "server/flatten_keys.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "server/toml_values.hpp"

namespace apex::server {
namespace {

using Policy = flatten::FlattenPolicy;

struct UpstreamKey {
  const char* name;
  unsigned FlattenSettings::*field;
  std::int64_t lo, hi;
};

constexpr UpstreamKey kUpstreamKeys[] = {
    {"try_timeout_ms", &FlattenSettings::try_timeout_ms, 10, 60000},
    {"tries", &FlattenSettings::tries, 1, 10},
    {"max_in_flight", &FlattenSettings::max_in_flight, 1, 10000},
    {"max_queries_per_second", &FlattenSettings::max_queries_per_second, 0, 1000000},
};

struct DurationKey {
  const char* name;
  Policy::ms Policy::*field;
  std::int64_t unit_ms;  // 1000 for keys in seconds (…_s), 1 for milliseconds (…_ms)
  std::int64_t lo, hi;   // in the key's unit
};

constexpr DurationKey kDurationKeys[] = {
    {"refresh_floor_s", &Policy::refresh_floor, 1000, 1, 86400},
    {"refresh_ceiling_s", &Policy::refresh_ceiling, 1000, 1, 604800},
    // At least 1 s: resolvers count TTLs in whole seconds (flatten_policy.hpp).
    {"refresh_margin_ms", &Policy::refresh_margin, 1, 1000, 60000},
    {"refresh_jitter_max_ms", &Policy::refresh_jitter_max, 1, 0, 60000},
    {"max_stale_s", &Policy::max_stale, 1000, 0, 31536000},
    {"negative_grace_s", &Policy::negative_grace, 1000, 0, 86400},
    {"retry_initial_s", &Policy::retry_initial, 1000, 1, 86400},
    {"retry_max_s", &Policy::retry_max, 1000, 1, 86400},
    {"health_interval_s", &Policy::health_interval, 1000, 1, 86400},
    {"health_timeout_ms", &Policy::health_timeout, 1, 10, 60000},
    {"publish_interval_ms", &Policy::publish_interval, 1, 1, 10000},
    {"clock_check_interval_ms", &Policy::clock_check_interval, 1, 10, 60000},
};

struct CountKey {
  const char* name;
  unsigned Policy::*field;
  std::int64_t lo, hi;
};

constexpr CountKey kCountKeys[] = {
    // CNAME (or local ALIAS) hops from a target; the answer engine follows 12 in its zones.
    {"max_chain_depth", &Policy::max_chain_depth, 1, 32},
    {"max_concurrent_probes", &Policy::max_concurrent_probes, 1, 10000},
};

// Keeps retry jitter from cancelling the retry delay, and refresh jitter within a fraction.
constexpr double kMaxJitterFraction = 0.5;

Status set_resolvers(const toml::node& node, FlattenSettings& f) {
  auto list = toml_endpoints(node, "resolvers", "ADDR[:PORT]", "resolver");
  if (!list) return Error{list.error()};
  f.resolvers = std::move(list).value();
  return Ok{};
}

Status set_jitter_fraction(const toml::node& node, Policy& p) {
  auto v = node.value<double>();
  if (!node.is_number() || !v || !(*v >= 0.0 && *v <= kMaxJitterFraction))
    return Error{"jitter_fraction must be a number from 0 to 0.5"};
  p.jitter_fraction = *v;
  return Ok{};
}

Status set_fail_open(const toml::node& node, Policy& p) {
  auto v = node.value<bool>();
  if (!node.is_boolean() || !v) return Error{"health_fail_open must be true or false"};
  p.health_fail_open = *v;
  return Ok{};
}

Status set_stale_ttl(const toml::node& node, Policy& p) {
  auto v = toml_integer(node, "stale_ttl_s", 1, 86400);
  if (!v) return Error{v.error()};
  p.stale_ttl = std::chrono::seconds(*v);
  return Ok{};
}

// The key of table named key, read and handed to assign; nullopt when table has no such key.
template <class Key, std::size_t N, class Assign>
std::optional<Status> set_from(const Key (&table)[N], std::string_view key, const toml::node& node,
                               Assign assign) {
  for (const Key& k : table) {
    if (key != k.name) continue;
    auto v = toml_integer(node, key, k.lo, k.hi);
    if (!v) return Status{Error{v.error()}};
    assign(k, *v);
    return Status{Ok{}};
  }
  return std::nullopt;
}

// The table keys; nullopt when key is in none of them.
std::optional<Status> set_from_tables(std::string_view key, const toml::node& node,
                                      FlattenSettings& f) {
  if (auto done = set_from(kUpstreamKeys, key, node, [&](const UpstreamKey& k, std::int64_t v) {
        f.*k.field = static_cast<unsigned>(v);
      }))
    return done;
  if (auto done = set_from(kDurationKeys, key, node, [&](const DurationKey& k, std::int64_t v) {
        f.policy.*k.field = Policy::ms(v * k.unit_ms);
      }))
    return done;
  return set_from(kCountKeys, key, node, [&](const CountKey& k, std::int64_t v) {
    f.policy.*k.field = static_cast<unsigned>(v);
  });
}

std::string seconds_text(Policy::ms span) {
  return std::to_string(span.count() / 1000);
}

}  // namespace

Status apply_flatten_key(std::string_view key, const toml::node& node, FlattenSettings& f) {
  if (key == "resolvers") return set_resolvers(node, f);
  if (key == "jitter_fraction") return set_jitter_fraction(node, f.policy);
  if (key == "health_fail_open") return set_fail_open(node, f.policy);
  if (key == "stale_ttl_s") return set_stale_ttl(node, f.policy);
  if (auto done = set_from_tables(key, node, f)) return *done;
  return Error{"unknown setting '" + std::string(key) + "'"};
}

Status check_flatten_settings(const FlattenSettings& f) {
  const Policy& p = f.policy;
  if (p.refresh_ceiling < p.refresh_floor)
    return Error{"refresh_ceiling_s (" + seconds_text(p.refresh_ceiling) +
                 ") must not be below refresh_floor_s (" + seconds_text(p.refresh_floor) + ")"};
  if (p.retry_max < p.retry_initial)
    return Error{"retry_max_s (" + seconds_text(p.retry_max) +
                 ") must not be below retry_initial_s (" + seconds_text(p.retry_initial) + ")"};
  return Ok{};
}

}  // namespace apex::server
