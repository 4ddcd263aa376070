// Specification of a signed zone's journal written from the snapshots served: a step from a
// snapshot known to be the one content of its serial, chained to the previous step; from
// any other snapshot no step and the history restarts, so that a secondary never receives a
// step that does not lead from what it holds.
#include "storage/journal_snapshots.hpp"

#include <doctest/doctest.h>

#include <algorithm>

#include "tests/storage/temp_directory.hpp"
#include "zones/master_file.hpp"
#include "zones/snapshot_difference.hpp"
#include "zones/snapshot_digest.hpp"
#include "zones/zone_builder.hpp"
#include "zones/zone_signer.hpp"

namespace apex::storage {
namespace {

using testing::TempDirectory;

const Name& apex() {
  static const Name n = Name::from_text("cafe.example.").value();
  return n;
}

std::vector<Record> plain(std::uint32_t serial, const std::string& www = "192.0.2.80") {
  auto file = read_master_text("@ 300 IN SOA ns1 host " + std::to_string(serial) +
                                   " 7200 1800 1209600 300\n@ 300 IN NS ns1\n"
                                   "ns1 300 IN A 192.0.2.1\nwww 300 IN A " +
                                   www + "\n",
                               apex(), "test.zone");
  REQUIRE_MESSAGE(file.ok(), file.error());
  return file->records;
}

constexpr SignatureValidity kValidity{1'700'000'000, 1'700'000'000 + 14 * 86400};

std::vector<Record> signed_records(std::vector<Record> records, const SigningKey& key) {
  ZoneSigningOptions options;
  options.validity = kValidity;
  auto out = sign_zone(apex(), std::move(records), key, options);
  REQUIRE_MESSAGE(out.ok(), out.error());
  return *out;
}

ZonePtr built(std::vector<Record> records) {
  auto zone = build_zone(apex(), std::move(records));
  REQUIRE_MESSAGE(zone.ok(), zone.error());
  return *zone;
}

struct Fixture {
  TempDirectory dir;
  std::unique_ptr<Database> db;
  SigningKey key;

  // ECDSA by default: each signing makes other signatures (RFC 6605 §6), as signing later
  // does; Ed25519's are the same for the same data and validity (RFC 8032 §5.1.6).
  explicit Fixture(DnssecAlgorithm algorithm = DnssecAlgorithm::kEcdsaP256Sha256)
      : key(SigningKey::generate(algorithm).value()) {
    auto opened = Database::open(dir / "a.db", OpenMode::kCreate);
    REQUIRE_MESSAGE(opened.ok(), opened.error());
    db = std::move(*opened);
    REQUIRE(db->replace_zone(apex(), plain(1)).ok());
  }

  ZonePtr signed_zone(std::uint32_t serial, const std::string& www = "192.0.2.80") {
    return built(signed_records(plain(serial, www), key));
  }

  std::vector<JournalVersion> journal() { return db->journal(apex()).value(); }

  void replace(SnapshotJournal& journal, const ZonePtr& before, const ZonePtr& after) {
    auto ok = journal.replacing(*db, apex(), before, after);
    REQUIRE_MESSAGE(ok.ok(), ok.error());
  }

