// Specification of the upgrade path: a database an older apexdns left (built by the real
// migrations up to its version) is migrated in place when opened, keeping its data.
#include "storage/migrations.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include "storage/database.hpp"
#include "tests/storage/temp_directory.hpp"

namespace apex::storage {
namespace {

using testing::TempDirectory;

// Creates a database at schema version `version` and runs sql on it, as that version would.
void older_database(const std::filesystem::path& path, int version, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  auto migrated = migrate_to(db, version);
  char* message = nullptr;
  const int rc = migrated ? sqlite3_exec(db, sql, nullptr, nullptr, &message) : SQLITE_OK;
  std::string text = message != nullptr ? message : "";
  sqlite3_free(message);
  auto stepped = schema_version(db);
  sqlite3_close(db);
  REQUIRE_MESSAGE(migrated.ok(), migrated.error());
  REQUIRE_MESSAGE(rc == SQLITE_OK, text);
  REQUIRE(*stepped == version);
}

// Two families as apexdns 3 saved them: A served fresh, AAAA stale and failing.
constexpr const char* kVersion3Rows = R"sql(
  INSERT INTO alias_state (target, family, state, addresses, ttl, chain, last_success_ms,
                           last_attempt_ms, failing_since_ms, negative_since_ms,
                           next_refresh_ms, last_error)
  VALUES ('lb.cdn.test.', 1, 'fresh', '192.0.2.10', 60, 'lb.cdn.test.', 1000, 1000, 0, 0,
          61000, ''),
         ('lb.cdn.test.', 28, 'stale', '2001:db8::10', 120, 'lb.cdn.test.', 1000, 9000, 5000,
          0, 14000, 'time-out from 127.0.0.1:53');
)sql";

}  // namespace

TEST_CASE("a version 3 database is upgraded in place; its flattener results are kept") {
  TempDirectory dir;
  older_database(dir / "v3.db", 3, kVersion3Rows);

  auto db = Database::open(dir / "v3.db", OpenMode::kExisting);
  REQUIRE_MESSAGE(db.ok(), db.error());
  CHECK(*(*db)->schema_version() == current_schema_version());
  auto rows = (*db)->alias_targets();
  REQUIRE_MESSAGE(rows.ok(), rows.error());
  REQUIRE(rows->size() == 2);
  const AliasTargetRow& a = (*rows)[0];
  CHECK(a.state == "fresh");
  CHECK(a.addresses == "192.0.2.10");
  CHECK(a.next_refresh_ms == 61000);
  CHECK(a.last_error_ms == 0);
  CHECK(a.consecutive_failures == 0);
  CHECK(a.served_ttl == 60);
  // The failing family failed at its last attempt, at least once; what TTL it was served
  // with is not known: the result's, until apexd saves it again.
  const AliasTargetRow& aaaa = (*rows)[1];
  CHECK(aaaa.failing_since_ms == 5000);
  CHECK(aaaa.last_error == "time-out from 127.0.0.1:53");
  CHECK(aaaa.last_error_ms == 9000);
  CHECK(aaaa.consecutive_failures == 1);
  CHECK(aaaa.served_ttl == 120);
}

TEST_CASE(
    "a version 10 database's text alias settings become typed ones, read as apexd read them") {
  TempDirectory dir;
  older_database(dir / "v10.db", 10,
                 "INSERT INTO zones (id, name) VALUES (1, 'shop.test.');"
                 "INSERT INTO alias_settings (zone_id, owner, fallback, health) VALUES "
                 "(1, 'a.shop.test.', '192.0.2.9,2001:db8::9,192.0.2.1', 'tcp:443'),"
                 "(1, 'b.shop.test.', '2001:db8::1,bogus', ''),"
                 "(1, 'c.shop.test.', '', 'tcp:0');");

  auto db = Database::open(dir / "v10.db", OpenMode::kExisting);
  REQUIRE_MESSAGE(db.ok(), db.error());
  auto settings = (*db)->alias_settings(std::nullopt);
  REQUIRE_MESSAGE(settings.ok(), settings.error());
  REQUIRE(settings->size() == 3);
  using Addresses = std::vector<std::vector<std::uint8_t>>;
  const AliasSettings& a = (*settings)[0];
  CHECK(a.fallback_a == Addresses{{192, 0, 2, 1}, {192, 0, 2, 9}});
  CHECK(a.fallback_aaaa == Addresses{{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9}});
  CHECK(a.health_tcp_port == 443);
  // What apexd ignored before (no address, port 0) is dropped; the rest is kept.
  const AliasSettings& b = (*settings)[1];
  CHECK(b.fallback_a.empty());
  CHECK(b.fallback_aaaa.size() == 1);
  CHECK_FALSE(b.health_tcp_port.has_value());
  const AliasSettings& c = (*settings)[2];
  CHECK(c.empty());
}

TEST_CASE("every version upgrades to the current one") {
  std::vector<int> versions = schema_versions();
  versions.insert(versions.begin(), 0);
  versions.pop_back();  // the current one
  for (int version : versions) {
    CAPTURE(version);
    TempDirectory dir;
    older_database(dir / "old.db", version, "SELECT 1");
    if (version == 0) continue;  // a database without apexdns tables is never adopted
    auto db = Database::open(dir / "old.db", OpenMode::kExisting);
    REQUIRE_MESSAGE(db.ok(), db.error());
    CHECK(*(*db)->schema_version() == current_schema_version());
    CHECK((*db)->alias_targets().ok());
    CHECK((*db)->provider_zones().ok());
  }
}

