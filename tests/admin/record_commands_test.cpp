// Specification of apexctl record add|delete|list: each change is validated against the whole
// zone, moves the SOA serial forward, and a refused change leaves the database as it was.
#include "admin/record_commands.hpp"

#include <doctest/doctest.h>

#include "tests/admin/apexctl_fixture.hpp"

namespace apex::testing {
namespace {

// The SOA line of example.com. in a snapshot, for checking the serial.
std::string soa_of(const std::string& snapshot) {
  const auto at = snapshot.find("example.com. 3600 SOA ");
  return snapshot.substr(at, snapshot.find('\n', at) - at);
}

std::string soa_with_serial(std::uint32_t serial) {
  return "example.com. 3600 SOA ns1.example.com. hostmaster.example.com. " +
         std::to_string(serial) + " 7200 3600 1209600 300";
}

// Runs a command that must be refused (exit 1) without changing the database; returns stderr.
std::string refused(const Apexctl& ctl, std::vector<std::string> args) {
  return ctl.refused(std::move(args));
}

}  // namespace

TEST_SUITE("record add") {
  TEST_CASE("adds to the closest enclosing zone with the default TTL, and bumps the serial") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"record", "add", "ftp.example.com", "A", "192.0.2.30"});
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(r.out ==
          "added ftp.example.com. 3600 IN A 192.0.2.30\nzone example.com. serial 2024010102\n");
    const std::string snapshot = ctl.snapshot();
    CHECK(contains(snapshot, "ftp.example.com. 3600 A 192.0.2.30\n"));
    CHECK(soa_of(snapshot) == soa_with_serial(2024010102));
  }

  TEST_CASE("names in RDATA are absolute, with or without the dot; --ttl sets a new RRset's TTL") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"record", "add", "example.com.", "MX", "20", "mail2.example.com"});
    CHECK(r.code == 0);
    r = ctl.run({"record", "add", "mail2.example.com.", "A", "192.0.2.21", "--ttl", "600"});
    CHECK(r.code == 0);
    const std::string snapshot = ctl.snapshot();
    CHECK(contains(snapshot, "example.com. 3600 MX 20 mail2.example.com.\n"));
    CHECK(contains(snapshot, "mail2.example.com. 600 A 192.0.2.21\n"));
    CHECK(soa_of(snapshot) == soa_with_serial(2024010103));
  }

  TEST_CASE("quoted strings with spaces stay one TXT string") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"record", "add", "spf.example.com", "TXT", "\"v=spf1 -all\"", "--ttl=60"});
    CHECK(r.code == 0);
    CHECK(contains(ctl.snapshot(), "spf.example.com. 60 TXT \"v=spf1 -all\"\n"));
  }

  TEST_CASE("a subzone in the database takes the records below it") {
    Apexctl ctl;
    ctl.init_with_example();
    const auto sub = ctl.write_file(
        "sub.zone",
        "$ORIGIN sub.example.com.\n$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n");
    REQUIRE(ctl.run({"zone", "import", sub.string()}).code == 0);
    auto r = ctl.run({"record", "add", "www.sub.example.com", "A", "192.0.2.40"});
    CHECK(r.code == 0);
    CHECK(contains(r.out, "zone sub.example.com. serial 2\n"));
  }

  TEST_CASE("a record joining an RRset takes the RRset's TTL; another TTL is refused") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"record", "add", "txt.example.com", "TXT", "second"});
    CHECK(r.code == 0);
    CHECK(contains(ctl.snapshot(), "txt.example.com. 300 TXT \"second\"\n"));

    auto err = refused(ctl, {"record", "add", "www.example.com", "A", "192.0.2.11", "--ttl", "60"});
    CHECK(err ==
          "apexctl: www.example.com. A already has TTL 3600 and all records of an RRset share "
          "one TTL (RFC 2181 §5.2): use --ttl 3600 or 'record set' to change the RRset's TTL\n");
  }

  TEST_CASE("CNAME conflicts are refused with the zone rule's message") {
    Apexctl ctl;
    ctl.init_with_example();
    // CNAME beside other data (RFC 1034 §3.6.2, RFC 2181 §10.1).
    auto err = refused(ctl, {"record", "add", "www.example.com", "CNAME", "mail.example.com"});
    CHECK(
        err.starts_with("apexctl: cannot add www.example.com. 3600 IN CNAME mail.example.com.: "));
    CHECK(contains(err, "CNAME"));
    // Other data beside an existing CNAME.
    err = refused(ctl, {"record", "add", "alias.example.com", "TXT", "x"});
    CHECK(contains(err, "CNAME"));
    // CNAME at the apex.
    err = refused(ctl, {"record", "add", "example.com", "CNAME", "www.example.com"});
    CHECK(contains(err, "apex"));
  }

  TEST_CASE("a name outside every stored zone is refused") {
    Apexctl ctl;
    ctl.init_with_example();
    auto err = refused(ctl, {"record", "add", "www.example.org", "A", "192.0.2.1"});
    CHECK(err == "apexctl: no zone in the database contains www.example.org.\n");
  }

  TEST_CASE("bad names, types, TTLs and RDATA are refused with what is wrong") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(refused(ctl, {"record", "add", "a..example.com", "A", "192.0.2.1"}) ==
          "apexctl: invalid name 'a..example.com': empty label\n");
    CHECK(refused(ctl, {"record", "add", "x.example.com", "BOGUS", "1"}) ==
          "apexctl: unknown record type 'BOGUS'\n");
    CHECK(refused(ctl, {"record", "add", "x.example.com", "ANY", "1"}) ==
          "apexctl: type ANY is a query type, not zone data\n");
    CHECK(refused(ctl, {"record", "add", "x.example.com", "ALIAS", "target.example.net."}) ==
          "apexctl: ALIAS records are not managed with 'record' commands: use 'apexctl alias "
          "set NAME TARGET' or 'apexctl alias delete NAME'\n");
    CHECK(contains(refused(ctl, {"record", "add", "x.example.com", "A", "1", "--ttl", "-5"}),
                   "invalid TTL '-5'"));
    CHECK(
        contains(refused(ctl, {"record", "add", "x.example.com", "A", "1", "--ttl", "2147483648"}),
                 "RFC 2181 §8"));
    CHECK(refused(ctl, {"record", "add", "x.example.com", "A", "192.0.2.300"}) ==
          "apexctl: invalid A RDATA: A address: '192.0.2.300' is not an IPv4 address\n");
  }

  TEST_CASE("a record that already exists is refused") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(refused(ctl, {"record", "add", "WWW.example.com", "A", "192.0.2.10"}) ==
          "apexctl: record already exists: WWW.example.com. 3600 IN A 192.0.2.10\n");
  }

  TEST_CASE("adding an SOA replaces the SOA; its serial still moves forward") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"record", "add", "example.com", "SOA", "ns1.example.com",
                      "hostmaster.example.com", "2030010100", "7200", "3600", "1209600", "300"});
    CHECK(r.code == 0);
    CHECK(soa_of(ctl.snapshot()) == soa_with_serial(2030010100));
    r = ctl.run({"record", "add", "example.com", "SOA", "ns1.example.com.",
                 "hostmaster.example.com.", "1", "7200", "3600", "1209600", "60"});
    CHECK(r.code == 0);
    CHECK(contains(ctl.snapshot(), "hostmaster.example.com. 2030010101 7200 3600 1209600 60\n"));
  }

  TEST_CASE("missing arguments are usage errors") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"record", "add", "www.example.com", "A"});
    CHECK(r.code == 2);
    CHECK(r.err == "apexctl: expected NAME TYPE RDATA...\nTry 'apexctl record add --help'.\n");
    CHECK(ctl.run({"record", "add", "x.example.com", "A", "192.0.2.1", "--ttl"}).code == 2);
  }
}

