// Specification of response rate limiting (BIND 9 rate-limit semantics), with time passed in.
#include "server/response_rate_limiter.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>
#include <string>
#include <vector>

#include "tests/zones/answer_fixture.hpp"

using namespace apex;
using namespace apex::server;

namespace {

sockaddr_storage peer(const char* text) {
  sockaddr_storage s{};
  if (std::strchr(text, ':')) {
    auto& v6 = reinterpret_cast<sockaddr_in6&>(s);
    v6.sin6_family = AF_INET6;
    REQUIRE(inet_pton(AF_INET6, text, &v6.sin6_addr) == 1);
  } else {
    auto& v4 = reinterpret_cast<sockaddr_in&>(s);
    v4.sin_family = AF_INET;
    REQUIRE(inet_pton(AF_INET, text, &v4.sin_addr) == 1);
  }
  return s;
}

RrlSettings rate(unsigned per_second) {
  RrlSettings s;
  s.responses_per_second = per_second;
  return s;
}

// Wire names for imputed names; they must outlive the summaries pointing at them.
const std::string kWww("\3www\7example\3com\0", 17);
const std::string kApex("\7example\3com\0", 13);

ResponseSummary answer_for(const std::string& name = kWww, RRType type = RRType::A) {
  return {AnswerKind::kPositive, name, type};
}

struct Limiter {
  RrlSettingsStore store;
  RrlCounters counters;
  std::vector<std::string> lines;
  ResponseRateLimiter rrl;

  explicit Limiter(RrlSettings settings)
      : store(std::move(settings)),
        rrl(store, counters, [this](const std::string& line) { lines.push_back(line); }) {}

  struct Tally {
    unsigned sent = 0, slipped = 0, dropped = 0;
  };
  // n responses to one client in one second.
  Tally burst(unsigned n, std::uint32_t now, const char* client = "192.0.2.1",
              ResponseSummary response = answer_for()) {
    Tally t;
    for (unsigned i = 0; i < n; ++i) {
      switch (rrl.check(peer(client), response, now)) {
        case RrlVerdict::kSend:
          ++t.sent;
          break;
        case RrlVerdict::kSlip:
          ++t.slipped;
          break;
        case RrlVerdict::kDrop:
          ++t.dropped;
          break;
      }
    }
    return t;
  }
};

}  // namespace

TEST_CASE("responses_per_second = 0 (the default) turns RRL off") {
  Limiter l(RrlSettings{});
  CHECK_FALSE(l.rrl.enabled());
  CHECK(Limiter(rate(1)).rrl.enabled());
}

TEST_CASE("under the rate nothing is limited") {
  Limiter l(rate(10));
  for (std::uint32_t second = 100; second < 130; ++second) CHECK(l.burst(10, second).sent == 10);
  CHECK(l.counters.slipped == 0);
  CHECK(l.counters.dropped == 0);
  CHECK(l.lines.empty());
}

TEST_CASE("a burst over the rate: rate answered, the rest limited, every second one slipped") {
  Limiter l(rate(10));  // slip = 2 by default
  auto t = l.burst(31, 50);
  CHECK(t.sent == 10);
  CHECK(t.slipped == 11);  // the first limited one slips, then every second
  CHECK(t.dropped == 10);
  CHECK(l.counters.slipped == 11);
  CHECK(l.counters.dropped == 10);
}

TEST_CASE("slip = 1 slips every limited response, slip = 0 none, slip = 3 every third") {
  RrlSettings s = rate(5);
  s.slip = 1;
  CHECK(Limiter(s).burst(20, 1).slipped == 15);
  s.slip = 0;
  auto none = Limiter(s).burst(20, 1);
  CHECK(none.slipped == 0);
  CHECK(none.dropped == 15);
  s.slip = 3;
  auto third = Limiter(s).burst(20, 1);
  CHECK(third.slipped == 5);
  CHECK(third.dropped == 10);
}

TEST_CASE("credits come back at the rate, never more than one second's worth") {
  Limiter l(rate(10));
  CHECK(l.burst(10, 1).sent == 10);
  CHECK(l.burst(10, 2).sent == 10);
  CHECK(l.burst(25, 60).sent == 10);  // a quiet minute saves up no more than the rate
}

