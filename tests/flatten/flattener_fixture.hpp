// Test fixture for the flattener: a scripted recursive resolver that answers from records it
// is given (chasing CNAMEs like a real one, or not), a clock tests can move ahead, a recorder
// of published tables, and helpers that read addresses out of them as text.
#pragma once

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "flatten/flattener.hpp"
#include "flatten/target_registry.hpp"
#include "tests/flatten/fake_resolver.hpp"
#include "zones/ip_address_text.hpp"

namespace apex::flatten::test {

inline Bytes v4(const char* text) {
  auto a = ipv4_from_text(text);
  REQUIRE(a.has_value());
  return {a->begin(), a->end()};
}
inline Bytes v6(const char* text) {
  auto a = ipv6_from_text(text);
  REQUIRE(a.has_value());
  return {a->begin(), a->end()};
}
inline std::string address_text(const Bytes& b) {
  return b.size() == 16 ? ipv6_to_text(b) : ipv4_to_text(b);
}

// A recursive resolver over a little world of records. Names without records are NXDOMAIN;
// names with records but none of the type (after CNAMEs) are NODATA with an SOA.
class ScriptedResolver {
 public:
  enum class Mode { kAnswer, kServFail, kRefused, kSilent };

  explicit ScriptedResolver(asio::io_context& io) : fake_(io) {
    fake_.on_query = [this](FakeResolver& self, const DecodedMessage& q, const udp::endpoint& to) {
      respond(self, q, to);
    };
  }

  udp::endpoint endpoint() const { return fake_.endpoint(); }

  void add(const char* owner, RRType type, std::uint32_t ttl, Bytes rdata) {
    records_[key(owner)].push_back({owner, type, ttl, std::move(rdata)});
  }
  void cname(const char* owner, const char* target, std::uint32_t ttl) {
    add(owner, RRType::CNAME, ttl, name_rdata(target));
  }
  void clear(const char* owner) { records_.erase(key(owner)); }

  Mode mode = Mode::kAnswer;
  bool chase = true;  // false: answer a CNAME alone, as a resolver that stopped there
  std::uint32_t negative_ttl = 60;

  std::size_t queries() const { return fake_.queries.size(); }
  std::size_t queries_for(const char* qname, RRType qtype) const {
    std::size_t n = 0;
    for (const auto& q : fake_.queries)
      if (q.questions.at(0).qname == name(qname) && q.questions.at(0).qtype == qtype) ++n;
    return n;
  }

 private:
  struct Stored {
    std::string owner;
    RRType type;
    std::uint32_t ttl;
    Bytes rdata;
  };

  static std::string key(const Name& n) { return n.lowercased().to_text(); }
  static std::string key(const char* text) { return key(name(text)); }

  void respond(FakeResolver& self, const DecodedMessage& q, const udp::endpoint& to) {
    switch (mode) {
      case Mode::kSilent:
        return;
      case Mode::kServFail:
        return self.send(Reply{.query = q, .rcode = Rcode::ServFail}.wire(), to);
      case Mode::kRefused:
        return self.send(Reply{.query = q, .rcode = Rcode::Refused}.wire(), to);
      case Mode::kAnswer:
        break;
    }
    std::vector<RR> answer;
    Name current = q.questions.at(0).qname;
    const RRType qtype = q.questions.at(0).qtype;
    for (int hops = 0; hops < 16; ++hops) {
      auto it = records_.find(key(current));
      if (it == records_.end()) return negative(self, q, to, Rcode::NXDomain, answer);
      bool found = false;
      const Stored* alias = nullptr;
      for (const Stored& s : it->second) {
        if (s.type == qtype) {
          answer.push_back({s.owner.c_str(), s.type, s.ttl, s.rdata});
          found = true;
        }
        if (s.type == RRType::CNAME) alias = &s;
      }
      if (found || !alias) {
        if (!found) return negative(self, q, to, Rcode::NoError, answer);
        break;
      }
      answer.push_back({alias->owner.c_str(), alias->type, alias->ttl, alias->rdata});
      if (!chase) break;
      current = *Name::from_wire(alias->rdata);
    }
    self.send(Reply{.query = q, .answer = answer}.wire(), to);
  }

