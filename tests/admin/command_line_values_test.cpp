// Specification of how apexctl reads values on its command line: names are absolute, in RDATA
// too; a TXT value without double quotes is one string; a TTL may be written in units.
#include <doctest/doctest.h>

#include "tests/admin/apexctl_fixture.hpp"

namespace apex::testing {
namespace {

std::string listed(const Apexctl& ctl, const std::string& name, const std::string& type) {
  return ctl.run({"record", "list", "example.com", name, "--type", type}).out;
}

}  // namespace

TEST_SUITE("names on the command line") {
  TEST_CASE("a name in RDATA is absolute, with or without the trailing dot") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"record", "add", "y.example.com", "MX", "10", "mail.hostco.example"}).code ==
            0);
    REQUIRE(ctl.run({"record", "add", "y.example.com", "MX", "20", "mx2.hostco.example."}).code ==
            0);
    CHECK(listed(ctl, "y.example.com", "MX") ==
          "y.example.com. 3600 IN MX 10 mail.hostco.example.\n"
          "y.example.com. 3600 IN MX 20 mx2.hostco.example.\n");
    // Inside the zone, the same: the name as written.
    REQUIRE(ctl.run({"record", "add", "go.example.com", "CNAME", "www.example.com"}).code == 0);
    CHECK(listed(ctl, "go.example.com", "CNAME") ==
          "go.example.com. 3600 IN CNAME www.example.com.\n");
  }

  TEST_CASE("'@' is the apex of the zone the record goes to") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"record", "add", "apex.example.com", "CNAME", "@"}).code == 0);
    CHECK(listed(ctl, "apex.example.com", "CNAME") ==
          "apex.example.com. 3600 IN CNAME example.com.\n");
  }

  TEST_CASE("a single label is refused: it would be a top-level name") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.refused({"record", "add", "example.com", "MX", "10", "mail"}) ==
          "apexctl: invalid MX RDATA: exchange 'mail': names on the command line are absolute, "
          "so this would be the top-level name 'mail.'; write the whole name "
          "(mail.example.com.), or 'mail.' if that is meant\n");
    // Written with its dot, it is what was asked for.
    REQUIRE(ctl.run({"record", "add", "t.example.com", "CNAME", "localhost."}).code == 0);
    CHECK(listed(ctl, "t.example.com", "CNAME") == "t.example.com. 3600 IN CNAME localhost.\n");
  }

  TEST_CASE("apply files are command lines: names are absolute there too") {
    Apexctl ctl;
    ctl.init_with_example();
    const auto script =
        ctl.write_file("batch.txt",
                       "record add y.example.com MX 10 mail.hostco.example\n"
                       "record set z.example.com SRV --rdata '0 5 443 svc.hostco.example'\n");
    REQUIRE(ctl.run({"apply", script.string()}).code == 0);
    CHECK(listed(ctl, "y.example.com", "MX") ==
          "y.example.com. 3600 IN MX 10 mail.hostco.example.\n");
    CHECK(listed(ctl, "z.example.com", "SRV") ==
          "z.example.com. 3600 IN SRV 0 5 443 svc.hostco.example.\n");
  }

  TEST_CASE("zone files keep master-file rules: names are relative to $ORIGIN") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    const auto file = ctl.write_file("example.com.zone", kExampleZone);
    REQUIRE(ctl.run({"zone", "import", file.string()}).code == 0);
    CHECK(listed(ctl, "example.com", "MX") == "example.com. 3600 IN MX 10 mail.example.com.\n");
  }
}

