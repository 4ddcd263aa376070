// Specification of the failure policy as state transitions (ARCHITECTURE.md §5): refresh on
// answers, serve-stale with backoff up to max-stale, then failed; negative answers after a grace
// period for families that resolved, at once otherwise.
#include <doctest/doctest.h>

#include <string>

#include "flatten/family_update.hpp"
#include "tests/flatten/fake_resolver.hpp"

using namespace apex;
using namespace apex::flatten;
using namespace std::chrono_literals;
using apex::flatten::test::name;

namespace {

using Family = TargetState::Family;

constexpr std::int64_t kStart = 1'700'000'000'000;

FlattenPolicy policy() {
  FlattenPolicy p;
  p.jitter_fraction = 0.0;
  return p;
}

Resolution addresses(std::uint32_t ttl, std::uint8_t last = 1) {
  Resolution r;
  r.kind = ResolutionKind::kAddresses;
  r.addresses = {{192, 0, 2, last}};
  r.ttl = ttl;
  r.chain = {name("target.example.")};
  return r;
}

Resolution failure() {
  Resolution r;
  r.kind = ResolutionKind::kFailure;
  r.error = "time-out";
  r.chain = {name("target.example.")};
  return r;
}

Resolution negative(ResolutionKind kind = ResolutionKind::kNxDomain, bool local = false) {
  Resolution r;
  r.kind = kind;
  r.ttl = 120;
  r.chain = {name("target.example.")};
  r.local_negative = local;
  return r;
}

Family resolved(const FlattenPolicy& p) {
  Family f;
  apply_resolution(f, addresses(300), p, kStart, 0.0);
  return f;
}

}  // namespace

