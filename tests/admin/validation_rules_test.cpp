// Specification of the zone rules every change passes (RFC 1034/1035/2181 and the delegation
// rules): each rule is refused with its exact message, and the database (zones, records,
// change log) is unchanged afterwards.
#include <doctest/doctest.h>

#include "tests/admin/apexctl_fixture.hpp"

namespace apex::testing {
namespace {

const std::string kIdnHint =
    "non-ASCII characters: write internationalized names in their punycode form (xn--..., "
    "RFC 5891), e.g. as converted by 'idn2 ";

std::string zone_file(const std::string& body) {
  return "$ORIGIN z.test.\n$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n" + body;
}

// example.com. with a delegation: sub.example.com. NS ns.sub.example.com. plus its glue.
void add_delegation(const Apexctl& ctl) {
  REQUIRE(ctl.run({"record", "add", "sub.example.com", "NS", "ns.sub.example.com"}).code == 0);
  REQUIRE(ctl.run({"record", "add", "ns.sub.example.com", "A", "192.0.2.53"}).code == 0);
}

}  // namespace

TEST_SUITE("validation rules") {
  TEST_CASE("CNAME alone at its owner (RFC 1034 §3.6.2, RFC 2181 §10.1)") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.refused({"record", "add", "www.example.com", "CNAME", "mail.example.com"}) ==
          "apexctl: cannot add www.example.com. 3600 IN CNAME mail.example.com.: "
          "www.example.com.: CNAME and other data at the same name (RFC 1034 §3.6.2)\n");
    CHECK(ctl.refused({"record", "add", "alias.example.com", "TXT", "x"}) ==
          "apexctl: cannot add alias.example.com. 3600 IN TXT \"x\": alias.example.com.: CNAME "
          "and other data at the same name (RFC 1034 §3.6.2)\n");
    CHECK(ctl.refused({"record", "add", "alias.example.com", "CNAME", "mail.example.com"}) ==
          "apexctl: cannot add alias.example.com. 3600 IN CNAME mail.example.com.: "
          "alias.example.com.: more than one CNAME record at the same name (RFC 2181 §10.1)\n");
  }

  TEST_CASE("no CNAME at the apex; the message suggests ALIAS") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.refused({"record", "add", "example.com", "CNAME", "www.example.com"}) ==
          "apexctl: cannot add example.com. 3600 IN CNAME www.example.com.: zone example.com.: "
          "CNAME at the zone apex is not allowed (RFC 1034 §3.6.2); use ALIAS\n");
  }

  TEST_CASE("exactly one SOA, at the apex (RFC 1035 §5.2)") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.refused({"record", "delete", "example.com", "SOA"}) ==
          "apexctl: cannot delete example.com. 3600 IN SOA ns1.example.com. "
          "hostmaster.example.com. 2024010101 7200 3600 1209600 300: zone example.com.: no SOA "
          "record at the apex\n");
    CHECK(ctl.refused({"record", "add", "www.example.com", "SOA", "ns1.example.com",
                       "h.example.com", "1", "2", "3", "4", "5"}) ==
          "apexctl: cannot add www.example.com. 3600 IN SOA ns1.example.com. h.example.com. 1 2 3 "
          "4 5: www.example.com.: SOA record below the zone apex\n");
    CHECK(ctl.refused({"record", "set", "example.com", "SOA", "--rdata", "ns1 h 1 2 3 4 5",
                       "--rdata", "ns1 h 2 2 3 4 5"}) ==
          "apexctl: an SOA RRset holds exactly one record (RFC 1035 §5.2)\n");
    const auto two = ctl.write_file("z1.zone", zone_file("@ SOA ns1 h 2 2 3 4 5\n"));
    CHECK(ctl.refused({"zone", "import", two.string()}) ==
          "apexctl: " + two.string() + ": zone z.test.: more than one SOA record at the apex\n");
  }

  TEST_CASE("NS records at the apex") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.refused({"record", "delete", "example.com", "NS"}) ==
          "apexctl: cannot delete the records at example.com.: zone example.com.: no NS records "
          "at the apex\n");
  }

  TEST_CASE("every record inside its zone") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.refused({"record", "add", "www.example.org", "A", "192.0.2.1"}) ==
          "apexctl: no zone in the database contains www.example.org.\n");
    const auto outside = ctl.write_file("z2.zone", zone_file("www.other.test. A 192.0.2.2\n"));
    CHECK(ctl.refused({"zone", "import", outside.string()}) ==
          "apexctl: " + outside.string() +
              ": www.other.test. A: owner is outside the zone z.test.\n");
  }

  TEST_CASE("data below a delegation: glue addresses are allowed") {
    Apexctl ctl;
    ctl.init_with_example();
    add_delegation(ctl);
    auto r = ctl.run({"record", "add", "ns.sub.example.com", "AAAA", "2001:db8::53"});
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    r = ctl.run({"check", "example.com"});
    CHECK(r.code == 0);
    CHECK(r.out ==
          "example.com.: ok, 13 records, 2 glue\n"
          "example.com.: glue ns.sub.example.com. A for the delegation sub.example.com.\n"
          "example.com.: glue ns.sub.example.com. AAAA for the delegation sub.example.com.\n"
          "checked 1 zones: 0 failed, 0 warnings\n");
  }

  TEST_CASE("data below a delegation other than glue is occluded and refused") {
    Apexctl ctl;
    ctl.init_with_example();
    add_delegation(ctl);
    CHECK(ctl.refused({"record", "add", "www.sub.example.com", "TXT", "hidden"}) ==
          "apexctl: cannot add www.sub.example.com. 3600 IN TXT \"hidden\": www.sub.example.com. "
          "TXT: occluded by the delegation at sub.example.com. (RFC 1034 §4.2.1: below a zone cut "
          "only glue addresses, A and AAAA, may be kept); this data belongs in the delegated "
          "zone\n");
    CHECK(ctl.refused({"record", "add", "sub.example.com", "MX", "10", "mail.example.com"}) ==
          "apexctl: cannot add sub.example.com. 3600 IN MX 10 mail.example.com.: sub.example.com. "
          "MX: not allowed at the delegation point sub.example.com. (RFC 1034 §4.2.1: beside NS, "
          "a zone cut holds only DS and glue addresses); this data belongs in the delegated "
          "zone\n");
    CHECK(ctl.refused({"record", "add", "deeper.sub.example.com", "NS", "ns.other.test."}) ==
          "apexctl: cannot add deeper.sub.example.com. 3600 IN NS ns.other.test.: "
          "deeper.sub.example.com. NS: occluded by the delegation at sub.example.com. (RFC 1034 "
          "§4.2.1: below a zone cut only glue addresses, A and AAAA, may be kept); this data "
          "belongs in the delegated zone\n");
  }

  TEST_CASE("a delegation over existing data is refused, naming the delegation's change") {
    Apexctl ctl;
    ctl.init_with_example();
    // www.example.com. holds A and AAAA (glue-like) but the MX target mail has only an A;
    // txt.example.com. holds TXT, which a cut at txt would occlude.
    CHECK(ctl.refused({"record", "add", "txt.example.com", "NS", "ns.other.test."}) ==
          "apexctl: cannot add txt.example.com. 3600 IN NS ns.other.test.: txt.example.com. TXT: "
          "not allowed at the delegation point txt.example.com. (RFC 1034 §4.2.1: beside NS, a "
          "zone cut holds only DS and glue addresses); this data belongs in the delegated zone\n");
  }

  TEST_CASE("TTL range (RFC 2181 §8)") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(
        ctl.refused({"record", "add", "x.example.com", "A", "192.0.2.1", "--ttl", "2147483648"}) ==
        "apexctl: invalid TTL '2147483648': expected seconds from 0 to 2147483647 (RFC 2181 "
        "§8), or a time such as 30m, 1h30m, 1d or 1w\n");
    CHECK(ctl.refused({"record", "set", "www.example.com", "A", "192.0.2.1", "--ttl", "-1"}) ==
          "apexctl: invalid TTL '-1': expected seconds from 0 to 2147483647 (RFC 2181 §8), or a "
          "time such as 30m, 1h30m, 1d or 1w\n");
    const auto big = ctl.write_file("z4.zone", zone_file("www 2147483648 A 192.0.2.2\n"));
    CHECK(ctl.refused({"zone", "import", big.string()}) ==
          "apexctl: " + big.string() +
              ":6: TTL '2147483648' is not a number from 0 to 2147483647 or a time such as "
              "1h30m\n");
  }

  TEST_CASE("RDATA syntax per type") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.refused({"record", "add", "x.example.com", "A", "192.0.2.300"}) ==
          "apexctl: invalid A RDATA: A address: '192.0.2.300' is not an IPv4 address\n");
    CHECK(ctl.refused({"record", "add", "x.example.com", "AAAA", "2001:db8::zz"}) ==
          "apexctl: invalid AAAA RDATA: AAAA address: '2001:db8::zz' is not an IPv6 address\n");
    CHECK(ctl.refused({"record", "add", "example.com", "MX", "10"}) ==
          "apexctl: invalid MX RDATA: MX exchange: missing\n");
    CHECK(ctl.refused({"record", "add", "x.example.com", "TXT", "\"unterminated"}) ==
          "apexctl: invalid TXT RDATA: quoted string without a closing quote\n");
    CHECK(ctl.refused({"record", "add", "x.example.com", "BOGUS", "1"}) ==
          "apexctl: unknown record type 'BOGUS'\n");
    CHECK(ctl.refused({"record", "add", "x.example.com", "ANY", "1"}) ==
          "apexctl: type ANY is a query type, not zone data\n");
  }

  TEST_CASE("one TTL per RRset (RFC 2181 §5.2)") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.refused({"record", "add", "www.example.com", "A", "192.0.2.11", "--ttl", "60"}) ==
          "apexctl: www.example.com. A already has TTL 3600 and all records of an RRset share "
          "one TTL (RFC 2181 §5.2): use --ttl 3600 or 'record set' to change the RRset's TTL\n");
    const auto mixed =
        ctl.write_file("z3.zone", zone_file("www 60 A 192.0.2.2\nwww 300 A 192.0.2.3\n"));
    CHECK(ctl.refused({"zone", "import", mixed.string()}) ==
          "apexctl: " + mixed.string() +
              ": www.z.test. A: TTL 300 differs from the RRset's TTL 60 (RFC 2181 §5.2: one TTL "
              "per RRset)\n");
  }

  TEST_CASE("names are ASCII: IDNs must be given in punycode") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.refused({"record", "add",
                       "b\xC3\xBC"
                       "cher.example.com",
                       "A", "192.0.2.1"}) ==
          "apexctl: invalid name 'b\xC3\xBC"
          "cher.example.com': " +
              kIdnHint +
              "b\xC3\xBC"
              "cher.example.com'\n");
    CHECK(ctl.refused({"record", "add", "x.example.com", "CNAME",
                       "b\xC3\xBC"
                       "cher.example.com"}) ==
          "apexctl: invalid CNAME RDATA: target 'b\xC3\xBC"
          "cher.example.com': " +
              kIdnHint +
              "b\xC3\xBC"
              "cher.example.com'\n");
    CHECK(ctl.refused({"zone", "add",
                       "b\xC3\xBC"
                       "cher.test"}) ==
          "apexctl: invalid name 'b\xC3\xBC"
          "cher.test': " +
              kIdnHint +
              "b\xC3\xBC"
              "cher.test'\n");
    // The punycode form is an ordinary name.
    CHECK(ctl.run({"zone", "add", "xn--bcher-kva.test"}).code == 0);
  }

  TEST_CASE("a stored zone that already breaks a rule blocks changes until it is fixed") {
    Apexctl ctl;
    ctl.init_with_example();
    add_delegation(ctl);
    {
      // Data written around apexctl (older versions, direct SQL): occluded TXT below the cut.
      auto db = storage::Database::open(ctl.db(), storage::OpenMode::kExisting);
      REQUIRE(db.ok());
      Record hidden{Name::from_text("x.sub.example.com.").value(),
                    RRType::TXT,
                    RRClass::IN,
                    60,
                    {5, 'h', 'e', 'l', 'l', 'o'}};
      REQUIRE((*db)->add_records(Name::from_text("example.com.").value(), {hidden}).ok());
    }
    CHECK(ctl.refused({"record", "add", "www.example.com", "A", "192.0.2.11"}) ==
          "apexctl: cannot add www.example.com. 3600 IN A 192.0.2.11: zone example.com. already "
          "breaks a rule, fix that first: x.sub.example.com. TXT: occluded by the delegation at "
          "sub.example.com. (RFC 1034 §4.2.1: below a zone cut only glue addresses, A and AAAA, "
          "may be kept); this data belongs in the delegated zone (see 'apexctl check "
          "example.com.')\n");
    // Removing the offending data is allowed, and the zone is whole again.
    CHECK(ctl.run({"record", "delete", "x.sub.example.com"}).code == 0);
    CHECK(ctl.run({"check"}).code == 0);
  }

  TEST_CASE("apply: a rule broken by any line leaves every zone as it was") {
    Apexctl ctl;
    ctl.init_with_example();
    const auto script = ctl.write_file("changes.txt",
                                       "zone add shop.test\n"
                                       "record add ns1.shop.test A 198.51.100.1\n"
                                       "record add www.example.com A 192.0.2.99\n"
                                       "record add www.example.com CNAME mail.example.com\n");
    CHECK(ctl.refused({"apply", script.string()}) ==
          "apexctl: " + script.string() +
              ":4: cannot add www.example.com. 3600 IN CNAME mail.example.com.: www.example.com.: "
              "CNAME and other data at the same name (RFC 1034 §3.6.2)\n");
  }
}

}  // namespace apex::testing
