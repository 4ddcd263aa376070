// Specification of apexctl's configuration: [zone_defaults], [serial] and [import] of the TOML
// file.
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
    CHECK(config.import_limits.max_zone_octets == 512u << 20);
    CHECK(config.import_limits.max_line_octets == 64u << 10);
    CHECK(config.import_limits.max_records == 1'000'000);
    CHECK(config.import_limits.max_rrset_records == 5'000);
  }

  TEST_CASE("[import] sets the limits on imported master files; 0 is no limit") {
    Apexctl ctl;
    const auto path = ctl.write_file("a.toml",
                                     "[import]\nmax_zone_size = 1073741824\nmax_line_length = 0\n"
                                     "max_records = 20000000\nmax_rrset_records = 100\n");
    auto config = load_admin_config(path);
    REQUIRE_MESSAGE(config.ok(), config.error());
    CHECK(config->import_limits.max_zone_octets == 1073741824);
    CHECK(config->import_limits.max_line_octets == 0);
    CHECK(config->import_limits.max_records == 20'000'000);
    CHECK(config->import_limits.max_rrset_records == 100);
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
    CHECK(error_of("[import]\nmax_records = -1\n") ==
          ": [import] max_records: must be an integer from 0 (no limit) up");
    CHECK(error_of("[import]\nmax_line_length = \"64k\"\n") ==
          ": [import] max_line_length: must be an integer from 0 (no limit) up");
    CHECK(error_of("[import]\nallow_include = \"/\"\n") ==
          ": [import] allow_include: unknown setting");
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

TEST_CASE("without --config, apexctl reads the file $APEXDNS_CONFIG names; --config wins") {
  Apexctl ctl;
  REQUIRE(ctl.run({"init"}).code == 0);
  const auto env_file = ctl.write_file("env.toml", "[zone_defaults]\nrecord_ttl = 120\n");
  const auto flag_file = ctl.write_file("flag.toml", "[zone_defaults]\nrecord_ttl = 240\n");
  ctl.env.variables["APEXDNS_CONFIG"] = env_file.string();
  REQUIRE(ctl.run({"zone", "add", "a.test"}).code == 0);
  REQUIRE(ctl.run({"record", "add", "www.a.test", "A", "192.0.2.1"}).code == 0);
  REQUIRE(ctl.run({"--config", flag_file.string(), "record", "add", "ftp.a.test", "A",
                   "192.0.2.2"})
              .code == 0);
  const std::string zone = ctl.snapshot();
  CHECK(contains(zone, "www.a.test. 120 A 192.0.2.1"));
  CHECK(contains(zone, "ftp.a.test. 240 A 192.0.2.2"));
  ctl.env.variables["APEXDNS_CONFIG"] = ctl.path("missing.toml").string();
  CHECK(ctl.run({"zone", "list"}).code == 2);  // named but missing: an error, not defaults
}

}  // namespace apex::testing