TEST_CASE("a flood runs up debt bounded by window * rate") {
  RrlSettings s = rate(10);
  s.window = 2;
  Limiter l(s);
  CHECK(l.burst(1000, 10).sent == 10);  // balance bottoms out at -20, not -990
  CHECK(l.burst(1, 12).sent == 0);      // -20 + 2 * 10 = 0: nothing to spend (and now -1)
  CHECK(l.burst(20, 13).sent == 9);     // -1 + 10: a limited response costs a credit too
  CHECK(l.burst(20, 20).sent == 10);    // credits capped at the rate again
  RrlSettings longer = rate(10);
  longer.window = 15;
  Limiter m(longer);
  m.burst(1000, 10);
  CHECK(m.burst(1, 13).sent == 0);  // a 15 s window keeps the flooder limited longer
  CHECK(m.burst(1, 26).sent == 1);
}

TEST_CASE("clients are grouped by /24 and /56 prefixes") {
  Limiter l(rate(5));
  CHECK(l.burst(5, 1, "192.0.2.1").sent == 5);
  CHECK(l.burst(5, 1, "192.0.2.200").sent == 0);  // same /24: same account
  CHECK(l.burst(5, 1, "192.0.3.1").sent == 5);
  CHECK(l.burst(5, 1, "2001:db8:0:ff::1").sent == 5);
  CHECK(l.burst(5, 1, "2001:db8:0:ab::2").sent == 0);  // same /56
  CHECK(l.burst(5, 1, "2001:db8:0:100::1").sent == 5);
  RrlSettings narrow = rate(5);
  narrow.ipv4_prefix_length = 32;
  Limiter m(narrow);
  CHECK(m.burst(5, 1, "192.0.2.1").sent == 5);
  CHECK(m.burst(5, 1, "192.0.2.2").sent == 5);
}

TEST_CASE("exempt prefixes are never limited") {
  RrlSettings s = rate(1);
  s.exempt = {*parse_address_prefix("198.51.100.0/24"), *parse_address_prefix("2001:db8::/32")};
  Limiter l(s);
  CHECK(l.burst(100, 1, "198.51.100.7").sent == 100);
  CHECK(l.burst(100, 1, "2001:db8:1::1").sent == 100);
  CHECK(l.burst(100, 1, "198.51.101.7").sent == 1);
  CHECK(l.rrl.accounts() == 2);  // the limited client's account and its log record
}

TEST_CASE("answers are accounted per name and type") {
  Limiter l(rate(3));
  CHECK(l.burst(5, 1, "192.0.2.1", answer_for(kWww, RRType::A)).sent == 3);
  CHECK(l.burst(5, 1, "192.0.2.1", answer_for(kWww, RRType::AAAA)).sent == 3);
  CHECK(l.burst(5, 1, "192.0.2.1", answer_for(kApex, RRType::A)).sent == 3);
  const std::string upper("\3WWW\7Example\3COM\0", 17);  // names compare case-insensitively
  CHECK(l.burst(5, 1, "192.0.2.1", answer_for(upper, RRType::A)).sent == 0);
}

TEST_CASE("referrals, NODATA, NXDOMAIN and errors have rates of their own, else the responses") {
  struct Class {
    AnswerKind kind;
    std::int64_t RrlSettings::*own;
  };
  for (const Class c : {Class{AnswerKind::kReferral, &RrlSettings::referrals_per_second},
                        Class{AnswerKind::kNoData, &RrlSettings::nodata_per_second},
                        Class{AnswerKind::kNxDomain, &RrlSettings::nxdomains_per_second},
                        Class{AnswerKind::kError, &RrlSettings::errors_per_second}}) {
    CAPTURE(static_cast<int>(c.kind));
    const ResponseSummary response{c.kind, kApex, RRType::A};
    RrlSettings s = rate(100);
    s.*c.own = 2;
    Limiter l(s);
    CHECK(l.burst(10, 1, "192.0.2.1", response).sent == 2);
    CHECK(l.burst(10, 1, "192.0.2.1", answer_for()).sent == 10);  // answers keep their credit
    RrlSettings unlimited = rate(1);
    unlimited.*c.own = 0;  // 0: that class is not limited
    CHECK(Limiter(unlimited).burst(50, 1, "192.0.2.1", response).sent == 50);
    CHECK(Limiter(rate(4)).burst(10, 1, "192.0.2.1", response).sent == 4);  // unset
  }
}