  void seed_journal(std::uint32_t from, std::uint32_t to) {
    const ZoneDifference step = snapshot_difference(*built(plain(from)), *built(plain(to))).value();
    REQUIRE(db->append_journal(apex(), {from, to, encode_difference(step).value()}, {}).ok());
  }
};

}  // namespace

TEST_CASE(
    "steps between snapshots seen replacing each other chain, each the snapshots' difference") {
  Fixture f;
  SnapshotJournal journal{JournalLimits{}};
  const ZonePtr v1 = f.signed_zone(1), v2 = f.signed_zone(2, "192.0.2.81"),
                v3 = f.signed_zone(3, "192.0.2.82");
  f.replace(journal, nullptr, v1);  // first served: nothing is known of it
  f.replace(journal, v1, v2);       // from the first: no step
  CHECK(f.journal().empty());
  f.replace(journal, v2, v3);
  auto rows = f.journal();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].from == 2);
  CHECK(rows[0].to == 3);
  const ZoneDifference written = decode_difference(rows[0].difference).value();
  const ZoneDifference expected = snapshot_difference(*v2, *v3).value();
  CHECK(written.deleted == expected.deleted);
  CHECK(written.added == expected.added);
  // Every signature is new (ECDSA), so the step holds each RRSIG out and in.
  CHECK(std::count_if(written.added.begin(), written.added.end(),
                      [](const Record& r) { return r.type == RRType::RRSIG; }) >= 4);
  const ZonePtr v4 = f.signed_zone(4, "192.0.2.83");
  f.replace(journal, v3, v4);
  rows = f.journal();
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].from == 3);
  CHECK(rows[1].to == 4);
}

TEST_CASE("signed anew at the same serial: no step from it, the history restarts") {
  Fixture f;
  SnapshotJournal journal{JournalLimits{}};
  const ZonePtr v1 = f.signed_zone(1), v2 = f.signed_zone(2), v3 = f.signed_zone(3);
  f.replace(journal, nullptr, v1);
  f.replace(journal, v1, v2);
  f.replace(journal, v2, v3);
  REQUIRE(f.journal().size() == 1);
  const ZonePtr v3_again = f.signed_zone(3);  // other signatures, same serial
  f.replace(journal, v3, v3_again);
  CHECK(f.journal().size() == 1);  // a secondary at 2 still gets the 3 it could have got
  f.replace(journal, v3_again, f.signed_zone(4));
  CHECK(f.journal().empty());  // secondaries at 3 hold either signatures: no step for them
}

TEST_CASE("rebuilt at the same serial with the same records: still known, the next step written") {
  Fixture f{DnssecAlgorithm::kEd25519};
  SnapshotJournal journal{JournalLimits{}};
  const ZonePtr v1 = f.signed_zone(1), v2 = f.signed_zone(2);
  f.replace(journal, nullptr, v1);
  f.replace(journal, v1, v2);
  // As when signatures are reused: the same records, in a snapshot of its own.
  const ZonePtr v2_rebuilt = f.signed_zone(2);
  REQUIRE(v2_rebuilt != v2);
  f.replace(journal, v2, v2_rebuilt);
  f.replace(journal, v2_rebuilt, f.signed_zone(3, "192.0.2.81"));
  auto rows = f.journal();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].from == 2);
  CHECK(rows[0].to == 3);
}

TEST_CASE(
    "a server that did not see the previous snapshot writes no step and empties the journal") {
  Fixture f;
  f.seed_journal(1, 2);  // written before a restart
  SnapshotJournal journal{JournalLimits{}};
  const ZonePtr loaded = f.signed_zone(2);  // built at start: its signatures are new
  f.replace(journal, loaded, f.signed_zone(3));
  CHECK(f.journal().empty());
}

TEST_CASE(
    "after a restart, a snapshot with the content served at its serial goes on with the "
    "history") {
  // Ed25519: signing the same records again gives the same signatures, as a restart that
  // reuses the stored ones does.
  Fixture f{DnssecAlgorithm::kEd25519};
  {
    SnapshotJournal before_restart{JournalLimits{}};
    const ZonePtr v1 = f.signed_zone(1);
    f.replace(before_restart, nullptr, v1);
    f.replace(before_restart, v1, f.signed_zone(2));
  }
  auto stored = f.db->signed_version(apex()).value();
  REQUIRE(stored);
  CHECK(stored->serial == 2);
  SnapshotJournal journal{JournalLimits{}};
  const ZonePtr loaded = f.signed_zone(2);
  f.replace(journal, loaded, f.signed_zone(3, "192.0.2.81"));
  auto rows = f.journal();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].from == 2);
  CHECK(rows[0].to == 3);
  CHECK(f.db->signed_version(apex()).value()->serial == 3);
}

