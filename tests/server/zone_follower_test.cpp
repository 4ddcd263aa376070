// Specification of live apply: change-log entries republish exactly the zones they name; a
// zone that fails validation keeps its old data serving.
#include "server/zone_follower.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <ctime>
#include <thread>

#include "storage/zone_loader.hpp"
#include "tests/storage/temp_directory.hpp"
#include "zones/master_file.hpp"
#include "zones/signing_key.hpp"

namespace apex::server {
namespace {

std::vector<Record> zone_text(const char* apex, const std::string& extra) {
  auto origin = Name::from_text(apex).value();
  auto file = read_master_text(
      "@ 60 IN SOA ns h 1 2 3 4 5\n@ 60 IN NS ns\nns 60 IN A 192.0.2.1\n" + extra, origin);
  REQUIRE_MESSAGE(file.ok(), file.error());
  return file->records;
}

struct Fixture {
  testing::TempDirectory dir;
  std::unique_ptr<storage::Database> writer =
      storage::Database::open(dir / "z.db", storage::OpenMode::kCreate).value();
  boost::asio::io_context io;

  void write(const char* apex, const std::string& extra) {
    auto name = Name::from_text(apex).value();
    REQUIRE(writer->replace_zone(name, zone_text(apex, extra)).ok());
    REQUIRE(writer->log_change({name, "test", "zone import", ""}).ok());
  }
  std::size_t records_of(const ZoneIndex& index, const char* apex) {
    auto key = Name::from_text(apex).value().lowercased();
    const Zone* zone = index.find_exact(key.wire_view());
    return zone ? zone->record_count() : 0;
  }
};

}  // namespace

TEST_CASE_FIXTURE(Fixture, "changed zones are rebuilt, others are shared untouched") {
  write("a.test.", "");
  write("b.test.", "");
  auto reader = storage::Database::open(dir / "z.db", storage::OpenMode::kExisting).value();
  storage::LoadReport report;
  SnapshotStore store(storage::load_zone_index(*reader, report).value());
  const Zone* b_before = store.current()->find_exact(Name::from_text("b.test.")->wire_view());
  ZoneFollower follower(io, std::move(reader), store, writer->last_change_id().value(),
                        std::chrono::milliseconds(50));
  auto generation = store.generation();
  follower.poll();
  CHECK(store.generation() == generation);  // nothing new: nothing published

  write("a.test.", "www 60 IN A 192.0.2.2\n");
  follower.poll();
  CHECK(store.generation() == generation + 1);
  CHECK(records_of(*store.current(), "a.test.") == 4);
  CHECK(store.current()->find_exact(Name::from_text("b.test.")->wire_view()) == b_before);
}

TEST_CASE_FIXTURE(Fixture, "new zones appear, deleted zones disappear") {
  write("a.test.", "");
  auto reader = storage::Database::open(dir / "z.db", storage::OpenMode::kExisting).value();
  SnapshotStore store(std::make_shared<ZoneIndex>());
  ZoneFollower follower(io, std::move(reader), store, 0, std::chrono::milliseconds(50));
  follower.poll();
  CHECK(records_of(*store.current(), "a.test.") == 3);
  REQUIRE(writer->delete_zone(Name::from_text("a.test.").value()).ok());
  REQUIRE(writer->log_change({Name::from_text("a.test.").value(), "test", "zone delete", ""}).ok());
  follower.poll();
  CHECK(store.current()->zone_count() == 0);
}

TEST_CASE_FIXTURE(Fixture, "a zone that fails validation keeps serving its previous data") {
  write("a.test.", "");
  auto reader = storage::Database::open(dir / "z.db", storage::OpenMode::kExisting).value();
  SnapshotStore store(std::make_shared<ZoneIndex>());
  ZoneFollower follower(io, std::move(reader), store, 0, std::chrono::milliseconds(50));
  follower.poll();
  // Written behind the validator's back: a second SOA.
  auto apex = Name::from_text("a.test.").value();
  auto bad = zone_text("a.test.", "@ 60 IN SOA ns h 9 2 3 4 5\n");
  REQUIRE(writer->replace_zone(apex, bad).ok());
  REQUIRE(writer->log_change({apex, "test", "zone import", ""}).ok());
  follower.poll();
  const Zone* zone = store.current()->find_exact(apex.lowercased().wire_view());
  REQUIRE(zone != nullptr);
  CHECK(zone->serial() == 1);
}

TEST_CASE_FIXTURE(Fixture, "a write to the database wakes the follower long before its interval") {
  write("a.test.", "");
  auto reader = storage::Database::open(dir / "z.db", storage::OpenMode::kExisting).value();
  SnapshotStore store(std::make_shared<ZoneIndex>());
  // An hour between polls: only the database watch can bring the change in time.
  ZoneFollower follower(io, std::move(reader), store, 0, std::chrono::hours(1));
  follower.start();
  io.run_for(std::chrono::milliseconds(20));
  CHECK(store.current()->zone_count() == 0);  // nothing written since start: no poll yet
  write("b.test.", "");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (store.current()->zone_count() < 2 && std::chrono::steady_clock::now() < deadline)
    io.run_for(std::chrono::milliseconds(5));
  CHECK(store.current()->zone_count() == 2);
  follower.stop();
  io.run_for(std::chrono::milliseconds(5));
}

TEST_CASE_FIXTURE(Fixture,
                  "a transfer-settings entry calls the settings hook and rebuilds no zone") {
  write("a.test.", "");
  auto reader = storage::Database::open(dir / "z.db", storage::OpenMode::kExisting).value();
  storage::LoadReport report;
  SnapshotStore store(storage::load_zone_index(*reader, report).value());
  ZoneFollower follower(io, std::move(reader), store, writer->last_change_id().value(),
                        std::chrono::milliseconds(50));
  int zone_changes = 0;
  follower.on_change(
      [&](const ZoneIndexPtr&, const std::vector<Name>&, storage::Database&) { ++zone_changes; });
  std::vector<std::size_t> keys_seen;
  follower.on_settings_change([&](storage::Database& db) {
    keys_seen.push_back(db.load_transfer_settings().value().keys.size());
  });
  const auto generation = store.generation();

  // Two settings changes in one poll: one call, after both are visible.
  for (const char* key : {"k1.", "k2."}) {
    REQUIRE(writer
                ->add_tsig_key(
                    {Name::from_text(key).value(), "hmac-sha256", std::vector<std::uint8_t>(32, 1)})
                .ok());
    REQUIRE(writer->log_change(storage::transfer_settings_change("test", "tsig add", key)).ok());
  }
  follower.poll();
  CHECK(keys_seen == std::vector<std::size_t>{2});
  CHECK(zone_changes == 0);
  CHECK(store.generation() == generation);  // no zone '' or root zone was rebuilt
  CHECK(records_of(*store.current(), "a.test.") == 3);

  // Zone and settings entries together: the zone is published, then the hook runs once.
  write("a.test.", "www 60 IN A 192.0.2.2\n");
  REQUIRE(writer->log_change(storage::transfer_settings_change("test", "secondary add", "")).ok());
  follower.poll();
  CHECK(zone_changes == 1);
  CHECK(store.generation() == generation + 1);
  CHECK(keys_seen.size() == 2);
  follower.poll();  // nothing new: no second call
  CHECK(keys_seen.size() == 2);
}

TEST_CASE_FIXTURE(Fixture, "each poll that applies changes is timed; the last change is dated") {
  write("a.test.", "");
  auto reader = storage::Database::open(dir / "z.db", storage::OpenMode::kExisting).value();
  storage::LoadReport report;
  SnapshotStore store(storage::load_zone_index(*reader, report).value());
  const double before = static_cast<double>(std::time(nullptr));
  ZoneFollower follower(io, std::move(reader), store, writer->last_change_id().value(),
                        std::chrono::milliseconds(50));
  // The index it starts from was loaded just now.
  const double loaded = follower.last_applied();
  CHECK(loaded >= before);
  CHECK(loaded < before + 60);
  follower.poll();
  CHECK(follower.apply_durations().count() == 0);  // nothing new: nothing timed

  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  write("a.test.", "www 60 IN A 192.0.2.2\n");
  follower.poll();
  const HistogramValues timed = follower.apply_durations();
  CHECK(timed.count() == 1);
  CHECK(timed.sum > 0);
  CHECK(timed.sum < 10);
  CHECK(follower.last_applied() > loaded);
}

TEST_CASE_FIXTURE(Fixture, "apexd refuses what apexctl refuses: data below a zone cut") {
  // Occluded data (RFC 1034 §4.2.1) is refused by build_zone itself: a zone written by
  // other means than apexctl is left out at load, as apexctl would have refused it.
  write("a.test.", "");
  write("b.test.", "sub 60 IN NS ns.other.\nwww.sub 60 IN TXT x\n");
  auto reader = storage::Database::open(dir / "z.db", storage::OpenMode::kExisting).value();
  storage::LoadReport report;
  auto index = storage::load_zone_index(*reader, report);
  REQUIRE(index.ok());
  CHECK(records_of(**index, "a.test.") == 3);
  CHECK(records_of(**index, "b.test.") == 0);
  REQUIRE(report.rejected.size() == 1);
  CHECK(
      report.rejected[0].starts_with("b.test.: www.sub.b.test. TXT: occluded by the delegation "
                                     "at sub.b.test."));
}

TEST_CASE_FIXTURE(Fixture, "a zone's snapshot and its replacement are told before publication") {
  write("a.test.", "");
  auto reader = storage::Database::open(dir / "z.db", storage::OpenMode::kExisting).value();
  storage::LoadReport report;
  SnapshotStore store(storage::load_zone_index(*reader, report).value());
  ZoneFollower follower(io, std::move(reader), store, writer->last_change_id().value(),
                        std::chrono::milliseconds(50));
  struct Told {
    Name apex;
    ZonePtr before, after;
    std::uint64_t generation;  // the store's, when told
  };
  std::vector<Told> told;
  follower.on_replacing(
      [&](const Name& apex, const ZonePtr& before, const ZonePtr& after, storage::Database&) {
        told.push_back({apex, before, after, store.generation()});
      });
  const auto key = Name::from_text("a.test.").value().lowercased();
  const ZonePtr served = store.current()->share_exact(key.wire_view());
  const auto generation = store.generation();

  write("a.test.", "www 60 IN A 192.0.2.2\n");
  follower.poll();
  REQUIRE(told.size() == 1);
  CHECK(told[0].apex == Name::from_text("a.test.").value());
  CHECK(told[0].before == served);
  CHECK(told[0].after == store.current()->share_exact(key.wire_view()));
  CHECK(told[0].generation == generation);  // before the new index was published

  REQUIRE(writer->delete_zone(Name::from_text("a.test.").value()).ok());
  REQUIRE(writer->log_change({Name::from_text("a.test.").value(), "test", "zone delete", ""}).ok());
  follower.poll();
  REQUIRE(told.size() == 2);
  CHECK(told[1].before == told[0].after);
  CHECK(told[1].after == nullptr);
}

TEST_CASE_FIXTURE(Fixture, "signing anew raises the serial and publishes the zone signed again") {
  write("a.test.", "");
  const Name apex = Name::from_text("a.test.").value();
  auto key = SigningKey::generate(DnssecAlgorithm::kEd25519).value();
  REQUIRE(
      writer
          ->add_dnssec_key(
              apex, storage::DnssecKeyRow{key.key_tag(),
                                          static_cast<std::uint8_t>(key.algorithm()),
                                          key.flags(),
                                          key.to_pkcs8(),
                                          {key.dnskey_rdata().begin(), key.dnskey_rdata().end()},
                                          storage::DnssecKeyState::kActive,
                                          1'700'000'000,
                                          storage::KeyTimes{1'700'000'000, 1'700'000'000, {}, {}}})
          .ok());
  // Signatures valid for 10 s and renewed when 9 s are left: due a second after signing.
  storage::SigningPolicy policy;
  policy.signature_validity_s = 10;
  policy.refresh_s = 9;
  policy.jitter_fraction = 0;
  auto reader = storage::Database::open(dir / "z.db", storage::OpenMode::kExisting).value();
  storage::LoadReport report;
  SnapshotStore store(storage::load_zone_index(*reader, report, policy).value());
  ZoneFollower follower(io, std::move(reader), store, writer->last_change_id().value(),
                        std::chrono::hours(1));
  follower.set_signing(policy);
  follower.zones_signed(report.signed_zones);
  const auto serial = [&] {
    return store.current()->find_exact(apex.lowercased().wire_view())->serial();
  };
  REQUIRE(store.current()->find_exact(apex.lowercased().wire_view())->is_signed());
  REQUIRE(serial() == 1);
  // The bump is the follower's own write, which PRAGMA data_version does not count: the
  // poll after it must read the change log all the same.
  follower.poll();  // nothing new; notes the data version
  follower.start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (serial() == 1 && std::chrono::steady_clock::now() < deadline)
    io.run_for(std::chrono::milliseconds(20));
  CHECK(serial() == 2);
  CHECK(store.current()->find_exact(apex.lowercased().wire_view())->is_signed());
  follower.stop();
  io.run_for(std::chrono::milliseconds(5));
}

TEST_CASE_FIXTURE(Fixture, "a key event rebuilds the zone at its time, with no write to wait for") {
  write("a.test.", "");
  const Name apex = Name::from_text("a.test.").value();
  auto key = SigningKey::generate(DnssecAlgorithm::kEd25519);
  REQUIRE(key.ok());
  const std::int64_t now = std::time(nullptr);
  storage::DnssecKeyRow row;
  row.key_tag = key->key_tag();
  row.algorithm = static_cast<std::uint8_t>(key->algorithm());
  row.flags = key->flags();
  row.private_key = key->to_pkcs8();
  row.dnskey_rdata.assign(key->dnskey_rdata().begin(), key->dnskey_rdata().end());
  row.created_s = now;
  row.times = storage::KeyTimes{now + 1, now + 1, {}, {}};  // published and signing in 1 s
  REQUIRE(writer->add_dnssec_key(apex, row).ok());
  auto reader = storage::Database::open(dir / "z.db", storage::OpenMode::kExisting).value();
  storage::LoadReport report;
  SnapshotStore store(storage::load_zone_index(*reader, report).value());
  const auto is_signed = [&] {
    const Zone* zone = store.current()->find_exact(apex.lowercased().wire_view());
    REQUIRE(zone != nullptr);
    return zone->find(apex.lowercased().wire_view()) != nullptr &&
           zone->find(apex.lowercased().wire_view())->find(RRType::DNSKEY) != nullptr;
  };
  CHECK_FALSE(is_signed());
  // Polls an hour apart and re-signing after three days: only the key event can do it.
  ZoneFollower follower(io, std::move(reader), store, writer->last_change_id().value(),
                        std::chrono::hours(1));
  follower.set_signing({});
  follower.zones_signed(report.signed_zones);
  follower.start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!is_signed() && std::chrono::steady_clock::now() < deadline)
    io.run_for(std::chrono::milliseconds(20));
  CHECK(is_signed());
  CHECK(std::time(nullptr) >= now + 1);
  follower.stop();
  io.run_for(std::chrono::milliseconds(5));
}

