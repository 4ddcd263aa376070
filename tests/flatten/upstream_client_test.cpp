// Specification of the upstream client against scripted resolvers on 127.0.0.1: answers,
// negative answers (RFC 2308), forged responses ignored (RFC 5452 §9.1), time-outs and
// failover, TCP retry on TC=1 (RFC 7766 §5), bounded concurrency and rate, random ports and IDs.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "flatten/upstream_client.hpp"
#include "tests/flatten/fake_resolver.hpp"
#include "zones/message_decoder.hpp"

using namespace apex;
using namespace apex::flatten;
using namespace std::chrono_literals;

namespace {

using namespace apex::flatten::test;

void answer_with(FakeResolver& r, std::uint8_t last_octet) {
  r.on_query = [last_octet](FakeResolver& self, const DecodedMessage& q,
                            const udp::endpoint& from) {
    self.send(
        Reply{.query = q, .answer = {{"target.example.", RRType::A, 300, a(last_octet)}}}.wire(),
        from);
  };
}

void reply_rcode(FakeResolver& r, Rcode rcode) {
  r.on_query = [rcode](FakeResolver& self, const DecodedMessage& q, const udp::endpoint& from) {
    self.send(Reply{.query = q, .rcode = rcode}.wire(), from);
  };
}

UpstreamOptions options(std::vector<udp::endpoint> resolvers) {
  UpstreamOptions o;
  o.resolvers = std::move(resolvers);
  o.try_timeout = 250ms;
  return o;
}

// Runs io until one resolution completes; checks the callback runs once, on this thread, and
// never from inside resolve().
UpstreamResult resolve(asio::io_context& io, UpstreamClient& client, const char* qname,
                       RRType qtype = RRType::A) {
  std::optional<UpstreamResult> result;
  int calls = 0;
  const auto thread = std::this_thread::get_id();
  client.resolve(name(qname), qtype, [&](UpstreamResult r) {
    ++calls;
    CHECK(std::this_thread::get_id() == thread);
    result = std::move(r);
  });
  CHECK(calls == 0);
  const auto deadline = std::chrono::steady_clock::now() + 3s;
  while (!result && std::chrono::steady_clock::now() < deadline) io.run_one_for(50ms);
  REQUIRE(result.has_value());
  io.poll();
  CHECK(calls == 1);
  return *result;
}

// Runs io until count callbacks have come, or 3 s.
void run_until(asio::io_context& io, const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + 3s;
  while (!done() && std::chrono::steady_clock::now() < deadline) io.run_one_for(50ms);
  REQUIRE(done());
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string endpoint_text(const udp::endpoint& e) {
  return e.address().to_string() + ":" + std::to_string(e.port());
}

}  // namespace

TEST_CASE("an answer is accepted; the query asks for recursion with EDNS(0) payload 1232") {
  asio::io_context io;
  FakeResolver r(io);
  answer_with(r, 1);
  UpstreamClient client(io, options({r.endpoint()}));

  UpstreamResult result = resolve(io, client, "target.example.");
  CHECK(result.status == UpstreamStatus::kAnswer);
  REQUIRE(result.answer.size() == 1);
  CHECK(result.answer[0].owner == name("target.example."));
  CHECK(result.answer[0].rdata == a(1));
  CHECK(result.answer[0].ttl == 300);
  CHECK(result.resolver == r.endpoint());
  CHECK(contains(result.detail, endpoint_text(r.endpoint())));
  CHECK_FALSE(result.negative_ttl.has_value());

  REQUIRE(r.queries.size() == 1);
  const DecodedMessage& q = r.queries[0];
  CHECK((q.flags & kFlagRD) != 0);
  CHECK_FALSE(q.is_response());
  REQUIRE(q.questions.size() == 1);
  CHECK(q.questions[0].qtype == RRType::A);
  CHECK(q.questions[0].qclass == RRClass::IN);
  REQUIRE(q.opt.has_value());
  CHECK(q.opt->udp_payload == 1232);
  CHECK_FALSE(q.opt->dnssec_ok);
  CHECK(r.sources[0].port() >= 1024);

  auto stats = client.stats();
  REQUIRE(stats.size() == 1);
  CHECK(stats[0].queries == 1);
  CHECK(stats[0].failures == 0);
  CHECK(stats[0].healthy);
}

TEST_CASE("the question is matched case-insensitively") {
  asio::io_context io;
  FakeResolver r(io);
  r.on_query = [](FakeResolver& self, const DecodedMessage& q, const udp::endpoint& from) {
    self.send(Reply{.query = q,
                    .answer = {{"target.example.", RRType::A, 300, a(1)}},
                    .qname = name("tArGeT.eXaMpLe.")}
                  .wire(),
              from);
  };
  UpstreamClient client(io, options({r.endpoint()}));
  CHECK(resolve(io, client, "Target.Example.").status == UpstreamStatus::kAnswer);
}

TEST_CASE("a CNAME chain is an answer for the caller to follow") {
  asio::io_context io;
  FakeResolver r(io);
  r.on_query = [](FakeResolver& self, const DecodedMessage& q, const udp::endpoint& from) {
    self.send(
        Reply{.query = q,
              .answer = {{"target.example.", RRType::CNAME, 60, name_rdata("lb.cdn.example.")},
                         {"lb.cdn.example.", RRType::A, 20, a(7)}}}
            .wire(),
        from);
  };
  UpstreamClient client(io, options({r.endpoint()}));
  UpstreamResult result = resolve(io, client, "target.example.");
  CHECK(result.status == UpstreamStatus::kAnswer);
  REQUIRE(result.answer.size() == 2);
  CHECK(result.answer[0].rdata == name_rdata("lb.cdn.example."));
}

TEST_CASE("negative answers carry min(SOA TTL, SOA MINIMUM) (RFC 2308 §5)") {
  asio::io_context io;
  FakeResolver r(io), other(io);
  answer_with(other, 9);

  SUBCASE("NXDOMAIN, and no other resolver is asked") {
    r.on_query = [](FakeResolver& self, const DecodedMessage& q, const udp::endpoint& from) {
      self.send(Reply{.query = q,
                      .rcode = Rcode::NXDomain,
                      .authority = {{"example.", RRType::SOA, 300, soa(60)}}}
                    .wire(),
                from);
    };
    UpstreamClient client(io, options({r.endpoint(), other.endpoint()}));
    UpstreamResult result = resolve(io, client, "gone.example.");
    CHECK(result.status == UpstreamStatus::kNxDomain);
    CHECK(result.negative_ttl == std::optional<std::uint32_t>(60));
    CHECK(result.answer.empty());
    CHECK(other.queries.empty());
  }
  SUBCASE("NODATA: NOERROR without records of the type") {
    r.on_query = [](FakeResolver& self, const DecodedMessage& q, const udp::endpoint& from) {
      self.send(Reply{.query = q, .authority = {{"example.", RRType::SOA, 30, soa(3600)}}}.wire(),
                from);
    };
    UpstreamClient client(io, options({r.endpoint(), other.endpoint()}));
    UpstreamResult result = resolve(io, client, "v4only.example.", RRType::AAAA);
    CHECK(result.status == UpstreamStatus::kNoData);
    CHECK(result.negative_ttl == std::optional<std::uint32_t>(30));
    CHECK(other.queries.empty());
  }
  SUBCASE("NODATA without an SOA has no negative TTL") {
    reply_rcode(r, Rcode::NoError);
    UpstreamClient client(io, options({r.endpoint()}));
    UpstreamResult result = resolve(io, client, "v4only.example.", RRType::AAAA);
    CHECK(result.status == UpstreamStatus::kNoData);
    CHECK_FALSE(result.negative_ttl.has_value());
  }
}

TEST_CASE("forged responses are ignored; the genuine one that follows is accepted (RFC 5452)") {
  asio::io_context io;
  FakeResolver r(io);
  // The forger answers 192.0.2.66; the genuine resolver 192.0.2.1.
  std::function<void(const DecodedMessage&, const udp::endpoint&)> forge;
  r.on_query = [&](FakeResolver& self, const DecodedMessage& q, const udp::endpoint& from) {
    forge(q, from);
    self.send(Reply{.query = q, .answer = {{"target.example.", RRType::A, 300, a(1)}}}.wire(),
              from);
  };
  const std::vector<RR> forged_answer = {{"target.example.", RRType::A, 300, a(66)}};

  SUBCASE("wrong ID") {
    forge = [&](const DecodedMessage& q, const udp::endpoint& from) {
      r.send(Reply{.query = q, .answer = forged_answer, .id = static_cast<std::uint16_t>(q.id ^ 1)}
                 .wire(),
             from);
    };
  }
  SUBCASE("wrong question name") {
    forge = [&](const DecodedMessage& q, const udp::endpoint& from) {
      r.send(Reply{.query = q, .answer = forged_answer, .qname = name("other.example.")}.wire(),
             from);
    };
  }
  SUBCASE("wrong question type") {
    forge = [&](const DecodedMessage& q, const udp::endpoint& from) {
      r.send(Reply{.query = q, .answer = forged_answer, .qtype = RRType::AAAA}.wire(), from);
    };
  }
  SUBCASE("QR=0: not a response") {
    forge = [&](const DecodedMessage& q, const udp::endpoint& from) {
      r.send(Reply{.query = q, .answer = forged_answer, .qr = false}.wire(), from);
    };
  }
  SUBCASE("not a DNS message") {
    forge = [&](const DecodedMessage&, const udp::endpoint& from) { r.send(Bytes{1, 2, 3}, from); };
  }
  udp::socket other_port(io, udp::endpoint(kLoopback, 0));
  SUBCASE("right ID and question, but from another source port") {
    forge = [&](const DecodedMessage& q, const udp::endpoint& from) {
      other_port.send_to(asio::buffer(Reply{.query = q, .answer = forged_answer}.wire()), from);
    };
  }
  boost::system::error_code no_127_0_0_2;
  udp::socket other_address(io);
  other_address.open(udp::v4());
  other_address.bind(udp::endpoint(asio::ip::make_address("127.0.0.2"), r.endpoint().port()),
                     no_127_0_0_2);
  SUBCASE("right ID, question and port, but from another address") {
    if (no_127_0_0_2) return;  // a host without the whole of 127/8 on loopback
    forge = [&](const DecodedMessage& q, const udp::endpoint& from) {
      other_address.send_to(asio::buffer(Reply{.query = q, .answer = forged_answer}.wire()), from);
    };
  }

  UpstreamClient client(io, options({r.endpoint()}));
  UpstreamResult result = resolve(io, client, "target.example.");
  CHECK(result.status == UpstreamStatus::kAnswer);
  REQUIRE(result.answer.size() == 1);
  CHECK(result.answer[0].rdata == a(1));
  CHECK(client.stats()[0].mismatched == 1);
  CHECK(client.stats()[0].failures == 0);
}

TEST_CASE("a forged response cannot end the wait early: with no genuine answer, a time-out") {
  asio::io_context io;
  FakeResolver r(io);
  r.on_query = [](FakeResolver& self, const DecodedMessage& q, const udp::endpoint& from) {
    self.send(Reply{.query = q,
                    .answer = {{"target.example.", RRType::A, 300, a(66)}},
                    .id = static_cast<std::uint16_t>(q.id + 1)}
                  .wire(),
              from);
  };
  UpstreamOptions o = options({r.endpoint()});
  o.tries = 1;
  UpstreamClient client(io, o);
  UpstreamResult result = resolve(io, client, "target.example.");
  CHECK(result.status == UpstreamStatus::kTimeout);
  CHECK(result.answer.empty());
}

TEST_CASE("a time-out fails over to the next resolver") {
  asio::io_context io;
  FakeResolver silent(io), good(io);
  answer_with(good, 2);
  UpstreamClient client(io, options({silent.endpoint(), good.endpoint()}));

  const auto start = std::chrono::steady_clock::now();
  UpstreamResult result = resolve(io, client, "target.example.");
  CHECK(std::chrono::steady_clock::now() - start >= 250ms);
  CHECK(result.status == UpstreamStatus::kAnswer);
  CHECK(result.resolver == good.endpoint());
  CHECK(result.answer.at(0).rdata == a(2));
  CHECK(contains(result.detail, endpoint_text(silent.endpoint()) + ": time-out after 250 ms"));
  CHECK(silent.queries.size() == 1);

  auto stats = client.stats();
  CHECK(stats[0].timeouts == 1);
  CHECK(stats[0].failures == 1);
  CHECK(stats[1].queries == 1);
}

TEST_CASE("when every try times out the result is a time-out naming each resolver") {
  asio::io_context io;
  FakeResolver a1(io), a2(io);
  UpstreamOptions o = options({a1.endpoint(), a2.endpoint()});
  o.try_timeout = 100ms;
  o.tries = 3;
  UpstreamClient client(io, o);
  UpstreamResult result = resolve(io, client, "target.example.");
  CHECK(result.status == UpstreamStatus::kTimeout);
  CHECK(a1.queries.size() == 2);  // tries wrap around: a1, a2, a1
  CHECK(a2.queries.size() == 1);
  CHECK(contains(result.detail, endpoint_text(a1.endpoint())));
  CHECK(contains(result.detail, endpoint_text(a2.endpoint())));
}

TEST_CASE("SERVFAIL or REFUSED from one resolver: the next one is tried") {
  asio::io_context io;
  FakeResolver first(io), second(io);
  SUBCASE("SERVFAIL") {
    reply_rcode(first, Rcode::ServFail);
  }
  SUBCASE("REFUSED") {
    reply_rcode(first, Rcode::Refused);
  }
  SUBCASE("FORMERR (a resolver should not send it for our query)") {
    reply_rcode(first, Rcode::FormErr);
  }
  answer_with(second, 3);
  UpstreamClient client(io, options({first.endpoint(), second.endpoint()}));
  UpstreamResult result = resolve(io, client, "target.example.");
  CHECK(result.status == UpstreamStatus::kAnswer);
  CHECK(result.resolver == second.endpoint());
  CHECK(first.queries.size() == 1);
  CHECK(client.stats()[0].failures == 1);
}

TEST_CASE("when every resolver fails, the last failure is the result") {
  asio::io_context io;
  FakeResolver first(io), second(io);
  UpstreamStatus expected = UpstreamStatus::kServFail;
  SUBCASE("SERVFAIL") {
    reply_rcode(first, Rcode::ServFail);
    reply_rcode(second, Rcode::ServFail);
  }
  SUBCASE("REFUSED") {
    reply_rcode(first, Rcode::Refused);
    reply_rcode(second, Rcode::Refused);
    expected = UpstreamStatus::kRefused;
  }
  UpstreamOptions o = options({first.endpoint(), second.endpoint()});
  o.tries = 2;
  UpstreamClient client(io, o);
  UpstreamResult result = resolve(io, client, "target.example.");
  CHECK(result.status == expected);
  CHECK(result.resolver == second.endpoint());
}

TEST_CASE("a genuine but malformed response is that resolver's failure; the next is tried") {
  asio::io_context io;
  FakeResolver broken(io), good(io);
  broken.on_query = [](FakeResolver& self, const DecodedMessage& q, const udp::endpoint& from) {
    Bytes b = Reply{.query = q, .answer = {{"target.example.", RRType::A, 300, a(1)}}}.wire();
    b.resize(b.size() - 15);  // cut inside the answer record: header and question intact
    self.send(b, from);
  };
  answer_with(good, 4);
  UpstreamClient client(io, options({broken.endpoint(), good.endpoint()}));
  UpstreamResult result = resolve(io, client, "target.example.");
  CHECK(result.status == UpstreamStatus::kAnswer);
  CHECK(result.resolver == good.endpoint());
  CHECK(contains(result.detail, "malformed"));
}

TEST_CASE("TC=1 over UDP: the same question over TCP to the same resolver") {
  asio::io_context io;
  FakeResolver r(io), other(io);
  answer_with(other, 99);
  SUBCASE("a truncated response with whole records") {
    r.on_query = [](FakeResolver& self, const DecodedMessage& q, const udp::endpoint& from) {
      self.send(Reply{.query = q, .extra_flags = kFlagTC}.wire(), from);
    };
  }
  SUBCASE("a truncated response cut inside a record") {
    r.on_query = [](FakeResolver& self, const DecodedMessage& q, const udp::endpoint& from) {
      Bytes b = Reply{.query = q,
                      .answer = {{"target.example.", RRType::A, 300, a(1)}},
                      .extra_flags = kFlagTC}
                    .wire();
      b.resize(b.size() - 20);
      self.send(b, from);
    };
  }
  std::vector<RR> many;
  for (std::uint8_t i = 1; i <= 100; ++i) many.push_back({"target.example.", RRType::A, 300, a(i)});
  r.serve_tcp([&](const DecodedMessage& q) { return Reply{.query = q, .answer = many}.wire(); });

  UpstreamClient client(io, options({r.endpoint(), other.endpoint()}));
  UpstreamResult result = resolve(io, client, "target.example.");
  CHECK(result.status == UpstreamStatus::kAnswer);
  CHECK(result.answer.size() == 100);
  CHECK(result.resolver == r.endpoint());
  CHECK(r.tcp_queries == 1);
  CHECK(contains(result.detail, "(TCP)"));
  CHECK(other.queries.empty());
}

TEST_CASE("at most max_in_flight resolutions are under way; the rest wait their turn") {
  asio::io_context io;
  FakeResolver r(io);
  int outstanding = 0, most = 0;
  // Holds each query 50 ms before answering, counting queries not yet answered.
  r.on_query = [&](FakeResolver&, const DecodedMessage& q, const udp::endpoint& from) {
    most = std::max(most, ++outstanding);
    auto timer = std::make_shared<asio::steady_timer>(io, 50ms);
    timer->async_wait([&, timer, q, from](const boost::system::error_code&) {
      --outstanding;
      r.send(Reply{.query = q, .answer = {{"target.example.", RRType::A, 300, a(1)}}}.wire(), from);
    });
  };
  UpstreamOptions o = options({r.endpoint()});
  o.max_in_flight = 2;
  UpstreamClient client(io, o);
  int answered = 0;
  for (int i = 0; i < 6; ++i)
    client.resolve(name("target.example."), RRType::A, [&](UpstreamResult result) {
      CHECK(result.status == UpstreamStatus::kAnswer);
      ++answered;
    });
  run_until(io, [&] { return answered == 6; });
  CHECK(most == 2);
  CHECK(r.queries.size() == 6);
}

TEST_CASE("the query rate is capped; bursts wait instead of failing") {
  asio::io_context io;
  FakeResolver r(io);
  answer_with(r, 1);
  UpstreamOptions o = options({r.endpoint()});
  o.max_queries_per_second = 10;  // a burst of 10, then one every 100 ms
  UpstreamClient client(io, o);
  int answered = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 12; ++i)
    client.resolve(name("target.example."), RRType::A, [&](UpstreamResult) { ++answered; });
  run_until(io, [&] { return answered == 12; });
  CHECK(std::chrono::steady_clock::now() - start >= 150ms);
}

