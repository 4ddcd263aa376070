// Specification of the descriptor budget: TCP connections get what the rest leaves.
#include "server/descriptor_limit.hpp"

#include <sys/resource.h>

#include <doctest/doctest.h>

using namespace apex::server;

TEST_CASE("the TCP limit shrinks to the descriptors left after the reserve") {
  Config config;
  config.threads = 2;
  config.listen.resize(1);
  config.tcp_max_connections = 1024;
  const unsigned reserved = reserved_descriptors(config);
  CHECK(reserved > 2 * 4);
  CHECK(tcp_connections_that_fit(1024, config) == 1024 - reserved);
  CHECK(tcp_connections_that_fit(1u << 20, config) == 1024);
  CHECK(tcp_connections_that_fit(reserved / 2, config) == 1);  // never 0: TCP still works
}

TEST_CASE("the soft limit is raised to the hard limit") {
  const unsigned now = raise_descriptor_limit();
  rlimit limit{};
  REQUIRE(getrlimit(RLIMIT_NOFILE, &limit) == 0);
  CHECK(limit.rlim_cur == limit.rlim_max);
  CHECK(now > 0);
}