namespace {

// A zone signed with an active ECDSA key from the start.
void add_active_key(storage::Database& db, const Name& apex) {
  auto key = SigningKey::generate(DnssecAlgorithm::kEcdsaP256Sha256);
  REQUIRE(key);
  REQUIRE(db.add_dnssec_key(apex, {key->key_tag(),
                                   static_cast<std::uint8_t>(key->algorithm()),
                                   key->flags(),
                                   key->to_pkcs8(),
                                   {key->dnskey_rdata().begin(), key->dnskey_rdata().end()},
                                   storage::DnssecKeyState::kActive,
                                   0,
                                   storage::KeyTimes{0, 0, {}, {}}})
              .ok());
}

// The RRset the zone at apex serves at owner, or null.
const RRset* served(const ZoneIndex& index, const std::string& apex, const std::string& owner,
                    RRType type) {
  const Zone* zone = index.find_exact(Name::from_text(apex).value().lowercased().wire_view());
  if (zone == nullptr) return nullptr;
  const Node* node = zone->find(Name::from_text(owner).value().lowercased().wire_view());
  return node != nullptr ? node->find(type) : nullptr;
}

// Adds an A record at owner to the zone at apex, logged as actor's change.
void add_address(storage::Database& db, const Name& apex, const std::string& owner,
                 const char* actor) {
  REQUIRE(
      db.add_records(
            apex,
            {Record{Name::from_text(owner).value(), RRType::A, RRClass::IN, 60, {192, 0, 2, 25}}})
          .ok());
  REQUIRE(db.log_change({apex, actor, "record add", ""}).ok());
}

// The database's zones loaded and followed, zones served signed rebuilt in the background.
struct BackgroundFollower {
  std::unique_ptr<storage::Database> reader;
  storage::LoadReport report;
  SnapshotStore store;
  ZoneFollower follower;

