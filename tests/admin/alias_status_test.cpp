// Specification of apexctl alias status and alias list: what each alias is (list) and what
// it serves according to the flattener's saved results (status), read-only. The results are
// written here as apexd's flattener writes them (Database::save_alias_targets).
#include "admin/alias_status.hpp"

#include <doctest/doctest.h>

#include "tests/admin/apexctl_fixture.hpp"

namespace apex::testing {
namespace {

constexpr std::int64_t kNoon = 1714564800000;  // 2024-05-01T12:00:00.000Z
constexpr std::int64_t kMinute = 60000;

Name name(const char* text) {
  return Name::from_text(text).value();
}

storage::AliasTargetRow row(const char* target, std::uint16_t family, const char* state,
                            const char* addresses, std::uint32_t ttl, const char* chain) {
  storage::AliasTargetRow r;
  r.target = name(target);
  r.family = family;
  r.state = state;
  r.addresses = addresses;
  r.ttl = ttl;
  r.served_ttl = ttl;
  r.chain = chain;
  r.last_success_ms = kNoon - kMinute;
  r.last_attempt_ms = kNoon - kMinute;
  r.next_refresh_ms = kNoon + kMinute;
  return r;
}

// example.com with an apex alias (TTL 300, fallback, health) and www2 (TTL 3600), and a
// second zone shop.test with one alias.
void set_up_aliases(const Apexctl& ctl) {
  ctl.init_with_example();
  REQUIRE(ctl.run({"alias", "set", "example.com", "lb.cdn.example.net", "--ttl", "300",
                   "--fallback", "192.0.2.9", "--health", "tcp:443"})
              .code == 0);
  REQUIRE(ctl.run({"alias", "set", "www2.example.com", "Edge.Example.NET"}).code == 0);
  REQUIRE(ctl.run({"zone", "add", "shop.test"}).code == 0);
  REQUIRE(ctl.run({"alias", "set", "shop.test", "lb.cdn.example.net", "--ttl", "30"}).code == 0);
}

// lb.cdn.example.net: A fresh through a CNAME, AAAA negative. edge.example.net: A stale and
// failing (served with the stale TTL, 30), AAAA failed.
void save_results(const Apexctl& ctl) {
  auto a = row("lb.cdn.example.net.", 1, "fresh", "192.0.2.50,192.0.2.51", 60,
               "lb.cdn.example.net. lb.edge.cdn.example.net.");
  auto aaaa = row("lb.cdn.example.net.", 28, "negative", "", 900, "lb.cdn.example.net.");
  aaaa.negative_since_ms = kNoon - 10 * kMinute;
  auto stale = row("edge.example.net.", 1, "stale", "198.51.100.7", 120, "edge.example.net.");
  stale.last_attempt_ms = kNoon - 5000;
  stale.failing_since_ms = kNoon - 3 * kMinute;
  stale.last_error = "time-out from 127.0.0.1:53";
  stale.last_error_ms = kNoon - 5000;
  stale.consecutive_failures = 2;
  stale.served_ttl = 30;
  auto failed = row("edge.example.net.", 28, "failed", "", 0, "");
  failed.last_success_ms = 0;
  failed.last_error = "SERVFAIL from 127.0.0.1:53";
  failed.last_error_ms = kNoon - kMinute;
  failed.consecutive_failures = 1;
  failed.served_ttl = 30;
  ctl.save_results({a, aaaa, stale, failed});
}

}  // namespace

TEST_SUITE("alias list") {
  TEST_CASE("every alias with TTL, target, fallback and health, by zone and owner") {
    Apexctl ctl;
    set_up_aliases(ctl);
    auto r = ctl.run({"alias", "list"});
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(r.out ==
          "OWNER              TTL   TARGET               FALLBACK   HEALTH\n"
          "example.com.       300   lb.cdn.example.net.  192.0.2.9  tcp:443\n"
          "www2.example.com.  3600  edge.example.net.    -          -\n"
          "shop.test.         30    lb.cdn.example.net.  -          -\n");
  }

  TEST_CASE("one zone's aliases, as JSON") {
    Apexctl ctl;
    set_up_aliases(ctl);
    auto r = ctl.run({"alias", "list", "example.com", "--json"});
    CHECK(r.code == 0);
    CHECK(r.out ==
          "[\n"
          "  {\"owner\": \"example.com.\", \"zone\": \"example.com.\", \"ttl\": 300, \"target\": "
          "\"lb.cdn.example.net.\", \"fallback\": [\"192.0.2.9\"], \"health\": \"tcp:443\"},\n"
          "  {\"owner\": \"www2.example.com.\", \"zone\": \"example.com.\", \"ttl\": 3600, "
          "\"target\": \"edge.example.net.\", \"fallback\": [], \"health\": null}\n"
          "]\n");
  }

  TEST_CASE("no aliases: nothing, or an empty JSON array") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(ctl.run({"alias", "list"}).out.empty());
    CHECK(ctl.run({"alias", "list", "example.com", "--json"}).out == "[]\n");
  }