TEST_SUITE("record delete") {
  TEST_CASE("deletes one record by its RDATA") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"record", "add", "www.example.com", "A", "192.0.2.11"}).code == 0);
    auto r = ctl.run({"record", "delete", "www.example.com", "A", "192.0.2.10"});
    CHECK(r.code == 0);
    CHECK(r.out ==
          "deleted www.example.com. 3600 IN A 192.0.2.10\nzone example.com. serial 2024010103\n");
    const std::string snapshot = ctl.snapshot();
    CHECK_FALSE(contains(snapshot, "192.0.2.10\n"));
    CHECK(contains(snapshot, "www.example.com. 3600 A 192.0.2.11\n"));
    CHECK(contains(snapshot, "www.example.com. 3600 AAAA"));
  }

  TEST_CASE("deletes an RRset by type, or every record at a name") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"record", "delete", "www.example.com", "AAAA"});
    CHECK(r.code == 0);
    CHECK_FALSE(contains(ctl.snapshot(), "AAAA"));
    r = ctl.run({"record", "delete", "WWW.example.com"});
    CHECK(r.code == 0);
    CHECK_FALSE(contains(ctl.snapshot(), "\nwww.example.com."));
  }

  TEST_CASE("names in RDATA are absolute") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"record", "delete", "example.com", "MX", "10", "mail.example.com"});
    CHECK(r.code == 0);
    CHECK_FALSE(contains(ctl.snapshot(), " MX "));
  }

  TEST_CASE("deleting nothing is refused") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(refused(ctl, {"record", "delete", "nothing.example.com"}) ==
          "apexctl: no records at nothing.example.com. in zone example.com.\n");
    CHECK(refused(ctl, {"record", "delete", "www.example.com", "TXT"}) ==
          "apexctl: no TXT records at www.example.com. in zone example.com.\n");
    CHECK(refused(ctl, {"record", "delete", "www.example.com", "A", "192.0.2.99"}) ==
          "apexctl: no A records with that RDATA at www.example.com. in zone example.com.\n");
    CHECK(refused(ctl, {"record", "delete", "www.example.org"}) ==
          "apexctl: no zone in the database contains www.example.org.\n");
  }

  TEST_CASE("a delete that would break the zone is refused") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(contains(refused(ctl, {"record", "delete", "example.com", "SOA"}), "SOA"));
    CHECK(contains(refused(ctl, {"record", "delete", "example.com", "NS"}), "NS"));
    CHECK(contains(refused(ctl, {"record", "delete", "example.com"}), "cannot delete"));
  }
}