TEST_SUITE("TXT values") {
  TEST_CASE("one argument without double quotes is one string, spaces and all") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(
        ctl.run({"record", "add", "example.com", "TXT", "v=spf1 include:_spf.hostco.example -all"})
            .code == 0);
    CHECK(listed(ctl, "example.com", "TXT") ==
          "example.com. 3600 IN TXT \"v=spf1 include:_spf.hostco.example -all\"\n");
  }

  TEST_CASE("several arguments without double quotes are joined by spaces into one string") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"record", "add", "t.example.com", "TXT", "hello", "world"}).code == 0);
    CHECK(listed(ctl, "t.example.com", "TXT") == "t.example.com. 3600 IN TXT \"hello world\"\n");
  }

  TEST_CASE("backslashes and semicolons are text, not escapes") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"record", "add", "k._domainkey.example.com", "TXT", "v=DKIM1; p=a\\b"}).code ==
            0);
    CHECK(listed(ctl, "k._domainkey.example.com", "TXT") ==
          "k._domainkey.example.com. 3600 IN TXT \"v=DKIM1; p=a\\\\b\"\n");
  }

  TEST_CASE("with inner double quotes it is master-file text: each quoted string is one") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"record", "add", "t.example.com", "TXT", "\"a b\" \"c\""}).code == 0);
    CHECK(listed(ctl, "t.example.com", "TXT") == "t.example.com. 3600 IN TXT \"a b\" \"c\"\n");
  }

  TEST_CASE("longer than 255 octets: split into 255-octet strings (RFC 7208 §3.3), no other") {
    Apexctl ctl;
    ctl.init_with_example();
    const std::string value = "v=DKIM1; k=rsa; p=" + std::string(300, 'A');  // 318 octets
    REQUIRE(ctl.run({"record", "add", "long.example.com", "TXT", value}).code == 0);
    CHECK(listed(ctl, "long.example.com", "TXT") == "long.example.com. 3600 IN TXT \"" +
                                                        value.substr(0, 255) + "\" \"" +
                                                        value.substr(255) + "\"\n");
  }

  TEST_CASE("record delete and record set --rdata read TXT values the same way") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"record", "set", "s.example.com", "TXT", "--rdata", "v=spf1 -all", "--rdata",
                     "google-site-verification=abc"})
                .code == 0);
    CHECK(listed(ctl, "s.example.com", "TXT") ==
          "s.example.com. 3600 IN TXT \"v=spf1 -all\"\n"
          "s.example.com. 3600 IN TXT \"google-site-verification=abc\"\n");
    REQUIRE(ctl.run({"record", "delete", "s.example.com", "TXT", "v=spf1 -all"}).code == 0);
    CHECK(listed(ctl, "s.example.com", "TXT") ==
          "s.example.com. 3600 IN TXT \"google-site-verification=abc\"\n");
  }
}

TEST_SUITE("TTL values") {
  TEST_CASE("--ttl takes seconds or units as zone files do: 1h, 30m, 1d, 1w, 1h30m") {
    Apexctl ctl;
    ctl.init_with_example();
    const std::pair<const char*, const char*> cases[] = {
        {"1h", "3600"},    {"30m", "1800"}, {"1d", "86400"}, {"1w", "604800"},
        {"1h30m", "5400"}, {"90", "90"},    {"2H5S", "7205"}};
    int i = 0;
    for (const auto& [text, seconds] : cases) {
      const std::string name = "t" + std::to_string(i++) + ".example.com";
      REQUIRE(ctl.run({"record", "add", name, "A", "192.0.2.1", "--ttl", text}).code == 0);
      CHECK(listed(ctl, name, "A") == name + ". " + seconds + " IN A 192.0.2.1\n");
    }
  }

  TEST_CASE("record set and alias set take units too") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"record", "set", "www.example.com", "A", "192.0.2.10", "--ttl=5m"}).code == 0);
    CHECK(listed(ctl, "www.example.com", "A") == "www.example.com. 300 IN A 192.0.2.10\n");
    REQUIRE(
        ctl.run({"alias", "set", "shop.example.com", "lb.cdn.example.net", "--ttl", "2m"}).code ==
        0);
    CHECK(listed(ctl, "shop.example.com", "ALIAS") ==
          "shop.example.com. 120 IN ALIAS lb.cdn.example.net.\n");
  }

  TEST_CASE("malformed or too long times are refused, naming the value") {
    Apexctl ctl;
    ctl.init_with_example();
    for (const char* bad : {"1x", "h", "1h30", "", "69y", "3w99999d"}) {
      CHECK(ctl.refused({"record", "add", "t.example.com", "A", "192.0.2.1", "--ttl", bad}) ==
            "apexctl: invalid TTL '" + std::string(bad) +
                "': expected seconds from 0 to 2147483647 (RFC 2181 §8), or a time such as 30m, "
                "1h30m, 1d or 1w\n");
    }
  }
}

}  // namespace apex::testing