TEST_CASE("a database from before the transfer settings gets them empty, and keeps its zones") {
  TempDirectory dir;
  older_database(dir / "v4.db", 4,
                 "INSERT INTO zones (name) VALUES ('example.com.');"
                 "INSERT INTO change_log (zone, actor, operation) "
                 "VALUES ('example.com.', 'alice', 'zone add');");

  auto db = Database::open(dir / "v4.db", OpenMode::kExisting);
  REQUIRE_MESSAGE(db.ok(), db.error());
  CHECK(*(*db)->schema_version() == current_schema_version());
  auto settings = (*db)->load_transfer_settings();
  REQUIRE_MESSAGE(settings.ok(), settings.error());
  CHECK(settings->keys.empty());
  CHECK(settings->secondaries.empty());
  // The old zone can be given to a secondary; old log entries still name their zone.
  auto added = (*db)->add_secondary(
      {"192.0.2.53", 53, std::nullopt, false, {Name::from_text("example.com.").value()}});
  REQUIRE_MESSAGE(added.ok(), added.error());
  auto log = (*db)->changes_since(0);
  REQUIRE(log.ok());
  REQUIRE(log->size() == 1);
  CHECK(log->front().entry.zone == Name::from_text("example.com.").value());
}

TEST_CASE("the secondary state table is created, keyed by secondary and zone") {
  TempDirectory dir;
  older_database(dir / "now.db", current_schema_version(),
                 "INSERT INTO zones (id, name) VALUES (7, 'example.com.');"
                 "INSERT INTO secondaries (id, address, port) VALUES (3, '192.0.2.53', 53);"
                 "INSERT INTO secondary_state (secondary_id, zone_id, notify_sent_ms, "
                 "notify_serial) VALUES (3, 7, 1000, 4294967295);");
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((dir / "now.db").c_str(), &db) == SQLITE_OK);
  // A serial is 32 bits (RFC 1982); a second row for the same pair is refused.
  const int too_big = sqlite3_exec(db, "UPDATE secondary_state SET transfer_serial = 4294967296",
                                   nullptr, nullptr, nullptr);
  const int duplicate =
      sqlite3_exec(db, "INSERT INTO secondary_state (secondary_id, zone_id) VALUES (3, 7)", nullptr,
                   nullptr, nullptr);
  sqlite3_close(db);
  CHECK(too_big == SQLITE_CONSTRAINT);
  CHECK(duplicate == SQLITE_CONSTRAINT);
}

TEST_CASE("version 5: zones are not provider-owned until marked; saved results count as local") {
  TempDirectory dir;
  older_database(dir / "v4.db", 4, R"sql(
    INSERT INTO zones (name) VALUES ('hostco.example.'), ('shop.example.');
    INSERT INTO alias_state (target, family, state, addresses, ttl, last_success_ms)
    VALUES ('www.hostco.example.', 1, 'fresh', '192.0.2.10', 60, 1000),
           ('www.hostco.example.', 28, 'pending', '', 0, 0);
  )sql");

  auto db = Database::open(dir / "v4.db", OpenMode::kExisting);
  REQUIRE_MESSAGE(db.ok(), db.error());
  CHECK(*(*db)->schema_version() == current_schema_version());
  CHECK((*db)->provider_zones()->empty());
  CHECK(*(*db)->zone_provider(Name::from_text("hostco.example.").value()) == false);
  // Any served zone could have answered them: apexd re-checks those against provider zones.
  auto rows = (*db)->alias_targets();
  REQUIRE(rows->size() == 2);
  CHECK((*rows)[0].source == "local");
  CHECK((*rows)[1].source == "");
}

TEST_CASE(
    "a version 12 database's keys get their times: an active key published and signing "
    "since its creation, a retired one none") {
  TempDirectory dir;
  older_database(dir / "v12.db", 12,
                 "INSERT INTO zones (id, name) VALUES (7, 'example.com.');"
                 "INSERT INTO dnssec_keys (zone_id, key_tag, algorithm, flags, private_key, "
                 "dnskey, state, created_at) VALUES "
                 "(7, 1, 13, 257, x'30', x'0101030d', 'retired', 1600000000),"
                 "(7, 2, 13, 257, x'30', x'0101030d', 'active', 1700000000);"
                 "INSERT INTO dnssec_settings (zone_id, denial) VALUES (7, 'nsec3');");
  auto db = Database::open(dir / "v12.db", OpenMode::kExisting);
  REQUIRE_MESSAGE(db.ok(), db.error());
  auto found = (*db)->zone_dnssec(Name::from_text("example.com.").value());
  REQUIRE_MESSAGE(found.ok(), found.error());
  REQUIRE(found->has_value());
  const ZoneDnssec& dnssec = **found;
  REQUIRE(dnssec.keys.size() == 2);
  CHECK(dnssec.keys[0].times == KeyTimes{});
  CHECK(dnssec.keys[1].times == KeyTimes{1700000000, 1700000000, {}, {}});
  CHECK(dnssec.settings.denial == DenialOfExistence::kNsec3);
  CHECK(dnssec.settings.propagation_delay_s == 3600);
  CHECK(dnssec.settings.parent_ds_ttl_s == 86400);
  CHECK_FALSE(dnssec.settings.delete_since_s);
}

}  // namespace apex::storage
