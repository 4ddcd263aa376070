// Specification of apexctl zone export --flatten: each ALIAS written as the A/AAAA records
// the flattener last saved for its target, for servers that don't know ALIAS; refused
// (exit 1, nothing printed) while an alias has a family with nothing to write.
#include "admin/flattened_export.hpp"

#include <doctest/doctest.h>

#include "tests/admin/apexctl_fixture.hpp"

namespace apex::testing {
namespace {

constexpr std::int64_t kNoon = 1714564800000;  // 2024-05-01T12:00:00.000Z

storage::AliasTargetRow row(const char* target, std::uint16_t family, const char* state,
                            const char* addresses, std::uint32_t ttl) {
  storage::AliasTargetRow r;
  r.target = Name::from_text(target).value();
  r.family = family;
  r.state = state;
  r.addresses = addresses;
  r.ttl = ttl;
  r.chain = target;
  r.last_success_ms = kNoon - 60000;
  r.last_attempt_ms = kNoon - 60000;
  r.next_refresh_ms = kNoon + 60000;
  return r;
}

// example.com with an apex alias (TTL 300, fallback addresses) and one at www2 (TTL 3600).
void set_up(const Apexctl& ctl) {
  ctl.init_with_example();
  REQUIRE(ctl.run({"alias", "set", "example.com", "lb.cdn.example.net", "--ttl", "300",
                   "--fallback", "192.0.2.9,2001:db8::9"})
              .code == 0);
  REQUIRE(ctl.run({"alias", "set", "www2.example.com", "edge.example.net"}).code == 0);
}

// The export's lines at owner (those starting "owner\t").
std::string lines_at(const std::string& file, const std::string& owner) {
  std::string out;
  std::size_t pos = 0;
  while (pos < file.size()) {
    const std::size_t end = file.find('\n', pos);
    const std::string line = file.substr(pos, end - pos + 1);
    if (line.starts_with(owner + "\t")) out += line;
    pos = end + 1;
  }
  return out;
}

}  // namespace

TEST_SUITE("zone export --flatten") {
  TEST_CASE("aliases become the saved addresses, TTL min(ALIAS TTL, result TTL)") {
    Apexctl ctl;
    set_up(ctl);
    ctl.save_results({row("lb.cdn.example.net.", 1, "fresh", "192.0.2.50,192.0.2.51", 60),
                      row("lb.cdn.example.net.", 28, "fresh", "2001:db8::50", 600),
                      row("edge.example.net.", 1, "fresh", "198.51.100.7", 86400),
                      row("edge.example.net.", 28, "negative", "", 300)});
    auto r = ctl.run({"zone", "export", "example.com", "--flatten"});
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(!contains(r.out, "ALIAS"));
    CHECK(lines_at(r.out, "example.com.") ==
          "example.com.\t3600\tIN\tSOA\tns1.example.com. hostmaster.example.com. 2024010103 7200 "
          "3600 1209600 300\n"
          "example.com.\t60\tIN\tA\t192.0.2.50\n"
          "example.com.\t60\tIN\tA\t192.0.2.51\n"
          "example.com.\t3600\tIN\tNS\tns1.example.com.\n"
          "example.com.\t3600\tIN\tNS\tns2.example.net.\n"
          "example.com.\t3600\tIN\tMX\t10 mail.example.com.\n"
          "example.com.\t300\tIN\tAAAA\t2001:db8::50\n");
    // A negative family is simply absent (NODATA, as apexd serves it).
    CHECK(lines_at(r.out, "www2.example.com.") == "www2.example.com.\t3600\tIN\tA\t198.51.100.7\n");
    // The flattened file is a zone without ALIAS that loads as it is.
    const auto file = ctl.write_file("flat/example.com.zone", r.out);
    Apexctl other;
    REQUIRE(other.run({"init"}).code == 0);
    CHECK(other.run({"zone", "import", file.string()}).code == 0);
  }

  TEST_CASE("without --flatten the ALIAS lines stay; the database is not touched") {
    Apexctl ctl;
    set_up(ctl);
    const std::string before = ctl.everything();
    auto r = ctl.run({"zone", "export", "example.com"});
    CHECK(r.code == 0);
    CHECK(lines_at(r.out, "www2.example.com.") ==
          "www2.example.com.\t3600\tIN\tALIAS\tedge.example.net.\n");
    CHECK(ctl.run({"zone", "export", "example.com", "--flatten"}).code == 1);
    CHECK(ctl.everything() == before);
  }

  TEST_CASE("stale addresses are written with the stale TTL apexd serves, and a note") {
    Apexctl ctl;
    set_up(ctl);
    auto stale = row("lb.cdn.example.net.", 1, "stale", "192.0.2.50", 60);
    stale.failing_since_ms = kNoon - 30000;
    stale.served_ttl = 30;
    ctl.save_results({stale, row("lb.cdn.example.net.", 28, "negative", "", 60),
                      row("edge.example.net.", 1, "fresh", "198.51.100.7", 60),
                      row("edge.example.net.", 28, "fresh", "2001:db8::7", 60)});
    auto r = ctl.run({"zone", "export", "example.com", "--flatten"});
    CHECK(r.code == 0);
    CHECK(r.err ==
          "apexctl: note: example.com. ALIAS lb.cdn.example.net.: the A addresses are stale "
          "(last success 2024-05-01T11:59:00.000Z)\n");
    CHECK(contains(r.out, "example.com.\t30\tIN\tA\t192.0.2.50\n"));
    CHECK(contains(r.out, "www2.example.com.\t60\tIN\tAAAA\t2001:db8::7\n"));
  }

  TEST_CASE("a failed family is written as the alias's fallback addresses, with a note") {
    Apexctl ctl;
    set_up(ctl);
    auto failed_a = row("lb.cdn.example.net.", 1, "failed", "", 0);
    failed_a.last_error = "time-out";
    failed_a.served_ttl = 30;  // the stale TTL, which fallbacks are served with
    ctl.save_results({failed_a, row("lb.cdn.example.net.", 28, "fresh", "2001:db8::50", 60),
                      row("edge.example.net.", 1, "fresh", "198.51.100.7", 60),
                      row("edge.example.net.", 28, "negative", "", 60)});
    auto r = ctl.run({"zone", "export", "example.com", "--flatten"});
    CHECK(r.code == 0);
    CHECK(r.err ==
          "apexctl: note: example.com. ALIAS lb.cdn.example.net.: A failed; wrote the fallback "
          "addresses\n");
    CHECK(contains(r.out, "example.com.\t30\tIN\tA\t192.0.2.9\n"));
    CHECK(contains(r.out, "example.com.\t60\tIN\tAAAA\t2001:db8::50\n"));
  }

  TEST_CASE("a target with neither A nor AAAA gets a note and no records") {
    Apexctl ctl;
    set_up(ctl);
    ctl.save_results({row("lb.cdn.example.net.", 1, "fresh", "192.0.2.50", 60),
                      row("lb.cdn.example.net.", 28, "fresh", "2001:db8::50", 60),
                      row("edge.example.net.", 1, "negative", "", 60),
                      row("edge.example.net.", 28, "negative", "", 60)});
    auto r = ctl.run({"zone", "export", "example.com", "--flatten"});
    CHECK(r.code == 0);
    CHECK(r.err ==
          "apexctl: note: www2.example.com. ALIAS edge.example.net.: the target has no A or AAAA "
          "records; none written\n");
    CHECK(lines_at(r.out, "www2.example.com.").empty());
  }

  TEST_CASE("pending, or failed without a fallback: each is named, nothing printed, exit 1") {
    Apexctl ctl;
    set_up(ctl);
    auto failed = row("edge.example.net.", 28, "failed", "", 0);
    failed.last_error = "SERVFAIL from 127.0.0.1:53";
    // lb.cdn AAAA has no result yet: the apex alias's fallback answers meanwhile.
    ctl.save_results({row("lb.cdn.example.net.", 1, "fresh", "192.0.2.50", 60), failed});
    const std::string before = ctl.everything();
    auto r = ctl.run({"zone", "export", "example.com", "--flatten"});
    CHECK(r.code == 1);
    CHECK(r.out.empty());
    CHECK(r.err ==
          "apexctl: note: example.com. ALIAS lb.cdn.example.net.: AAAA pending; wrote the "
          "fallback addresses\n"
          "apexctl: www2.example.com. ALIAS edge.example.net.: no A addresses to write (pending: "
          "no result yet)\n"
          "apexctl: www2.example.com. ALIAS edge.example.net.: no AAAA addresses to write "
          "(failed: SERVFAIL from 127.0.0.1:53)\n"
          "apexctl: zone example.com. not exported: the aliases above have no addresses to "
          "write (see 'apexctl alias status example.com.')\n");
    CHECK(ctl.everything() == before);
  }

  TEST_CASE("a fallback of one family: the other family, failed or pending, is NODATA") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(
        ctl.run({"alias", "set", "example.com", "lb.cdn.example.net", "--fallback", "192.0.2.9"})
            .code == 0);
    auto failed_a = row("lb.cdn.example.net.", 1, "failed", "", 0);
    failed_a.served_ttl = 30;
    auto failed_aaaa = row("lb.cdn.example.net.", 28, "failed", "", 0);
    failed_aaaa.served_ttl = 30;
    ctl.save_results({failed_a, failed_aaaa});
    auto r = ctl.run({"zone", "export", "example.com", "--flatten"});
    CHECK(r.code == 0);
    CHECK(r.err ==
          "apexctl: note: example.com. ALIAS lb.cdn.example.net.: A failed; wrote the fallback "
          "addresses\n");
    CHECK(contains(r.out, "example.com.\t30\tIN\tA\t192.0.2.9\n"));
    CHECK(lines_at(r.out, "example.com.").find("AAAA") == std::string::npos);
    // The same with no result yet (a new alias).
    Apexctl fresh;
    fresh.init_with_example();
    REQUIRE(
        fresh
            .run({"alias", "set", "example.com", "lb.cdn.example.net", "--fallback", "2001:db8::9"})
            .code == 0);
    auto pending = fresh.run({"zone", "export", "example.com", "--flatten"});
    CHECK(pending.code == 0);
    CHECK(contains(pending.out, "example.com.\t30\tIN\tAAAA\t2001:db8::9\n"));
    CHECK(lines_at(pending.out, "example.com.").find("\tA\t") == std::string::npos);
  }

  TEST_CASE("a zone without aliases exports as without --flatten") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.run({"zone", "export", "example.com", "--flatten"}).out ==
          ctl.run({"zone", "export", "example.com"}).out);
  }

  TEST_CASE("an unknown zone is refused; an unknown option is a usage error") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.refused({"zone", "export", "nowhere.test", "--flatten"}) ==
          "apexctl: zone nowhere.test. is not in the database\n");
    auto r = ctl.run({"zone", "export", "example.com", "--flat"});
    CHECK(r.code == 2);
    CHECK(r.err == "apexctl: unknown option '--flat'\nTry 'apexctl zone export --help'.\n");
  }
}

}  // namespace apex::testing
