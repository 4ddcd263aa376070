// Specification of apexctl apply: many change commands in one transaction.
#include <doctest/doctest.h>

#include "tests/admin/apexctl_fixture.hpp"

namespace apex::testing {

TEST_SUITE("apply") {
  TEST_CASE("runs every line in order in one transaction, one serial bump per zone") {
    Apexctl ctl;
    ctl.init_with_example();
    const auto script = ctl.write_file("changes.txt",
                                       "# provisioning batch 42\n"
                                       "\n"
                                       "zone add shop.test\n"
                                       "record add ns1.shop.test A 198.51.100.1   # its address\n"
                                       "record add shop.test TXT \"v=spf1 -all\"\n"
                                       "record set www.shop.test A --rdata '198.51.100.10' "
                                       "--rdata 198.51.100.11 --ttl 300\n"
                                       "\trecord add www.example.com A 192.0.2.11\n"
                                       "record add www.example.com A 192.0.2.12\n"
                                       "record delete alias.example.com\n");
    auto r = ctl.run({"--actor", "provisioner", "apply", script.string()});
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(r.out == "applied 7 commands from " + script.string() +
                       "\n"
                       "zone example.com.: serial 2024010101 -> 2024010102, +2 -1 records\n"
                       "zone shop.test.: created, serial 1, 6 records\n");
    CHECK(ctl.run({"record", "list", "shop.test"}).out ==
          "shop.test. 3600 IN NS ns1.shop.test.\n"
          "shop.test. 3600 IN SOA ns1.shop.test. hostmaster.shop.test. 1 7200 3600 1209600 300\n"
          "shop.test. 3600 IN TXT \"v=spf1 -all\"\n"
          "ns1.shop.test. 3600 IN A 198.51.100.1\n"
          "www.shop.test. 300 IN A 198.51.100.10\n"
          "www.shop.test. 300 IN A 198.51.100.11\n");
    // One change-log entry per zone, operation "apply".
    auto log = ctl.run({"log", "--json", "--limit", "2"});
    CHECK(contains(log.out,
                   "\"zone\": \"shop.test.\", \"actor\": \"provisioner\", \"operation\": "
                   "\"apply\""));
    CHECK(contains(log.out,
                   "\"zone\": \"example.com.\", \"actor\": \"provisioner\", "
                   "\"operation\": \"apply\""));
    CHECK(ctl.change_count() == 3);
  }

  TEST_CASE("50 changes to one zone bump its serial once") {
    Apexctl ctl;
    ctl.init_with_example();
    std::string text;
    for (int i = 0; i < 50; ++i) {
      text +=
          "record add h" + std::to_string(i) + ".example.com A 192.0.2." + std::to_string(i) + "\n";
    }
    auto r = ctl.run({"apply", ctl.write_file("many.txt", text).string()});
    CHECK(r.code == 0);
    CHECK(contains(r.out, "zone example.com.: serial 2024010101 -> 2024010102, +50 -0 records\n"));
    CHECK(ctl.change_count() == 2);
  }

  TEST_CASE("later lines see earlier ones; a zone valid only at the end is accepted") {
    Apexctl ctl;
    ctl.init_with_example();
    // Replacing www's addresses with a CNAME: invalid after line 1 alone, valid after line 3.
    const auto script = ctl.write_file("swap.txt",
                                       "record add www.example.com CNAME mail.example.com\n"
                                       "record delete www.example.com A\n"
                                       "record delete www.example.com AAAA\n");
    auto r = ctl.run({"apply", script.string()});
    CHECK(r.code == 0);
    CHECK(ctl.run({"record", "list", "example.com", "www.example.com"}).out ==
          "www.example.com. 3600 IN CNAME mail.example.com.\n");
  }

  TEST_CASE("a zone deleted and re-added keeps its serial moving forward") {
    Apexctl ctl;
    ctl.init_with_example();
    const auto script = ctl.write_file("readd.txt",
                                       "zone delete example.com\n"
                                       "zone add example.com\n"
                                       "record add ns1.example.com A 192.0.2.1\n");
    auto r = ctl.run({"apply", script.string()});
    CHECK(r.code == 0);
    // The template's SOA differs from the old one only in its serial; NS ns1 and ns1's address
    // are as before: what changed is the 7 records that are gone.
    CHECK(contains(r.out, "zone example.com.: serial 2024010101 -> 2024010102, +0 -7 records\n"));
  }

  TEST_CASE("reads standard input for '-'") {
    Apexctl ctl;
    ctl.init_with_example();
    ctl.env.stdin_text = "record add ftp.example.com A 192.0.2.30\n";
    auto r = ctl.run({"apply", "-"});
    CHECK(r.code == 0);
    CHECK(r.out ==
          "applied 1 commands from <stdin>\n"
          "zone example.com.: serial 2024010101 -> 2024010102, +1 -0 records\n");
  }

  TEST_CASE("--dry-run validates and reports, and writes nothing") {
    Apexctl ctl;
    ctl.init_with_example();
    ctl.env.stdin_text = "zone add shop.test\nrecord add ns1.shop.test A 198.51.100.1\n";
    const std::string before = ctl.snapshot() + ctl.change_log();
    auto r = ctl.run({"apply", "-", "--dry-run"});
    CHECK(r.code == 0);
    CHECK(r.out ==
          "dry run: would apply 2 commands from <stdin>; nothing was written\n"
          "zone shop.test.: created, serial 1, 3 records\n");
    CHECK(ctl.snapshot() + ctl.change_log() == before);
  }

  TEST_CASE("an error names FILE:LINE, exits 1, and nothing is written") {
    Apexctl ctl;
    ctl.init_with_example();
    const auto path = [&](const std::string& text) {
      return ctl.write_file("bad.txt", "zone add shop.test\n# comment\n" + text).string();
    };
    const std::string file = ctl.path("bad.txt").string();
    CHECK(ctl.refused({"apply", path("record add www.example.com A 192.0.2.300\n")}) ==
          "apexctl: " + file +
              ":3: invalid A RDATA: A address: '192.0.2.300' is not an IPv4 address\n");
    CHECK(ctl.refused({"apply", path("record add www.example.com A\n")}) ==
          "apexctl: " + file +
              ":3: record add: expected NAME TYPE RDATA... (see 'apexctl record add --help')\n");
    CHECK(ctl.refused({"apply", path("zone list\n")}) ==
          "apexctl: " + file +
              ":3: 'zone list' is not a change command (apply takes zone add|delete|import, "
              "record add|set|delete and alias set|delete)\n");
    CHECK(ctl.refused({"apply", path("apexctl record add x.example.com A 192.0.2.1\n")}) ==
          "apexctl: " + file + ":3: leave out the word 'apexctl': write 'record add ...'\n");
    CHECK(ctl.refused({"apply", path("record add x.example.com TXT \"open\n")}) ==
          "apexctl: " + file + ":3: unterminated quoted string\n");
    CHECK(ctl.refused({"apply", path("record delete nothing.example.com\n")}) ==
          "apexctl: " + file + ":3: no records at nothing.example.com. in zone example.com.\n");
    CHECK(ctl.refused({"apply", path("zone add shop.test\n")}) ==
          "apexctl: " + file + ":3: zone shop.test. already exists\n");
    CHECK(ctl.refused({"apply", path("record delete shop.test NS\n")}) ==
          "apexctl: " + file +
              ":3: cannot delete shop.test. 3600 IN NS ns1.shop.test.: zone shop.test.: no NS "
              "records at the apex\n");
  }

  TEST_CASE("usage") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.run({"apply"}).code == 2);
    auto r = ctl.run({"apply", ctl.path("missing.txt").string()});
    CHECK(r.code == 1);
    CHECK(r.err == "apexctl: " + ctl.path("missing.txt").string() + ": cannot open for reading\n");
    ctl.env.stdin_text = "";
    r = ctl.run({"apply", "-"});
    CHECK(r.code == 0);
    CHECK(r.out == "applied 0 commands from <stdin>\n");
  }
}

}  // namespace apex::testing