TEST_CASE("an answer: addresses, chain, TTL, and a refresh just after the TTL runs out") {
  const FlattenPolicy p = policy();
  Family f = resolved(p);
  CHECK(f.state == AliasState::kAddresses);
  CHECK(f.addresses == std::vector<Address>{{192, 0, 2, 1}});
  CHECK(f.ttl == 300);
  CHECK(f.last_success_ms == kStart);
  CHECK(f.last_attempt_ms == kStart);
  CHECK(f.next_refresh_ms == kStart + 301'000);  // TTL + 1 s margin
  CHECK(status_of(f, kStart) == FlattenStatus::kFresh);
}

TEST_CASE("failures keep last-known-good as stale, back off, and end at max-stale") {
  const FlattenPolicy p = policy();
  Family f = resolved(p);
  const std::int64_t t1 = kStart + 300'000;
  apply_resolution(f, failure(), p, t1, 0.0);
  CHECK(f.state == AliasState::kAddresses);
  CHECK(f.failing_since_ms == t1);
  CHECK(f.consecutive_failures == 1);
  CHECK(f.last_error == "time-out");
  CHECK(f.last_error_ms == t1);
  CHECK(f.next_refresh_ms == t1 + 5'000);
  CHECK(status_of(f, t1) == FlattenStatus::kStale);

  apply_resolution(f, failure(), p, t1 + 5'000, 0.0);
  CHECK(f.failing_since_ms == t1);
  CHECK(f.next_refresh_ms == t1 + 5'000 + 10'000);

  // The next retry would come after the max-stale deadline: it is moved to the deadline.
  f.consecutive_failures = 20;
  const std::int64_t late = t1 + p.max_stale.count() - 1'000;
  apply_resolution(f, failure(), p, late, 0.0);
  CHECK(f.state == AliasState::kAddresses);
  CHECK(f.next_refresh_ms == t1 + p.max_stale.count());

  CHECK_FALSE(expire_stale(f, p, late));
  CHECK(expire_stale(f, p, t1 + p.max_stale.count()));
  CHECK(f.state == AliasState::kFailed);
  CHECK(f.addresses.size() == 1);  // kept for status
  CHECK(status_of(f, late) == FlattenStatus::kFailed);

  apply_resolution(f, addresses(60, 2), p, late + 10'000, 0.0);
  CHECK(f.state == AliasState::kAddresses);
  CHECK(f.failing_since_ms == 0);
  CHECK(f.consecutive_failures == 0);
  CHECK(f.last_error == "time-out");  // history stays
}

TEST_CASE("a failure past max-stale fails at once") {
  const FlattenPolicy p = policy();
  Family f = resolved(p);
  apply_resolution(f, failure(), p, kStart + 1, 0.0);
  apply_resolution(f, failure(), p, kStart + 1 + p.max_stale.count(), 0.0);
  CHECK(f.state == AliasState::kFailed);
}

TEST_CASE("a failure before any result fails at once") {
  Family f;
  apply_resolution(f, failure(), policy(), kStart, 0.0);
  CHECK(f.state == AliasState::kFailed);
  CHECK(f.failing_since_ms == kStart);
  CHECK(status_of(f, kStart) == FlattenStatus::kFailed);
}

TEST_CASE("a negative answer for addresses waits out the grace period") {
  const FlattenPolicy p = policy();
  Family f = resolved(p);
  const std::int64_t t1 = kStart + 300'000;
  apply_resolution(f, negative(), p, t1, 0.0);
  CHECK(f.state == AliasState::kAddresses);
  CHECK(f.negative_since_ms == t1);
  CHECK(f.next_refresh_ms == t1 + 5'000);
  CHECK(f.last_error.find("NXDOMAIN for target.example.") == 0);
  CHECK(status_of(f, t1) == FlattenStatus::kStale);

  // Retries never go past the end of the grace period.
  f.consecutive_failures = 10;
  apply_resolution(f, negative(), p, t1 + 60'000, 0.0);
  CHECK(f.next_refresh_ms == t1 + p.negative_grace.count());

  apply_resolution(f, negative(ResolutionKind::kNoData), p, t1 + p.negative_grace.count(), 0.0);
  CHECK(f.state == AliasState::kNoData);
  CHECK(f.addresses.empty());
  CHECK(f.ttl == 120);
  CHECK(f.consecutive_failures == 0);
  CHECK(f.next_refresh_ms == t1 + p.negative_grace.count() + 121'000);  // negative TTL + 1 s
  CHECK(status_of(f, t1) == FlattenStatus::kNegative);
}

TEST_CASE("an answer within the grace period ends it") {
  const FlattenPolicy p = policy();
  Family f = resolved(p);
  apply_resolution(f, negative(), p, kStart + 1'000, 0.0);
  apply_resolution(f, addresses(300), p, kStart + 2'000, 0.0);
  CHECK(f.negative_since_ms == 0);
  apply_resolution(f, negative(), p, kStart + 3'000, 0.0);
  CHECK(f.negative_since_ms == kStart + 3'000);
  CHECK(f.state == AliasState::kAddresses);
}

TEST_CASE("negative answers are accepted at once without addresses to protect, or when local") {
  const FlattenPolicy p = policy();
  Family pending;
  apply_resolution(pending, negative(), p, kStart, 0.0);
  CHECK(pending.state == AliasState::kNoData);
  CHECK(pending.negative_since_ms == kStart);

  Family failed;
  apply_resolution(failed, failure(), p, kStart, 0.0);
  apply_resolution(failed, negative(), p, kStart + 1, 0.0);
  CHECK(failed.state == AliasState::kNoData);
  CHECK(failed.failing_since_ms == 0);

  Family local = resolved(p);
  apply_resolution(local, negative(ResolutionKind::kNoData, true), p, kStart + 1, 0.0);
  CHECK(local.state == AliasState::kNoData);
}

TEST_CASE("a NODATA result is served stale through failures until max-stale") {
  const FlattenPolicy p = policy();
  Family f;
  apply_resolution(f, negative(ResolutionKind::kNoData), p, kStart, 0.0);
  apply_resolution(f, failure(), p, kStart + 1'000, 0.0);
  CHECK(f.state == AliasState::kNoData);
  CHECK(expire_stale(f, p, kStart + 1'000 + p.max_stale.count()));
  CHECK(f.state == AliasState::kFailed);
}

TEST_CASE("status words") {
  Family f;
  CHECK(status_of(f, kStart) == FlattenStatus::kPending);
  CHECK(to_text(FlattenStatus::kPending) == "pending");
  CHECK(to_text(FlattenStatus::kFresh) == "fresh");
  CHECK(to_text(FlattenStatus::kStale) == "stale");
  CHECK(to_text(FlattenStatus::kNegative) == "negative");
  CHECK(to_text(FlattenStatus::kFailed) == "failed");
  // Addresses past their TTL with the refresh overdue (as after a restart) are stale.
  f = resolved(policy());
  CHECK(status_of(f, kStart + 299'000) == FlattenStatus::kFresh);
  // Within the refresh margin past the TTL the refresh is not overdue yet: still fresh.
  CHECK(status_of(f, kStart + 300'500) == FlattenStatus::kFresh);
  CHECK(status_of(f, kStart + 301'001) == FlattenStatus::kStale);
}
