// Specification of the alias settings apexctl stores: fallback addresses and health checks as
// typed values, whatever form they were given in, and their one text form.
#include "admin/alias_settings.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

namespace apex::admin {
namespace {

const Name kOwner = Name::from_text("example.com.").value();

// The --fallback values as stored, shown in their text form.
Result<std::string> fallback(std::vector<std::string> values) {
  storage::AliasSettings settings{kOwner, {{192, 0, 2, 99}}, {}, std::nullopt};
  auto set = set_fallback_argument(values, settings);
  if (!set) return Error{set.error()};
  return fallback_text(settings);
}

storage::AliasSettings settings(std::vector<std::string> fallbacks,
                                std::optional<std::uint16_t> port) {
  storage::AliasSettings s{kOwner, {}, {}, port};
  REQUIRE(set_fallback_argument(fallbacks, s).ok());
  return s;
}

}  // namespace

TEST_SUITE("alias settings") {
  TEST_CASE("fallback addresses: distinct, IPv4 first, each family in octet order, RFC 5952") {
    CHECK(fallback({}).value().empty());  // replaces what was there
    CHECK(fallback({"192.0.2.10"}).value() == "192.0.2.10");
    CHECK(fallback({"2001:DB8:0:0:0:0:0:1,192.0.2.10,192.0.2.9", "192.0.2.10"}).value() ==
          "192.0.2.9,192.0.2.10,2001:db8::1");
    CHECK(fallback({"::ffff:192.0.2.1"}).value() == "::ffff:192.0.2.1");
    const auto typed = settings({"2001:db8::1,192.0.2.10,192.0.2.9"}, std::nullopt);
    CHECK(typed.fallback_a ==
          std::vector<std::vector<std::uint8_t>>{{192, 0, 2, 9}, {192, 0, 2, 10}});
    REQUIRE(typed.fallback_aaaa.size() == 1);
    CHECK(typed.fallback_aaaa[0].size() == 16);
    CHECK(fallback_texts(typed) ==
          std::vector<std::string>{"192.0.2.9", "192.0.2.10", "2001:db8::1"});
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

  TEST_CASE("health checks: tcp:PORT, PORT 1-65535, in any case, leading zeros allowed") {
    CHECK(health_argument("tcp:443").value() == 443);
    CHECK(health_argument("TCP:0443").value() == 443);
    CHECK(health_argument("tcp:65535").value() == 65535);
    CHECK(health_text(settings({}, 443)) == "tcp:443");
    CHECK(health_text(settings({}, std::nullopt)).empty());
    for (const char* bad : {"", "tcp", "tcp:", "tcp:0", "tcp:65536", "tcp:-1", "tcp:4x", "udp:53",
                            "http:80", "tcp::443", " tcp:443"}) {
      CAPTURE(bad);
      CHECK(health_argument(bad).error() == std::string("invalid health check '") + bad +
                                                "': expected tcp:PORT with PORT from 1 to 65535");
    }
  }

  TEST_CASE("comma-separated lists split into entries") {
    CHECK(split_list("").empty());
    CHECK(split_list("a,b") == std::vector<std::string>{"a", "b"});
    CHECK(split_list("a,") == std::vector<std::string>{"a", ""});
  }

  TEST_CASE("settings as text, and when two are the same") {
    CHECK(settings_text(settings({}, std::nullopt)).empty());
    CHECK(settings_text(settings({"192.0.2.1"}, std::nullopt)) == "fallback 192.0.2.1");
    CHECK(settings_text(settings({}, 443)) == "health tcp:443");
    CHECK(settings_text(settings({"2001:db8::1", "192.0.2.1"}, 443)) ==
          "fallback 192.0.2.1,2001:db8::1; health tcp:443");
    CHECK(!has_settings(settings({}, std::nullopt)));
    CHECK(has_settings(settings({}, 1)));
    auto other_case = settings({"192.0.2.1"}, std::nullopt);
    other_case.owner = Name::from_text("EXAMPLE.com.").value();
    CHECK(same_settings(settings({"192.0.2.1"}, std::nullopt), other_case));
    CHECK(!same_settings(settings({"192.0.2.1"}, std::nullopt), settings({"192.0.2.1"}, 1)));
    CHECK(!same_settings(settings({"192.0.2.1"}, std::nullopt),
                         settings({"2001:db8::1"}, std::nullopt)));
  }
}

}  // namespace apex::admin