  TEST_CASE("an unknown zone is refused; extra arguments are usage errors") {
    Apexctl ctl;
    set_up_aliases(ctl);
    CHECK(ctl.refused({"alias", "list", "nowhere.test"}) ==
          "apexctl: zone nowhere.test. is not in the database\n");
    auto r = ctl.run({"alias", "list", "example.com", "shop.test"});
    CHECK(r.code == 2);
    CHECK(r.err == "apexctl: expected [ZONE]\nTry 'apexctl alias list --help'.\n");
  }
}

TEST_SUITE("alias status") {
  TEST_CASE("without results every alias is pending: SERVFAIL, or its fallbacks meanwhile") {
    Apexctl ctl;
    set_up_aliases(ctl);
    auto r = ctl.run({"alias", "status", "shop.test"});
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(r.out ==
          "shop.test. ALIAS lb.cdn.example.net. TTL 30: pending\n"
          "  A     pending: no result yet, SERVFAIL\n"
          "  AAAA  pending: no result yet, SERVFAIL\n");
    // example.com has the fallback 192.0.2.9 (IPv4 only): served with the stale TTL (30 by
    // default) capped by the ALIAS TTL; AAAA is NODATA, as apexd answers.
    r = ctl.run({"alias", "status", "example.com"});
    CHECK(contains(r.out, "  A     pending: no result yet, fallback 192.0.2.9, TTL 30\n"));
    CHECK(contains(r.out, "  AAAA  pending: no result yet, NODATA (no fallback of this family)\n"));
  }

  TEST_CASE("per family: state, addresses, served TTL, chain, times, last error") {
    Apexctl ctl;
    set_up_aliases(ctl);
    save_results(ctl);
    auto r = ctl.run({"alias", "status", "example.com"});
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(r.out ==
          "example.com. ALIAS lb.cdn.example.net. TTL 300: fresh\n"
          "  fallback 192.0.2.9; health tcp:443\n"
          "  A     fresh: 192.0.2.50 192.0.2.51, TTL 60\n"
          "        chain lb.cdn.example.net. -> lb.edge.cdn.example.net.\n"
          "        last success 2024-05-01T11:59:00.000Z, last attempt 2024-05-01T11:59:00.000Z, "
          "next refresh 2024-05-01T12:01:00.000Z\n"
          "  AAAA  negative: NODATA\n"
          "        chain lb.cdn.example.net.\n"
          "        last success 2024-05-01T11:59:00.000Z, last attempt 2024-05-01T11:59:00.000Z, "
          "next refresh 2024-05-01T12:01:00.000Z\n"
          "        negative since 2024-05-01T11:50:00.000Z\n"
          "\n"
          "www2.example.com. ALIAS edge.example.net. TTL 3600: failed\n"
          "  A     stale: 198.51.100.7, TTL 30\n"
          "        chain edge.example.net.\n"
          "        last success 2024-05-01T11:59:00.000Z, last attempt 2024-05-01T11:59:55.000Z, "
          "next refresh 2024-05-01T12:01:00.000Z\n"
          "        failing since 2024-05-01T11:57:00.000Z\n"
          "        last error 2024-05-01T11:59:55.000Z: time-out from 127.0.0.1:53 (2 failed "
          "attempts in a row)\n"
          "  AAAA  failed: SERVFAIL\n"
          "        last success never, last attempt 2024-05-01T11:59:00.000Z, next refresh "
          "2024-05-01T12:01:00.000Z\n"
          "        last error 2024-05-01T11:59:00.000Z: SERVFAIL from 127.0.0.1:53 (1 failed "
          "attempt)\n");
  }

  TEST_CASE("the served TTL is the smaller of the ALIAS TTL and the result's") {
    Apexctl ctl;
    set_up_aliases(ctl);
    save_results(ctl);
    // shop.test's ALIAS TTL 30 is below the result's 60.
    CHECK(contains(ctl.run({"alias", "status", "shop.test"}).out,
                   "  A     fresh: 192.0.2.50 192.0.2.51, TTL 30\n"));
  }

  TEST_CASE("while stale, the stale TTL served, not the result's") {
    Apexctl ctl;
    set_up_aliases(ctl);
    save_results(ctl);
    auto r = ctl.run({"alias", "status", "www2.example.com", "--json"});
    CHECK(contains(r.out,
                   "\"a\": {\"state\": \"stale\", \"serving\": \"addresses\", "
                   "\"addresses\": [\"198.51.100.7\"], \"served_addresses\": "
                   "[\"198.51.100.7\"], \"ttl\": 30, \"result_ttl\": 120"));
  }

  TEST_CASE("a failed family: the fallback of that family, NODATA, or SERVFAIL") {
    Apexctl ctl;
    set_up_aliases(ctl);
    auto a = row("lb.cdn.example.net.", 1, "failed", "192.0.2.50", 60, "lb.cdn.example.net.");
    a.failing_since_ms = kNoon - 25 * 60 * kMinute;
    a.served_ttl = 30;
    auto aaaa = row("lb.cdn.example.net.", 28, "failed", "", 0, "");
    aaaa.served_ttl = 30;
    ctl.save_results({a, aaaa});
    // example.com has the fallback 192.0.2.9 (IPv4 only), TTL 300; shop.test none.
    auto with = ctl.run({"alias", "status", "example.com"}).out;
    CHECK(contains(with, "  A     failed: fallback 192.0.2.9, TTL 30\n"));
    CHECK(contains(with, "  AAAA  failed: NODATA (no fallback of this family)\n"));
    auto without = ctl.run({"alias", "status", "shop.test"}).out;
    CHECK(contains(without, "  A     failed: SERVFAIL\n"));
    auto json = ctl.run({"alias", "status", "example.com", "--json"}).out;
    CHECK(contains(json,
                   "\"a\": {\"state\": \"failed\", \"serving\": \"fallback\", "
                   "\"addresses\": [\"192.0.2.50\"], \"served_addresses\": "
                   "[\"192.0.2.9\"], \"ttl\": 30, \"result_ttl\": 60"));
    CHECK(contains(json, "\"aaaa\": {\"state\": \"failed\", \"serving\": \"nodata\""));
  }

  TEST_CASE("a row saved before the error time was kept: the error without its time") {
    Apexctl ctl;
    set_up_aliases(ctl);
    auto a = row("lb.cdn.example.net.", 1, "fresh", "192.0.2.50", 60, "lb.cdn.example.net.");
    a.last_error = "time-out from 127.0.0.1:53";
    ctl.save_results({a});
    CHECK(contains(ctl.run({"alias", "status", "shop.test"}).out,
                   "        last error: time-out from 127.0.0.1:53\n"));
  }

  TEST_CASE("NAME selects the alias at that name; every alias without an argument") {
    Apexctl ctl;
    set_up_aliases(ctl);
    save_results(ctl);
    auto one = ctl.run({"alias", "status", "WWW2.example.com"});
    CHECK(one.code == 0);
    CHECK(one.out.starts_with("www2.example.com. ALIAS edge.example.net. TTL 3600: failed\n"));
    CHECK(!contains(one.out, "lb.cdn.example.net."));
    auto all = ctl.run({"alias", "status"});
    CHECK(all.code == 0);
    CHECK(all.out.starts_with("example.com. ALIAS lb.cdn.example.net. TTL 300: fresh\n"));
    CHECK(contains(all.out, "\n\nwww2.example.com. ALIAS edge.example.net. TTL 3600: failed\n"));
    CHECK(contains(all.out, "\n\nshop.test. ALIAS lb.cdn.example.net. TTL 30: fresh\n"));
  }

  TEST_CASE("as JSON: every field, times in ISO 8601 UTC, null for none") {
    Apexctl ctl;
    set_up_aliases(ctl);
    save_results(ctl);
    auto r = ctl.run({"alias", "status", "www2.example.com", "--json"});
    CHECK(r.code == 0);
    CHECK(r.out ==
          "[\n"
          "  {\"owner\": \"www2.example.com.\", \"zone\": \"example.com.\", \"target\": "
          "\"edge.example.net.\", \"ttl\": 3600, \"fallback\": [], \"health\": null, \"state\": "
          "\"failed\", "
          "\"a\": {\"state\": \"stale\", \"serving\": \"addresses\", \"addresses\": "
          "[\"198.51.100.7\"], \"served_addresses\": [\"198.51.100.7\"], \"ttl\": 30, "
          "\"result_ttl\": 120, \"source\": null, \"chain\": [\"edge.example.net.\"], "
          "\"last_success\": "
          "\"2024-05-01T11:59:00.000Z\", \"last_attempt\": \"2024-05-01T11:59:55.000Z\", "
          "\"failing_since\": \"2024-05-01T11:57:00.000Z\", \"negative_since\": null, "
          "\"next_refresh\": \"2024-05-01T12:01:00.000Z\", \"last_error_at\": "
          "\"2024-05-01T11:59:55.000Z\", \"last_error\": \"time-out from 127.0.0.1:53\", "
          "\"consecutive_failures\": 2}, "
          "\"aaaa\": {\"state\": \"failed\", \"serving\": \"servfail\", \"addresses\": [], "
          "\"served_addresses\": [], \"ttl\": null, \"result_ttl\": 0, \"source\": null, "
          "\"chain\": [], "
          "\"last_success\": null, \"last_attempt\": \"2024-05-01T11:59:00.000Z\", "
          "\"failing_since\": null, \"negative_since\": null, \"next_refresh\": "
          "\"2024-05-01T12:01:00.000Z\", \"last_error_at\": \"2024-05-01T11:59:00.000Z\", "
          "\"last_error\": \"SERVFAIL from 127.0.0.1:53\", \"consecutive_failures\": 1}}\n"
          "]\n");
    CHECK(contains(ctl.run({"alias", "status", "example.com", "--json"}).out,
                   "\"fallback\": [\"192.0.2.9\"], \"health\": \"tcp:443\", \"state\": \"fresh\""));
  }

  TEST_CASE("a pending family as JSON") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"alias", "set", "example.com", "new.example.net"}).code == 0);
    auto r = ctl.run({"alias", "status", "--json"});
    CHECK(contains(r.out,
                   "\"state\": \"pending\", \"a\": {\"state\": \"pending\", \"serving\": "
                   "\"servfail\", \"addresses\": [], \"served_addresses\": [], \"ttl\": null, "
                   "\"result_ttl\": null, \"source\": null, \"chain\": [], \"last_success\": null, "
                   "\"last_attempt\": null, \"failing_since\": null, \"negative_since\": null, "
                   "\"next_refresh\": null, \"last_error_at\": null, \"last_error\": null, "
                   "\"consecutive_failures\": 0}"));
  }

  TEST_CASE("a zone without aliases shows nothing; a name without one is refused") {
    Apexctl ctl;
    set_up_aliases(ctl);
    REQUIRE(ctl.run({"zone", "add", "empty.test"}).code == 0);
    auto r = ctl.run({"alias", "status", "empty.test"});
    CHECK(r.code == 0);
    CHECK(r.out.empty());
    CHECK(ctl.run({"alias", "status", "empty.test", "--json"}).out == "[]\n");
    CHECK(ctl.refused({"alias", "status", "www.example.com"}) ==
          "apexctl: no ALIAS at www.example.com. in zone example.com.\n");
    CHECK(ctl.refused({"alias", "status", "nowhere.invalid"}) ==
          "apexctl: no zone in the database contains nowhere.invalid.\n");
    CHECK(ctl.refused({"alias", "status", "a..b"}) ==
          "apexctl: invalid name 'a..b': empty label\n");
    auto usage = ctl.run({"alias", "status", "a.test", "b.test"});
    CHECK(usage.code == 2);
    CHECK(usage.err == "apexctl: expected [ZONE|NAME]\nTry 'apexctl alias status --help'.\n");
  }

  TEST_CASE("reads only") {
    Apexctl ctl;
    set_up_aliases(ctl);
    save_results(ctl);
    const std::string before = ctl.everything();
    CHECK(ctl.run({"alias", "status"}).code == 0);
    CHECK(ctl.run({"alias", "status", "--json"}).code == 0);
    CHECK(ctl.run({"alias", "list"}).code == 0);
    CHECK(ctl.everything() == before);
  }

  TEST_CASE("help needs no database") {
    auto r = Apexctl::run_raw({"--db", "/nonexistent/x.db", "alias", "status", "--help"});
    CHECK(r.code == 0);
    CHECK(r.out.starts_with("Usage: apexctl [--db FILE] alias status [ZONE|NAME] [--json]\n"));
    auto group = Apexctl::run_raw({"alias", "--help"});
    CHECK(group.code == 0);
    CHECK(group.out.starts_with("Usage: apexctl [--db FILE] alias COMMAND [ARGS...]\n"));
    CHECK(contains(Apexctl::run_raw({"--help"}).out, "  alias status [ZONE|NAME] [--json]"));
  }
}

TEST_SUITE("alias status: the alias's own word") {
  TEST_CASE("the same word when the families agree") {
    for (const char* word : {"fresh", "stale", "negative", "failed", "pending"}) {
      CHECK(admin::overall_state(word, word) == word);
    }
  }

  TEST_CASE("a negative family gives way to the other: a target without AAAA is normal") {
    CHECK(admin::overall_state("fresh", "negative") == "fresh");
    CHECK(admin::overall_state("negative", "stale") == "stale");
    CHECK(admin::overall_state("negative", "failed") == "failed");
    CHECK(admin::overall_state("pending", "negative") == "pending");
  }

  TEST_CASE("otherwise the more serious: failed, pending, stale, fresh") {
    CHECK(admin::overall_state("fresh", "stale") == "stale");
    CHECK(admin::overall_state("stale", "failed") == "failed");
    CHECK(admin::overall_state("pending", "fresh") == "pending");
    CHECK(admin::overall_state("failed", "pending") == "failed");
  }
}

}  // namespace apex::testing
