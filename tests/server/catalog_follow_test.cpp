// Specification of the catalog zone in live apply (RFC 9432): apexd rebuilds it when a zone is
// created or deleted or the catalog is set or unset, announces it like a changed zone, and
// leaves it untouched by record edits.
#include <doctest/doctest.h>

#include "server/zone_follower.hpp"
#include "storage/zone_loader.hpp"
#include "tests/storage/temp_directory.hpp"
#include "zones/master_file.hpp"

namespace apex::server {
namespace {

Name name(const char* text) {
  return Name::from_text(text).value();
}

struct Fixture {
  testing::TempDirectory dir;
  std::unique_ptr<storage::Database> writer =
      storage::Database::open(dir / "z.db", storage::OpenMode::kCreate).value();
  boost::asio::io_context io;
  std::vector<Name> announced;  // what on_change was told, last poll

  void write(const char* apex, const std::string& extra = "") {
    auto origin = name(apex);
    auto file = read_master_text(
        "@ 60 IN SOA ns h 1 2 3 4 5\n@ 60 IN NS ns\nns 60 IN A 192.0.2.1\n" + extra, origin);
    REQUIRE_MESSAGE(file.ok(), file.error());
    REQUIRE(writer->replace_zone(origin, file->records).ok());
    REQUIRE(writer->log_change({origin, "test", "zone import", ""}).ok());
  }
  void remove(const char* apex) {
    REQUIRE(*writer->delete_zone(name(apex)));
    REQUIRE(writer->log_change({name(apex), "test", "zone delete", ""}).ok());
  }
  void set_catalog(std::optional<Name> catalog) {
    REQUIRE(writer->set_catalog(catalog).ok());
    REQUIRE(writer->log_change(storage::transfer_settings_change("test", "catalog set", "")).ok());
  }
  std::unique_ptr<ZoneFollower> follow(SnapshotStore& store, std::int64_t seen) {
    auto reader = storage::Database::open(dir / "z.db", storage::OpenMode::kExisting).value();
    auto follower =
        std::make_unique<ZoneFollower>(io, std::move(reader), store, seen, std::chrono::hours(1));
    follower->on_change([this](const ZoneIndexPtr&, const std::vector<Name>& changed,
                               storage::Database&) { announced = changed; });
    return follower;
  }
  static ZonePtr catalog_in(const SnapshotStore& store, const char* apex) {
    return store.current()->share_exact(name(apex).wire_view());
  }
};

}  // namespace

TEST_CASE_FIXTURE(Fixture, "the catalog follows zone creations and deletions, not record edits") {
  write("a.test.");
  set_catalog(name("cat.test."));
  SnapshotStore store(std::make_shared<ZoneIndex>());
  auto follower = follow(store, 0);
  follower->poll();
  ZonePtr first = catalog_in(store, "cat.test.");
  REQUIRE(first);
  CHECK(first->record_count() == 4);  // SOA, NS, version, a.test.
  CHECK(first->serial() == writer->catalog_state()->serial);
  CHECK(std::find(announced.begin(), announced.end(), name("cat.test.")) != announced.end());

  write("b.test.");
  follower->poll();
  ZonePtr second = catalog_in(store, "cat.test.");
  CHECK(second->record_count() == 5);
  CHECK(second->serial() == first->serial() + 1);
  CHECK(announced == std::vector<Name>{name("b.test."), name("cat.test.")});

  write("b.test.", "www 60 IN A 192.0.2.9\n");
  follower->poll();
  CHECK(catalog_in(store, "cat.test.") == second);  // the same snapshot: not rebuilt
  CHECK(announced == std::vector<Name>{name("b.test.")});

  remove("a.test.");
  follower->poll();
  CHECK(catalog_in(store, "cat.test.")->record_count() == 4);
  CHECK(catalog_in(store, "cat.test.")->serial() == second->serial() + 1);
}

TEST_CASE_FIXTURE(Fixture, "unsetting the catalog removes it; renaming it moves it") {
  write("a.test.");
  set_catalog(name("cat.test."));
  SnapshotStore store(std::make_shared<ZoneIndex>());
  auto follower = follow(store, 0);
  follower->poll();
  REQUIRE(catalog_in(store, "cat.test."));

  set_catalog(name("catalog.test."));
  follower->poll();
  CHECK_FALSE(catalog_in(store, "cat.test."));
  CHECK(catalog_in(store, "catalog.test."));
  CHECK(announced == std::vector<Name>{name("catalog.test.")});

  set_catalog(std::nullopt);
  follower->poll();
  CHECK_FALSE(catalog_in(store, "catalog.test."));
  CHECK(store.current()->zone_count() == 1);
}

TEST_CASE_FIXTURE(Fixture, "the loader serves the catalog; the follower keeps what it loaded") {
  write("a.test.");
  set_catalog(name("cat.test."));
  auto reader = storage::Database::open(dir / "z.db", storage::OpenMode::kExisting).value();
  storage::LoadReport report;
  SnapshotStore store(storage::load_zone_index(*reader, report).value());
  CHECK(report.catalog == writer->catalog_state().value());
  ZonePtr loaded = catalog_in(store, "cat.test.");
  REQUIRE(loaded);
  CHECK(loaded->record_count() == 4);

  auto follower = follow(store, writer->last_change_id().value());
  follower->catalog_published(report.catalog);
  write("a.test.", "www 60 IN A 192.0.2.9\n");
  follower->poll();
  CHECK(catalog_in(store, "cat.test.") == loaded);
}

}  // namespace apex::server
