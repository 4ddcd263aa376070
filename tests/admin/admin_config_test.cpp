// Specification of apexctl's configuration: [zone_defaults] and [serial] of the TOML file.
#include "admin/admin_config.hpp"

#include <doctest/doctest.h>

#include "tests/admin/apexctl_fixture.hpp"

namespace apex::testing {

using admin::AdminConfig;
using admin::load_admin_config;
using admin::SerialPolicy;

TEST_SUITE("admin config") {
  TEST_CASE("built-in defaults") {
    const AdminConfig config;
    CHECK(config.zone_template.mname == "ns1");
    CHECK(config.zone_template.rname == "hostmaster");
    CHECK(config.zone_template.refresh == 7200);
    CHECK(config.zone_template.retry == 3600);
    CHECK(config.zone_template.expire == 1209600);
    CHECK(config.zone_template.minimum == 300);
    CHECK(config.zone_template.ttl == 3600);
    CHECK(config.zone_template.ns == std::vector<std::string>{"ns1"});
    CHECK(config.record_ttl == 3600);
    CHECK(config.serial == SerialPolicy::kIncrement);
  }

  TEST_CASE("reads its sections and ignores the others") {
    Apexctl ctl;
    const auto path = ctl.write_file("a.toml",
                                     "[server]\nthreads = 4\n[flatten]\nanything = 1\n"
                                     "[zone_defaults]\nns = [\"a.ns.example.\", \"b\"]\n"
                                     "minimum = 30\n[serial]\npolicy = \"date\"\n");
    auto config = load_admin_config(path);
    REQUIRE_MESSAGE(config.ok(), config.error());
    CHECK(config->zone_template.ns == std::vector<std::string>{"a.ns.example.", "b"});
    CHECK(config->zone_template.minimum == 30);
    CHECK(config->zone_template.mname == "ns1");
    CHECK(config->serial == SerialPolicy::kDate);
  }

  TEST_CASE("errors name the file, section and key") {
    Apexctl ctl;
    auto error_of = [&](const std::string& text) {
      const auto path = ctl.write_file("bad.toml", text);
      auto config = load_admin_config(path);
      REQUIRE_FALSE(config.ok());
      return config.error().substr(path.string().size());
    };
    CHECK(error_of("[zone_defaults]\nttl = 2147483648\n") ==
          ": [zone_defaults] ttl: must be an integer from 0 to 2147483647");
    CHECK(error_of("[zone_defaults]\nrefresh = \"1h\"\n") ==
          ": [zone_defaults] refresh: must be an integer from 0 to 4294967295");
    CHECK(error_of("[zone_defaults]\nns = []\n") ==
          ": [zone_defaults] ns: must be a non-empty array of names");
    CHECK(error_of("[zone_defaults]\nmnmae = \"x\"\n") ==
          ": [zone_defaults] mnmae: unknown setting");
    CHECK(error_of("[serial]\npolicy = \"weekly\"\n") ==
          ": [serial] policy: must be \"increment\" or \"date\"");
    CHECK(error_of("[zone_defaults]\nmname = \"bad..name\"\n") ==
          ": [zone_defaults] SOA mname: invalid name 'bad..name': empty label");
    CHECK(error_of("[zone_defaults]\nns = [\"b\xC3\xBC"
                   "cher\"]\n")
              .starts_with(": [zone_defaults] NS 'b\xC3\xBC"
                           "cher': non-ASCII characters"));
    CHECK(error_of("[zone_defaults\n").starts_with(":1: "));
  }

  TEST_CASE("apexctl: a bad or missing --config is a usage error, exit 2, before any change") {
    Apexctl ctl;
    ctl.init_with_example();
    const auto path = ctl.write_file("bad.toml", "[serial]\npolicy = 1\n");
    auto r = ctl.run({"--config", path.string(), "zone", "add", "shop.test"});
    CHECK(r.code == 2);
    CHECK(r.err ==
          "apexctl: " + path.string() + ": [serial] policy: must be \"increment\" or \"date\"\n");
    r = ctl.run({"--config", ctl.path("missing.toml").string(), "zone", "list"});
    CHECK(r.code == 2);
    CHECK(r.err ==
          "apexctl: " + ctl.path("missing.toml").string() + ": no such configuration file\n");
    CHECK_FALSE(contains(ctl.run({"zone", "list"}).out, "shop.test"));
  }
}

}  // namespace apex::testing
