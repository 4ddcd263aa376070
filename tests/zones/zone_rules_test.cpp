// Specification of the zone rules: each rule's finding (owner, type, rule id, severity), what
// it leaves alone, and ALIAS loops followed through a lookup.
#include "zones/zone_rules.hpp"

#include <doctest/doctest.h>

#include <map>

#include "zones/master_file.hpp"
#include "zones/zone_builder.hpp"

using namespace apex;

namespace {

const std::string kHead = "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n";

ZoneCheck check(const std::string& body) {
  const Name apex = Name::from_text("z.test.").value();
  auto file = read_master_text(kHead + body, apex, "t.zone");
  REQUIRE_MESSAGE(file.ok(), (file.ok() ? "" : file.error()));
  return check_zone(apex, std::move(file->records));
}

Name name(const char* text) {
  return Name::from_text(text).value();
}

// "owner TYPE rule severity" per finding: one line says all that a rule decided.
std::vector<std::string> summary(const ZoneCheck& c) {
  std::vector<std::string> out;
  for (const Finding& f : c.findings) {
    out.push_back(f.owner.to_text() + " " + rrtype_to_text(f.type) + " " + f.rule + " " +
                  std::string(severity_text(f.severity)));
  }
  return out;
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_SUITE("zone rules: errors") {
  TEST_CASE("a valid zone builds with no findings") {
    auto c = check("www A 192.0.2.2\nmail A 192.0.2.3\n@ MX 10 mail\n");
    CHECK(c.ok());
    CHECK(c.findings.empty());
  }

  TEST_CASE("cname-and-other-data refuses the zone; the message is build_zone's") {
    auto c = check("www CNAME ns1\nwww TXT x\n");
    CHECK_FALSE(c.ok());
    CHECK(summary(c) == Lines{"www.z.test. CNAME cname-and-other-data error"});
    CHECK(c.findings[0].message ==
          "www.z.test.: CNAME and other data at the same name (RFC 1034 §3.6.2)");
    const Name apex = name("z.test.");
    auto file = read_master_text(kHead + "www CNAME ns1\nwww TXT x\n", apex, "t.zone");
    REQUIRE(file.ok());
    CHECK(build_zone(apex, file->records).error() == c.findings[0].message);
  }

  TEST_CASE("multiple-soa and no-soa name the apex and SOA") {
    CHECK(summary(check("@ SOA ns1 h 2 2 3 4 5\n")) == Lines{"z.test. SOA multiple-soa error"});
    const Name apex = name("z.test.");
    auto file = read_master_text("$TTL 300\n@ NS ns1\n", apex, "t.zone");
    REQUIRE(file.ok());
    CHECK(summary(check_zone(apex, file->records)) == Lines{"z.test. SOA no-soa error"});
  }

  TEST_CASE("every node breaking a rule is listed, in canonical order") {
    auto c = check("b CNAME ns1\nb TXT x\na CNAME ns1\na A 192.0.2.9\n");
    CHECK(summary(c) == Lines{"a.z.test. CNAME cname-and-other-data error",
                              "b.z.test. CNAME cname-and-other-data error"});
  }

  TEST_CASE("occluded-data: beside NS at a cut only DS and glue; below it only glue") {
    auto c = check("sub NS ns.other.\nsub TXT x\ndeep.sub NS ns.other.\nx.deep.sub CNAME y\n");
    CHECK_FALSE(c.ok());
    CHECK(summary(c) == Lines{"sub.z.test. TXT occluded-data error",
                              "deep.sub.z.test. NS occluded-data error",
                              "x.deep.sub.z.test. CNAME occluded-data error"});
    CHECK(
        c.findings[0].message.starts_with("sub.z.test. TXT: not allowed at the delegation "
                                          "point sub.z.test."));
    CHECK(
        c.findings[2].message.starts_with("x.deep.sub.z.test. CNAME: occluded by the "
                                          "delegation at sub.z.test."));
    CHECK(c.findings[2].names == std::vector<Name>{name("sub.z.test.")});
  }

  TEST_CASE("alias-below-cut: an ALIAS at or below a delegation never answers") {
    auto c = check("sub NS ns.other.\nwww.sub ALIAS cdn.example.\n");
    CHECK(summary(c) == Lines{"www.sub.z.test. ALIAS alias-below-cut error"});
  }
}

TEST_SUITE("zone rules: glue") {
  TEST_CASE("glue at and below a cut, DS at the cut: allowed and listed") {
    auto c = check(
        "sub NS ns.sub\nsub NS sub\nsub A 192.0.2.5\nsub DS 1 8 2 "
        "4ed7b6c1b6e24ae9b1c5a29f9c6d69e0e07e6b2d0e1dfb7c8a9b6ad5e0f1a2b3\n"
        "ns.sub A 192.0.2.6\nns.sub AAAA 2001:db8::6\n");
    REQUIRE(c.ok());
    CHECK(c.findings.empty());
    auto glue = zone_glue(*c.zone);
    REQUIRE(glue.size() == 3);
    CHECK(glue[0].owner.to_text() == "sub.z.test.");
    CHECK(glue[1].owner.to_text() == "ns.sub.z.test.");
    CHECK(glue[1].type == RRType::A);
    CHECK(glue[2].type == RRType::AAAA);
    CHECK(glue[1].cut.to_text() == "sub.z.test.");
  }

  TEST_CASE("missing-glue: an in-zone name server below the cut without an address") {
    auto c = check("sub NS ns.sub\n");
    CHECK(summary(c) == Lines{"sub.z.test. NS missing-glue warning"});
    CHECK(c.findings[0].message ==
          "sub.z.test. NS ns.sub.z.test.: no glue address (A or AAAA at ns.sub.z.test.); "
          "resolvers cannot follow the delegation to it (RFC 9471)");
  }

  TEST_CASE("unused-glue: an address below a cut that no NS names") {
    auto c = check("sub NS ns.other.\nold.sub A 192.0.2.9\n");
    CHECK(summary(c) == Lines{"old.sub.z.test. A unused-glue warning"});
  }
}

TEST_SUITE("zone rules: targets (named-checkzone's defaults)") {
  TEST_CASE("ns-to-cname, mx-to-cname, srv-to-cname (RFC 2181 §10.3)") {
    auto c = check(
        "@ NS alias\nalias CNAME ns1\n@ MX 10 mail\nmail CNAME ns1\n"
        "_sip._tcp SRV 0 0 5060 sip\nsip CNAME ns1\n");
    CHECK(summary(c) == Lines{"z.test. NS ns-to-cname warning", "z.test. MX mx-to-cname warning",
                              "_sip._tcp.z.test. SRV srv-to-cname warning"});
    CHECK(c.findings[1].names == std::vector<Name>{name("mail.z.test.")});
  }

  TEST_CASE("targets without addresses in the zone") {
    auto c = check("@ NS ns2\n@ MX 10 mail\n_sip._tcp SRV 0 0 5060 sip\nsip TXT no-address\n");
    CHECK(summary(c) == Lines{"z.test. NS ns-target-no-address warning",
                              "z.test. MX mx-target-no-address warning",
                              "_sip._tcp.z.test. SRV srv-target-no-address warning"});
  }

  TEST_CASE(
      "left alone: targets outside the zone, null MX and SRV '.', ALIAS owners, the "
      "child's names") {
    auto c = check(
        "@ MX 10 mail.example.\nnull MX 0 .\n_x._tcp SRV 0 0 0 .\n"
        "www MX 10 shop\nshop ALIAS cdn.example.\n"
        "sub NS ns.other.\nother MX 10 mx.sub\n");
    CHECK(c.ok());
    CHECK(summary(c) == Lines{});
  }
}

TEST_SUITE("zone rules: wildcards") {
  TEST_CASE("non-terminal-wildcard: a '*' label further right is no wildcard (RFC 4592)") {
    CHECK(summary(check("a.*.w TXT x\n")) ==
          Lines{"a.*.w.z.test. TXT non-terminal-wildcard warning"});
    CHECK(summary(check("*.w TXT x\n*.z.test. MX 10 ns1\n")) == Lines{});
  }
}

TEST_SUITE("zone rules: ALIAS loops") {
  struct Hops {
    std::map<Name, AliasHop, CanonicalLess> hops;
    void add(const char* owner, const char* target, RRType type = RRType::ALIAS) {
      hops[name(owner)] = AliasHop{name(target), type};
    }
    NextHop next() const {
      return [this](const Name& n) -> std::optional<AliasHop> {
        auto it = hops.find(n);
        if (it == hops.end()) return std::nullopt;
        return it->second;
      };
    }
  };

  TEST_CASE("an ALIAS pointing back through another zone's ALIAS is a loop, named in full") {
    Hops h;
    h.add("a.example.", "b.example.");
    h.add("b.example.", "A.example.");
    auto loop = alias_loop_from(name("a.example."), h.next());
    REQUIRE(loop);
    CHECK(loop->rule == "alias-loop");
    CHECK(loop->severity == Severity::kError);
    CHECK(loop->type == RRType::ALIAS);
    CHECK(loop->names == std::vector<Name>{name("a.example."), name("b.example.")});
    CHECK(loop->message.find("a.example. -> b.example. -> a.example.") != std::string::npos);
  }

  TEST_CASE("longer loops through CNAMEs count; starting at the CNAME too") {
    Hops h;
    h.add("shop.a.example.", "www.b.example.");
    h.add("www.b.example.", "edge.c.example.", RRType::CNAME);
    h.add("edge.c.example.", "shop.a.example.", RRType::CNAME);
    CHECK(alias_loop_from(name("shop.a.example."), h.next()));
    auto from_cname = alias_loop_from(name("www.b.example."), h.next());
    REQUIRE(from_cname);
    CHECK(from_cname->type == RRType::CNAME);
  }

  TEST_CASE("no loop: a chain that ends, a cycle elsewhere, a CNAME-only cycle, too long") {
    Hops h;
    h.add("a.example.", "b.example.");
    h.add("b.example.", "c.example.", RRType::CNAME);
    CHECK_FALSE(alias_loop_from(name("a.example."), h.next()));
    h.add("x.example.", "c.example.");
    h.add("c.example.", "d.example.", RRType::CNAME);
    h.add("d.example.", "c.example.", RRType::CNAME);
    CHECK_FALSE(alias_loop_from(name("x.example."), h.next()));
    CHECK_FALSE(alias_loop_from(name("c.example."), h.next()));
    Hops ring;
    ring.add("a.example.", "b.example.");
    ring.add("b.example.", "a.example.");
    CHECK_FALSE(alias_loop_from(name("a.example."), ring.next(), 1));
    CHECK(alias_loop_from(name("a.example."), ring.next(), 2));
  }
}