  explicit BackgroundFollower(Fixture& f)
      : reader(storage::Database::open(f.dir / "z.db", storage::OpenMode::kExisting).value()),
        store(storage::load_zone_index(*reader, report).value()),
        follower(f.io, std::move(reader), store, f.writer->last_change_id().value(),
                 std::chrono::hours(1)) {
    follower.zones_signed(report.signed_zones);
    follower.sign_in_background();
  }
};

// Runs io until the follower has no background build left, or 5 s.
void drain(boost::asio::io_context& io, ZoneFollower& follower) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (follower.background_pending() != 0 && std::chrono::steady_clock::now() < deadline) {
    io.restart();  // run_for stops the io_context whenever it runs out of work
    io.run_for(std::chrono::milliseconds(5));
  }
  REQUIRE(follower.background_pending() == 0);
}

}  // namespace

TEST_CASE_FIXTURE(Fixture, "a change to a signed zone signs only what it touched, and stores it") {
  // RFC 6781 §4.4.2: the stored signatures of unchanged RRsets serve again.
  write("s.test.", "www 60 IN A 192.0.2.2\n");
  const Name apex = Name::from_text("s.test.").value();
  add_active_key(*writer, apex);
  auto reader = storage::Database::open(dir / "z.db", storage::OpenMode::kExisting).value();
  storage::LoadReport report;
  SnapshotStore store(storage::load_zone_index(*reader, report).value());
  // SOA, NS, DNSKEY, CDS, CDNSKEY, ns A, www A and three NSEC.
  REQUIRE(report.signatures_made == 10);
  ZoneFollower follower(io, std::move(reader), store, writer->last_change_id().value(),
                        std::chrono::milliseconds(50));
  follower.zones_signed(report.signed_zones);

  // mail sorts between the apex and ns: its A, its NSEC and the apex's NSEC are new.
  REQUIRE(writer
              ->add_records(apex, {Record{Name::from_text("mail.s.test.").value(),
                                          RRType::A,
                                          RRClass::IN,
                                          60,
                                          {192, 0, 2, 25}}})
              .ok());
  REQUIRE(writer->log_change({apex, "test", "record add", ""}).ok());
  follower.poll();
  CHECK(follower.signatures_made() == 3);
  CHECK(follower.signatures_reused() == 9);
  CHECK(writer->zone_signatures(apex).value().size() == 12);
}