  void negative(FakeResolver& self, const DecodedMessage& q, const udp::endpoint& to, Rcode rcode,
                const std::vector<RR>& answer) {
    self.send(Reply{.query = q,
                    .rcode = rcode,
                    .answer = answer,
                    .authority = {{"example.", RRType::SOA, 3600, soa(negative_ttl)}}}
                  .wire(),
              to);
  }

  FakeResolver fake_;
  std::map<std::string, std::vector<Stored>> records_;
};

// Wall-clock milliseconds that run with real time, plus whatever a test adds.
class TestClock {
 public:
  std::int64_t now() const { return system_now_ms() + offset_.load(); }
  void advance(std::chrono::milliseconds by) { offset_ += by.count(); }
  WallClock wall_clock() {
    return [this] { return now(); };
  }

 private:
  std::atomic<std::int64_t> offset_{0};
};

// A policy for tests: the defaults, with no jitter and a scheduler that notices clock moves
// within 10 ms.
inline FlattenPolicy test_policy() {
  FlattenPolicy p;
  p.jitter_fraction = 0.0;
  p.clock_check_interval = std::chrono::milliseconds(10);
  return p;
}

inline UpstreamOptions upstream_options(const udp::endpoint& resolver) {
  UpstreamOptions o;
  o.resolvers = {resolver};
  o.try_timeout = std::chrono::milliseconds(200);
  o.tries = 1;
  o.max_queries_per_second = 0;
  return o;
}

// Records every table published.
struct Published {
  std::vector<AliasTablePtr> tables;

  Flattener::Publish sink() {
    return [this](AliasTablePtr t) { tables.push_back(std::move(t)); };
  }
  const AliasTable& latest() const {
    REQUIRE_FALSE(tables.empty());
    return *tables.back();
  }
  // The result serving the ALIAS at owner pointing at target, or null (pending).
  const AliasResult* find(const char* owner, const char* target) const {
    if (tables.empty()) return nullptr;
    return latest().find(name(owner).wire_view(), TargetRegistry::key_of(name(target)));
  }
};

// The addresses of a family result as text, in table order.
inline std::vector<std::string> addresses(const AliasFamilyResult& r) {
  std::vector<std::string> out;
  const auto& data = r.addresses.rdata;
  for (std::size_t pos = 0; pos + 2 <= data.size();) {
    const std::size_t len = static_cast<std::size_t>(data[pos]) << 8 | data[pos + 1];
    out.push_back(address_text(Bytes(data.begin() + static_cast<std::ptrdiff_t>(pos + 2),
                                     data.begin() + static_cast<std::ptrdiff_t>(pos + 2 + len))));
    pos += 2 + len;
  }
  return out;
}

using Strings = std::vector<std::string>;

// Runs io until done() holds, for at most limit.
inline bool run_until(asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds limit = std::chrono::milliseconds(2000)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < deadline)
    io.run_one_for(std::chrono::milliseconds(5));
  return done();
}

// Runs io for a while, whatever happens.
inline void run_for(asio::io_context& io, std::chrono::milliseconds span) {
  const auto deadline = std::chrono::steady_clock::now() + span;
  while (std::chrono::steady_clock::now() < deadline) io.run_one_for(std::chrono::milliseconds(5));
}

inline AliasSpec alias(const char* owner, const char* target, std::uint32_t ttl = 3600) {
  AliasSpec spec;
  spec.owner = name(owner);
  spec.target = name(target);
  spec.ttl = ttl;
  return spec;
}

inline const TargetState* state_of(const std::vector<TargetState>& states, const char* target) {
  for (const auto& s : states)
    if (s.target == name(target)) return &s;
  return nullptr;
}

}  // namespace apex::flatten::test