TEST_CASE("errors are one account per client, whatever the name") {
  RrlSettings s = rate(100);
  s.errors_per_second = 3;
  Limiter l(s);
  CHECK(l.burst(10, 1, "192.0.2.1", {AnswerKind::kError, kWww, RRType::A}).sent == 3);
  CHECK(l.burst(10, 1, "192.0.2.1", {AnswerKind::kError, kApex, RRType::MX}).sent == 0);
}

TEST_CASE("the table holds at most max_table_size accounts, reusing the least recently used") {
  RrlSettings s = rate(1);
  s.max_table_size = 100;
  s.ipv4_prefix_length = 32;
  Limiter l(s);
  for (unsigned i = 0; i < 1000; ++i) {
    const std::string client = "10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256);
    CHECK(l.burst(1, 1, client.c_str()).sent == 1);
  }
  CHECK(l.rrl.accounts() == 100);
  CHECK(l.burst(2, 1, "10.0.3.231").sent == 0);  // the most recent client still has its account
  CHECK(l.burst(1, 1, "10.0.0.0").sent == 1);    // the first one's was reused: a fresh account
}

TEST_CASE("log_only answers everything but counts and logs what it would limit") {
  RrlSettings s = rate(5);
  s.log_only = true;
  Limiter l(s);
  CHECK(l.burst(20, 1).sent == 20);
  CHECK(l.rrl.would_limit() == 15);
  CHECK(l.counters.slipped == 0);
  CHECK(l.counters.dropped == 0);
  REQUIRE(l.lines.size() == 1);
  CHECK(l.lines[0].find("would limit responses to 192.0.2.0/24") != std::string::npos);
}

TEST_CASE("a limited prefix is logged when limiting starts, then at most once a minute") {
  Limiter l(rate(5));
  l.burst(100, 1000);
  REQUIRE(l.lines.size() == 1);
  CHECK(l.lines[0] ==
        "response rate limit: limiting responses to 192.0.2.0/24 (answers over "
        "the rate)");
  for (std::uint32_t second = 1001; second < 1060; ++second) l.burst(100, second);
  CHECK(l.lines.size() == 1);
  l.burst(100, 1060);
  REQUIRE(l.lines.size() == 2);
  CHECK(l.lines[1].find("192.0.2.0/24: ") != std::string::npos);
  CHECK(l.lines[1].find(" limited in the last 60 s") != std::string::npos);
}

TEST_CASE("a flood from many prefixes costs a bounded number of log lines per second") {
  RrlSettings s = rate(1);
  s.ipv4_prefix_length = 32;
  Limiter l(s);
  for (unsigned i = 0; i < 200; ++i)
    l.burst(2, 1, ("10.1." + std::to_string(i / 256) + "." + std::to_string(i % 256)).c_str());
  CHECK(l.lines.size() == 10);
  CHECK(l.counters.slipped + l.counters.dropped == 200);  // all limited all the same
  l.burst(2, 2, "10.2.0.1");
  REQUIRE(l.lines.size() == 11);
  CHECK(l.lines.back().find("190 lines held back") != std::string::npos);
}

TEST_CASE("new settings are picked up on refresh") {
  Limiter l(rate(0));
  CHECK_FALSE(l.rrl.enabled());
  l.store.publish(rate(2));
  CHECK_FALSE(l.rrl.enabled());  // not before the next batch
  l.rrl.refresh();
  REQUIRE(l.rrl.enabled());
  CHECK(l.burst(5, 1).sent == 2);
  l.store.publish(rate(0));
  l.rrl.refresh();
  CHECK_FALSE(l.rrl.enabled());
}