TEST_CASE_FIXTURE(Fixture,
                  "signed zones are rebuilt on the signing thread, in batches, and stored") {
  // More zones than one batch (256) holds.
  constexpr int kZones = 260;
  std::vector<std::string> apexes;
  for (int i = 0; i < kZones; ++i) apexes.push_back("z" + std::to_string(i) + ".test.");
  for (const auto& a : apexes) {
    write(a.c_str(), "");
    add_active_key(*writer, Name::from_text(a).value());
  }
  BackgroundFollower followed(*this);
  ZoneFollower& follower = followed.follower;
  SnapshotStore& store = followed.store;
  std::vector<Name> announced;
  follower.on_change(
      [&](const ZoneIndexPtr&, const std::vector<Name>& changed, storage::Database&) {
        announced.insert(announced.end(), changed.begin(), changed.end());
      });
  for (const auto& a : apexes)
    add_address(*writer, Name::from_text(a).value(), "mail." + a, "apexd");
  follower.poll();
  CHECK(follower.background_pending() == kZones);
  drain(io, follower);
  for (const auto& a : apexes) {
    const RRset* mail = served(*store.current(), a, "mail." + a, RRType::A);
    REQUIRE(mail != nullptr);
    CHECK(mail->rrsig != nullptr);
    // SOA, NS, DNSKEY, CDS, CDNSKEY, ns A, two NSEC as loaded; mail's A and NSEC added.
    CHECK(writer->zone_signatures(Name::from_text(a).value()).value().size() == 10);
  }
  CHECK(follower.signatures_made() == kZones * 3);
  CHECK(announced.size() == kZones);
}

