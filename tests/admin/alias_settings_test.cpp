// Specification of the alias settings apexctl stores: fallback addresses and health checks in
// one canonical text form, whatever form they were given in.
#include "admin/alias_settings.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace apex::admin {
namespace {

Result<std::string> fallback(std::vector<std::string> values) {
  return fallback_argument(values);
}

}  // namespace

TEST_SUITE("alias settings") {
  TEST_CASE("fallback addresses: distinct, IPv4 first, each family in octet order, RFC 5952") {
    CHECK(fallback({}).value().empty());
    CHECK(fallback({"192.0.2.10"}).value() == "192.0.2.10");
    CHECK(fallback({"2001:DB8:0:0:0:0:0:1,192.0.2.10,192.0.2.9", "192.0.2.10"}).value() ==
          "192.0.2.9,192.0.2.10,2001:db8::1");
    CHECK(fallback({"::ffff:192.0.2.1"}).value() == "::ffff:192.0.2.1");
  }

  TEST_CASE("a fallback entry that is no address is named") {
    CHECK(fallback({"192.0.2.1", "192.0.2.1,fe80::1%eth0"}).error() ==
          "invalid fallback address 'fe80::1%eth0': expected an IPv4 or IPv6 address");
    CHECK(fallback({"192.0.2.1 "}).error() ==
          "invalid fallback address '192.0.2.1 ': expected an IPv4 or IPv6 address");
    CHECK(fallback({",192.0.2.1"}).error() ==
          "invalid fallback address '': expected an IPv4 or IPv6 address");
    CHECK(fallback({""}).error() ==
          "invalid fallback address '': expected an IPv4 or IPv6 address");
  }

  TEST_CASE("health checks: tcp:PORT, PORT 1-65535, stored in lower case without zeros") {
    CHECK(health_argument("tcp:443").value() == "tcp:443");
    CHECK(health_argument("TCP:0443").value() == "tcp:443");
    CHECK(health_argument("tcp:65535").value() == "tcp:65535");
    for (const char* bad : {"", "tcp", "tcp:", "tcp:0", "tcp:65536", "tcp:-1", "tcp:4x", "udp:53",
                            "http:80", "tcp::443", " tcp:443"}) {
      CAPTURE(bad);
      CHECK(health_argument(bad).error() == std::string("invalid health check '") + bad +
                                                "': expected tcp:PORT with PORT from 1 to 65535");
    }
  }

  TEST_CASE("stored lists split into entries, and into the addresses of one family") {
    CHECK(split_list("").empty());
    CHECK(split_list("a,b") == std::vector<std::string>{"a", "b"});
    auto v4 = addresses_of_family("192.0.2.1,2001:db8::1,192.0.2.2", RRType::A).value();
    CHECK(v4 == std::vector<std::vector<std::uint8_t>>{{192, 0, 2, 1}, {192, 0, 2, 2}});
    auto v6 = addresses_of_family("192.0.2.1,2001:db8::1", RRType::AAAA).value();
    REQUIRE(v6.size() == 1);
    CHECK(v6[0].size() == 16);
    CHECK(addresses_of_family("192.0.2.1,bogus", RRType::A).error() ==
          "'bogus' is not an IPv4 or IPv6 address");
  }

  TEST_CASE("settings as text, and when two are the same") {
    const Name owner = Name::from_text("example.com.").value();
    CHECK(settings_text({owner, "", ""}).empty());
    CHECK(settings_text({owner, "192.0.2.1", ""}) == "fallback 192.0.2.1");
    CHECK(settings_text({owner, "", "tcp:443"}) == "health tcp:443");
    CHECK(settings_text({owner, "192.0.2.1,2001:db8::1", "tcp:443"}) ==
          "fallback 192.0.2.1,2001:db8::1; health tcp:443");
    CHECK(!has_settings({owner, "", ""}));
    CHECK(has_settings({owner, "", "tcp:1"}));
    CHECK(same_settings({owner, "192.0.2.1", ""},
                        {Name::from_text("EXAMPLE.com.").value(), "192.0.2.1", ""}));
    CHECK(!same_settings({owner, "192.0.2.1", ""}, {owner, "192.0.2.1", "tcp:1"}));
  }
}

}  // namespace apex::admin