TEST_CASE("each query has its own random source port and ID (RFC 5452 §9.2)") {
  asio::io_context io;
  FakeResolver r(io);
  answer_with(r, 1);
  UpstreamClient client(io, options({r.endpoint()}));
  int answered = 0;
  for (int i = 0; i < 10; ++i)
    client.resolve(name("target.example."), RRType::A, [&](UpstreamResult) { ++answered; });
  run_until(io, [&] { return answered == 10; });

  std::set<std::uint16_t> ports, ids;
  for (const auto& source : r.sources) {
    CHECK(source.port() >= 1024);
    ports.insert(source.port());
  }
  for (const auto& q : r.queries) ids.insert(q.id);
  // Two of ten uniform draws coincide with probability ~0.07%; allow one such collision.
  CHECK(ports.size() >= 9);
  CHECK(ids.size() >= 9);
}

TEST_CASE("an unhealthy resolver is tried last until it answers again") {
  asio::io_context io;
  FakeResolver flaky(io), good(io);
  answer_with(good, 5);
  UpstreamOptions o = options({flaky.endpoint(), good.endpoint()});
  o.try_timeout = 150ms;
  o.health.unhealthy_after = 1;
  o.health.reprobe_interval = 300ms;
  UpstreamClient client(io, o);

  CHECK(resolve(io, client, "target.example.").resolver == good.endpoint());
  CHECK_FALSE(client.stats()[0].healthy);

  CHECK(resolve(io, client, "target.example.").resolver == good.endpoint());
  CHECK(flaky.queries.size() == 1);  // not asked again while unhealthy

  // Once the re-probe interval has passed it is asked first again, and answering heals it.
  answer_with(flaky, 6);
  asio::steady_timer pause(io, 350ms);
  pause.wait();
  UpstreamResult result = resolve(io, client, "target.example.");
  CHECK(result.resolver == flaky.endpoint());
  CHECK(client.stats()[0].healthy);
}

TEST_CASE("without resolvers every resolution fails at once, still through the callback") {
  asio::io_context io;
  UpstreamClient client(io, UpstreamOptions{});
  UpstreamResult result = resolve(io, client, "target.example.");
  CHECK(result.status == UpstreamStatus::kNetworkError);
  CHECK(contains(result.detail, "no upstream resolvers"));
}
