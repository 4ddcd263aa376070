// Specification of chain following through a resolver's answer (RFC 1034 §3.6.2, RFC 6604
// §2, RFC 2308): addresses, TTL = min along the chain, continuing where the resolver stopped,
// negative answers at the chain's end, loops and over-long chains.
#include <doctest/doctest.h>

#include <string>

#include "flatten/answer_walk.hpp"
#include "tests/flatten/fake_resolver.hpp"

using namespace apex;
using namespace apex::flatten;
using apex::flatten::test::name;
using apex::flatten::test::name_rdata;

namespace {

using Bytes = std::vector<std::uint8_t>;

Record rr(const char* owner, RRType type, std::uint32_t ttl, Bytes rdata) {
  return Record{name(owner), type, RRClass::IN, ttl, std::move(rdata)};
}
Record cname(const char* owner, const char* target, std::uint32_t ttl) {
  return rr(owner, RRType::CNAME, ttl, name_rdata(target));
}

UpstreamResult answer(std::vector<Record> records,
                      UpstreamStatus status = UpstreamStatus::kAnswer) {
  UpstreamResult r;
  r.status = status;
  r.answer = std::move(records);
  r.detail = "scripted";
  return r;
}

bool none_served(const Name&) {
  return false;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("addresses at the name: sorted, distinct, with the RRset's smallest TTL") {
  ChainTrail trail(name("target.example."), 8);
  auto out = walk_answer(answer({rr("target.example.", RRType::A, 60, {192, 0, 2, 9}),
                                 rr("TARGET.example.", RRType::A, 50, {192, 0, 2, 1}),
                                 rr("target.example.", RRType::A, 60, {192, 0, 2, 9})}),
                         RRType::A, trail, none_served);
  REQUIRE(out.done);
  CHECK(out.resolution.kind == ResolutionKind::kAddresses);
  CHECK(out.resolution.addresses == std::vector<Address>{{192, 0, 2, 1}, {192, 0, 2, 9}});
  CHECK(out.resolution.ttl == 50);
  CHECK(out.resolution.chain == std::vector<Name>{name("target.example.")});
}

TEST_CASE("a CNAME chain in the answer: followed case-insensitively, TTL = min along it") {
  ChainTrail trail(name("target.example."), 8);
  auto out = walk_answer(answer({rr("lb.cdn.example.", RRType::AAAA, 300, Bytes(16, 1)),
                                 cname("target.example.", "Edge.example.", 100),
                                 cname("edge.EXAMPLE.", "lb.cdn.example.", 40)}),
                         RRType::AAAA, trail, none_served);
  REQUIRE(out.done);
  CHECK(out.resolution.kind == ResolutionKind::kAddresses);
  CHECK(out.resolution.ttl == 40);
  CHECK(out.resolution.chain ==
        std::vector<Name>{name("target.example."), name("edge.example."), name("lb.cdn.example.")});
}

TEST_CASE("the resolver stopped at a CNAME: ask again for the last name") {
  ChainTrail trail(name("target.example."), 8);
  auto out = walk_answer(answer({cname("target.example.", "edge.example.", 100)}), RRType::A, trail,
                         none_served);
  CHECK_FALSE(out.done);
  CHECK(trail.current() == name("edge.example."));
  CHECK(trail.ttl() == 100);
}

TEST_CASE("CNAMEs, then an SOA: NODATA at the chain's end, TTL capped by the chain") {
  ChainTrail trail(name("target.example."), 8);
  UpstreamResult r = answer({cname("target.example.", "v4only.example.", 30)});
  r.negative_ttl = 300;
  auto out = walk_answer(r, RRType::AAAA, trail, none_served);
  REQUIRE(out.done);
  CHECK(out.resolution.kind == ResolutionKind::kNoData);
  CHECK(out.resolution.ttl == 30);
  CHECK_FALSE(out.resolution.local_negative);
}

TEST_CASE("negative RCODEs speak for the chain's last name (RFC 6604)") {
  ChainTrail trail(name("target.example."), 8);
  UpstreamResult r =
      answer({cname("target.example.", "gone.example.", 300)}, UpstreamStatus::kNxDomain);
  r.negative_ttl = 60;
  auto out = walk_answer(r, RRType::A, trail, none_served);
  REQUIRE(out.done);
  CHECK(out.resolution.kind == ResolutionKind::kNxDomain);
  CHECK(out.resolution.ttl == 60);
  CHECK(out.resolution.chain.back() == name("gone.example."));

  ChainTrail plain(name("v4only.example."), 8);
  auto nodata = walk_answer(answer({}, UpstreamStatus::kNoData), RRType::AAAA, plain, none_served);
  REQUIRE(nodata.done);
  CHECK(nodata.resolution.kind == ResolutionKind::kNoData);
  CHECK(nodata.resolution.ttl == 0);  // no SOA: no negative TTL
}

TEST_CASE("a hop into a served zone hands over to the local lookup") {
  ChainTrail trail(name("target.example."), 8);
  auto served = [](const Name& n) { return n.is_subdomain_of(name("cdn.local.")); };
  auto out = walk_answer(answer({cname("target.example.", "lb.cdn.local.", 100),
                                 rr("lb.cdn.local.", RRType::A, 60, {10, 0, 0, 1})}),
                         RRType::A, trail, served);
  CHECK_FALSE(out.done);
  CHECK(trail.current() == name("lb.cdn.local."));
}

TEST_CASE("loops, over-long chains, malformed records and failures end in a failure") {
  ChainTrail trail(name("target.example."), 8);
  SUBCASE("a loop") {
    auto out = walk_answer(answer({cname("target.example.", "b.example.", 60),
                                   cname("b.example.", "TARGET.example.", 60)}),
                           RRType::A, trail, none_served);
    REQUIRE(out.done);
    CHECK(out.resolution.kind == ResolutionKind::kFailure);
    CHECK(out.resolution.error == "CNAME loop at TARGET.example.");  // as the CNAME spells it
  }
  SUBCASE("longer than the limit") {
    ChainTrail short_trail(name("target.example."), 1);
    auto out = walk_answer(
        answer({cname("target.example.", "b.example.", 60), cname("b.example.", "c.example.", 60)}),
        RRType::A, short_trail, none_served);
    REQUIRE(out.done);
    CHECK(contains(out.resolution.error, "longer than 1 hops"));
  }
  SUBCASE("an A record of 5 octets") {
    auto out = walk_answer(answer({rr("target.example.", RRType::A, 60, {1, 2, 3, 4, 5})}),
                           RRType::A, trail, none_served);
    REQUIRE(out.done);
    CHECK(contains(out.resolution.error, "malformed A record"));
  }
  SUBCASE("an answer about other names only") {
    auto out = walk_answer(answer({rr("other.example.", RRType::A, 60, {1, 2, 3, 4})}), RRType::A,
                           trail, none_served);
    REQUIRE(out.done);
    CHECK(contains(out.resolution.error, "holds no record for it"));
  }
  SUBCASE("SERVFAIL") {
    auto out = walk_answer(answer({}, UpstreamStatus::kServFail), RRType::A, trail, none_served);
    REQUIRE(out.done);
    CHECK(out.resolution.kind == ResolutionKind::kFailure);
    CHECK(contains(out.resolution.error, "resolving target.example./A: SERVFAIL (scripted)"));
  }
}
