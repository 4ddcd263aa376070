// Specification of resolv.conf reading: nameserver lines only, bad addresses skipped.
#include "server/resolv_conf.hpp"

#include <doctest/doctest.h>

#include <fstream>

#include "tests/storage/temp_directory.hpp"

TEST_CASE("nameserver lines give port-53 endpoints in file order") {
  apex::testing::TempDirectory dir;
  std::ofstream(dir / "resolv.conf") << "# comment\nsearch example\nnameserver 192.0.2.53\n"
                                        "nameserver not-an-ip\nnameserver ::1\noptions ndots:2\n";
  auto servers = apex::server::resolv_conf_nameservers(dir / "resolv.conf");
  REQUIRE(servers.size() == 2);
  CHECK(servers[0].address().to_string() == "192.0.2.53");
  CHECK(servers[0].port() == 53);
  CHECK(servers[1].address().is_v6());
  CHECK(apex::server::resolv_conf_nameservers(dir / "missing").empty());
}