TEST_CASE_FIXTURE(Fixture, "a zone rebuilt while its background build runs keeps the newer data") {
  write("s.test.", "");
  const Name apex = Name::from_text("s.test.").value();
  add_active_key(*writer, apex);
  BackgroundFollower followed(*this);
  ZoneFollower& follower = followed.follower;
  SnapshotStore& store = followed.store;
  add_address(*writer, apex, "old.s.test.", "test");
  follower.poll();  // given to the signing thread: built without what follows
  REQUIRE(follower.background_pending() == 1);
  add_address(*writer, apex, "new.s.test.", "test");
  REQUIRE(follower.reload_zone(apex).ok());  // built here at once, with both
  CHECK(follower.background_pending() == 0);
  CHECK(served(*store.current(), "s.test.", "new.s.test.", RRType::A) != nullptr);
  const auto generation = store.generation();
  // The background build comes back, and is dropped.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
  while (std::chrono::steady_clock::now() < deadline) {
    io.restart();
    io.run_for(std::chrono::milliseconds(5));
  }
  CHECK(store.generation() == generation);
  CHECK(served(*store.current(), "s.test.", "new.s.test.", RRType::A) != nullptr);
}

TEST_CASE_FIXTURE(Fixture, "with background signing, unsigned zones are still rebuilt at once") {
  write("a.test.", "");
  auto reader = storage::Database::open(dir / "z.db", storage::OpenMode::kExisting).value();
  storage::LoadReport report;
  SnapshotStore store(storage::load_zone_index(*reader, report).value());
  ZoneFollower follower(io, std::move(reader), store, writer->last_change_id().value(),
                        std::chrono::hours(1));
  follower.sign_in_background();
  write("a.test.", "www 60 IN A 192.0.2.2\n");
  follower.poll();
  CHECK(follower.background_pending() == 0);
  CHECK(served(*store.current(), "a.test.", "www.a.test.", RRType::A) != nullptr);
}

}  // namespace apex::server