TEST_CASE("before answering, a zone rebuilt at its serial with the stored content is known") {
  Fixture f{DnssecAlgorithm::kEd25519};
  {
    SnapshotJournal before_restart{JournalLimits{}};
    const ZonePtr v1 = f.signed_zone(1);
    f.replace(before_restart, nullptr, v1);
    f.replace(before_restart, v1, f.signed_zone(2));
  }
  // Loaded with its alias pending (other content), then signed with the saved addresses.
  for (const bool answered_meanwhile : {false, true}) {
    CAPTURE(answered_meanwhile);
    REQUIRE(f.db->clear_journal(apex()).ok());
    SnapshotJournal journal{JournalLimits{}};
    journal.answering(answered_meanwhile);
    const ZonePtr pending = f.signed_zone(2, "192.0.2.99");
    const ZonePtr rebuilt = f.signed_zone(2);
    f.replace(journal, pending, rebuilt);
    journal.answering(true);
    f.replace(journal, rebuilt, f.signed_zone(3, "192.0.2.81"));
    // Answered meanwhile, the pending content may be what a secondary holds at 2: no step,
    // and the stored version is forgotten, then set for 3.
    CHECK(f.journal().size() == (answered_meanwhile ? 0u : 1u));
    // Back to the state before the restart for the second round.
    REQUIRE(
        f.db->set_signed_version(apex(), SignedVersion{2, snapshot_digest(*rebuilt).value()}).ok());
  }
}

TEST_CASE("a second content served at a serial forgets the stored one") {
  Fixture f;  // ECDSA: signing again makes other signatures
  SnapshotJournal journal{JournalLimits{}};
  const ZonePtr v1 = f.signed_zone(1), v2 = f.signed_zone(2);
  f.replace(journal, nullptr, v1);
  f.replace(journal, v1, v2);
  REQUIRE(f.db->signed_version(apex()).value());
  f.replace(journal, v2, f.signed_zone(2));
  CHECK_FALSE(f.db->signed_version(apex()).value());
  // After a restart, neither content at 2 starts a step.
  SnapshotJournal restarted{JournalLimits{}};
  f.replace(restarted, v2, f.signed_zone(3));
  CHECK(f.journal().empty());
}

TEST_CASE("a serial moved back empties the journal; nothing is known of the older serial") {
  Fixture f;
  SnapshotJournal journal{JournalLimits{}};
  const ZonePtr v1 = f.signed_zone(1), v2 = f.signed_zone(2), v3 = f.signed_zone(3);
  f.replace(journal, nullptr, v1);
  f.replace(journal, v1, v2);
  f.replace(journal, v2, v3);
  REQUIRE_FALSE(f.journal().empty());
  const ZonePtr back = f.signed_zone(2);
  f.replace(journal, v3, back);
  CHECK(f.journal().empty());
  f.replace(journal, back, f.signed_zone(3));
  CHECK(f.journal().empty());
}

TEST_CASE("unsigned zones keep the journal their editor wrote") {
  Fixture f;
  f.seed_journal(1, 2);
  SnapshotJournal journal{JournalLimits{}};
  const ZonePtr v2 = built(plain(2)), v3 = built(plain(3, "192.0.2.81"));
  f.replace(journal, nullptr, v2);
  f.replace(journal, v2, v3);
  REQUIRE(f.journal().size() == 1);
  CHECK(f.journal()[0].to == 2);
}

TEST_CASE("a step over the journal's byte limit is not kept") {
  Fixture f;
  SnapshotJournal journal{JournalLimits{100, 200}};
  const ZonePtr v1 = f.signed_zone(1), v2 = f.signed_zone(2), v3 = f.signed_zone(3);
  f.replace(journal, nullptr, v1);
  f.replace(journal, v1, v2);
  f.replace(journal, v2, v3);
  CHECK(f.journal().empty());
}

}  // namespace apex::storage
