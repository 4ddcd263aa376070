// Specification of apexctl's building blocks: the apply script reader, zone-name patterns,
// timestamps, in-memory zones and their differences.
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

#include "admin/apply_script.hpp"
#include "admin/iso_time.hpp"
#include "admin/name_pattern.hpp"
#include "admin/working_zone.hpp"
#include "admin/zone_diff.hpp"
#include "zones/master_file.hpp"

namespace apex::admin {
namespace {

std::vector<ScriptLine> script(const std::string& text) {
  std::istringstream in(text);
  auto lines = read_apply_script(in, "t");
  REQUIRE_MESSAGE(lines.ok(), lines.error());
  return *lines;
}

WorkingZone zone_of(const std::string& text) {
  const Name apex = Name::from_text("z.test.").value();
  auto file = read_master_text("$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\n" + text, apex);
  REQUIRE_MESSAGE(file.ok(), file.error());
  auto zone = WorkingZone::from_records(apex, file->records);
  REQUIRE_MESSAGE(zone.ok(), zone.error());
  return *zone;
}

}  // namespace

TEST_SUITE("apply script") {
  TEST_CASE("words, double quotes kept, single quotes removed, comments, blank lines") {
    auto lines = script(
        "# header\n\nrecord add x TXT \"a b\" # trailing\n"
        "  record set y MX --rdata '10 mail'\t--ttl=60\r\nrecord add z TXT a\\ b \"q\\\"x\"\n");
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].number == 3);
    CHECK(lines[0].words == std::vector<std::string>{"record", "add", "x", "TXT", "\"a b\""});
    CHECK(lines[1].number == 4);
    CHECK(lines[1].words ==
          std::vector<std::string>{"record", "set", "y", "MX", "--rdata", "10 mail", "--ttl=60"});
    CHECK(lines[2].words ==
          std::vector<std::string>{"record", "add", "z", "TXT", "a\\ b", "\"q\\\"x\""});
  }

  TEST_CASE("a byte order mark is skipped; an open quote is an error with its line") {
    CHECK(script("\xEF\xBB\xBFzone add a.test\n")[0].words ==
          std::vector<std::string>{"zone", "add", "a.test"});
    std::istringstream in("zone add a\nrecord add x TXT \"open\n");
    auto lines = read_apply_script(in, "f.txt");
    REQUIRE_FALSE(lines.ok());
    CHECK(lines.error() == "f.txt:2: unterminated quoted string");
  }
}

TEST_SUITE("name pattern") {
  TEST_CASE("globs over names, case-insensitive, trailing dot optional") {
    CHECK(NamePattern("*.example.com").matches("www.example.com."));
    CHECK(NamePattern("*.EXAMPLE.com.").matches("a.b.example.com."));
    CHECK_FALSE(NamePattern("*.example.com").matches("example.com."));
    CHECK(NamePattern("shop-??.test").matches("shop-01.test."));
    CHECK_FALSE(NamePattern("shop-??.test").matches("shop-1.test."));
    CHECK(NamePattern("*").matches("anything."));
    CHECK(NamePattern("a*b*c").matches("axxbyyc"));
    CHECK_FALSE(NamePattern("a*b*c").matches("axxbyy"));
  }
}

TEST_SUITE("iso time") {
  TEST_CASE("UTC with milliseconds") {
    CHECK(iso8601_utc(0) == "1970-01-01T00:00:00.000Z");
    CHECK(iso8601_utc(1714564800123) == "2024-05-01T12:00:00.123Z");
  }
}

TEST_SUITE("working zone") {
  TEST_CASE("groups records into RRsets, merging duplicates and owner case") {
    auto zone = zone_of("www A 192.0.2.1\nWWW A 192.0.2.1\nwww A 192.0.2.2\n");
    CHECK(zone.record_count() == 4);
    const RRsetData* a = zone.find(Name::from_text("www.z.test.").value(), RRType::A);
    REQUIRE(a != nullptr);
    CHECK(a->rdatas.size() == 2);
    CHECK(a->owner.to_text() == "www.z.test.");
  }

  TEST_CASE("differing TTLs in an RRset are an error") {
    const Name apex = Name::from_text("z.test.").value();
    auto file = read_master_text("www 60 A 192.0.2.1\nwww 70 A 192.0.2.2\n", apex);
    REQUIRE(file.ok());
    auto zone = WorkingZone::from_records(apex, file->records);
    REQUIRE_FALSE(zone.ok());
    CHECK(zone.error() ==
          "www.z.test. A: TTL 70 differs from the RRset's TTL 60 (RFC 2181 §5.2: one TTL per "
          "RRset)");
  }

  TEST_CASE("RRSIGs over different types keep their own TTLs (RFC 4034 §3)") {
    const std::string sig = " 13 3 300 20270101000000 20260101000000 1 z.test. AAECAwQ=\n";
    auto zone = zone_of(
        "www 300 A 192.0.2.1\nwww 60 NSEC z.test. A RRSIG NSEC\n"
        "www 300 RRSIG A" +
        sig + "www 60 RRSIG NSEC" + sig);
    std::vector<std::uint32_t> rrsig_ttls;
    for (const auto& r : zone.to_records())
      if (r.type == RRType::RRSIG) rrsig_ttls.push_back(r.ttl);
    std::sort(rrsig_ttls.begin(), rrsig_ttls.end());
    CHECK(rrsig_ttls == std::vector<std::uint32_t>{60, 300});
  }

  TEST_CASE("diff: changed RRsets, and the records behind them") {
    auto before = zone_of("a A 192.0.2.1\nb A 192.0.2.2\nc TXT x\n");
    auto after = zone_of("a A 192.0.2.1\nb A 192.0.2.3\nd TXT y\n");
    auto changes = diff_rrsets(&before, &after);
    REQUIRE(changes.size() == 3);  // b changed, c gone, d new
    auto records = record_changes(changes);
    CHECK(records.removed.size() == 2);
    CHECK(records.added.size() == 2);
    CHECK(diff_rrsets(&before, &before).empty());
    CHECK(diff_rrsets(nullptr, &before).size() == before.rrsets().size());
  }
}

}  // namespace apex::admin
