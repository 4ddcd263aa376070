// Specification of CSPRNG query IDs and source ports (RFC 5452 §9.2, §10).
#include <doctest/doctest.h>

#include <set>

#include "flatten/query_id_source.hpp"

using namespace apex::flatten;

TEST_CASE("source ports stay in 1024–65535 and spread over the range") {
  QueryIdSource source;
  std::set<std::uint16_t> seen;
  bool low_half = false, high_half = false;
  for (int i = 0; i < 1000; ++i) {
    auto port = source.source_port();
    REQUIRE(port.ok());
    CHECK(*port >= kMinSourcePort);
    seen.insert(*port);
    (*port < 33280 ? low_half : high_half) = true;
  }
  CHECK(seen.size() > 950);  // 1000 uniform draws from 64512 repeat ~8 times on average
  CHECK(low_half);
  CHECK(high_half);
}

TEST_CASE("query IDs vary") {
  QueryIdSource source;
  std::set<std::uint16_t> seen;
  for (int i = 0; i < 1000; ++i) {
    auto id = source.query_id();
    REQUIRE(id.ok());
    seen.insert(*id);
  }
  CHECK(seen.size() > 950);
}