TEST_SUITE("record list") {
  TEST_CASE("lists a zone's records in canonical order") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"record", "list", "example.com"});
    CHECK(r.code == 0);
    CHECK(r.out.starts_with("example.com. 3600 IN NS ns1.example.com.\n"));
    CHECK(contains(r.out, "txt.example.com. 300 IN TXT \"hello world\" \"v=spf1 -all\"\n"));
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 10);
  }

  TEST_CASE("lists only one name, as text or JSON") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"record", "list", "example.com", "WWW.example.com"});
    CHECK(r.code == 0);
    CHECK(r.out ==
          "www.example.com. 3600 IN A 192.0.2.10\nwww.example.com. 3600 IN AAAA 2001:db8::10\n");
    r = ctl.run({"record", "list", "example.com", "txt.example.com", "--json"});
    CHECK(r.code == 0);
    CHECK(r.out ==
          "[\n  {\"name\": \"txt.example.com.\", \"ttl\": 300, \"class\": \"IN\", \"type\": "
          "\"TXT\", \"rdata\": \"\\\"hello world\\\" \\\"v=spf1 -all\\\"\"}\n]\n");
  }

  TEST_CASE("unknown zones and names outside the zone are refused") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"record", "list", "example.org"});
    CHECK(r.code == 1);
    CHECK(r.err == "apexctl: zone example.org. is not in the database\n");
    r = ctl.run({"record", "list", "example.com", "www"});
    CHECK(r.code == 1);
    CHECK(r.err == "apexctl: www. is not inside zone example.com.\n");
    CHECK(ctl.run({"record", "list"}).code == 2);
  }
}

}  // namespace apex::testing
