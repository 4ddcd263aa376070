// Specification of the version step between two snapshots: applied to the older snapshot's
// records it gives the newer one's, and it holds nothing that did not change, signatures
// and denial chain included.
#include "zones/snapshot_difference.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "tests/zones/dnssec_vectors.hpp"
#include "zones/master_file.hpp"
#include "zones/zone_builder.hpp"
#include "zones/zone_signer.hpp"

using namespace apex;
using namespace apex::test;

namespace {

const Name& zone_apex() {
  static const Name n = name("example.org.");
  return n;
}

std::string zone_text(std::uint32_t serial, const std::string& extra) {
  return "@ 3600 IN SOA ns1 hostmaster " + std::to_string(serial) +
         " 7200 3600 1209600 300\n"
         "@ 3600 IN NS ns1\n"
         "ns1 3600 IN A 192.0.2.1\n"
         "www 300 IN A 192.0.2.80\n"
         "mail 300 IN MX 10 ns1\n" +
         extra;
}

std::vector<Record> records(std::uint32_t serial, const std::string& extra) {
  auto file = read_master_text(zone_text(serial, extra), zone_apex());
  REQUIRE_MESSAGE(file, (file ? "" : file.error()));
  return file->records;
}

constexpr SignatureValidity kValidity{1'700'000'000, 1'700'000'000 + 14 * 86400};

std::vector<Record> signed_records(std::vector<Record> plain, const SigningKey& key,
                                   DenialOfExistence denial) {
  ZoneSigningOptions options;
  options.denial = denial;
  options.validity = kValidity;
  auto out = sign_zone(zone_apex(), std::move(plain), key, options);
  REQUIRE_MESSAGE(out, (out ? "" : out.error()));
  return *out;
}

ZonePtr built(std::vector<Record> records) {
  auto zone = build_zone(zone_apex(), std::move(records));
  REQUIRE_MESSAGE(zone, (zone ? "" : zone.error()));
  return *zone;
}

ZoneDifference difference(const ZonePtr& before, const ZonePtr& after) {
  auto d = snapshot_difference(*before, *after);
  REQUIRE_MESSAGE(d, (d ? "" : d.error()));
  return *d;
}

// Records compared as IXFR compares them: owner without case, type, TTL and RDATA.
std::string key(const Record& r) {
  return r.owner.lowercased().to_text() + " " + std::to_string(r.ttl) + " " +
         rrtype_to_text(r.type) + " " + std::string(r.rdata.begin(), r.rdata.end());
}

std::vector<std::string> keys(const std::vector<Record>& records) {
  std::vector<std::string> out;
  for (const Record& r : records)
    if (r.type != RRType::SOA) out.push_back(key(r));
  std::sort(out.begin(), out.end());
  return out;
}

// The older version's records with the step applied (RFC 1995 §4: deletions, then additions).
std::vector<std::string> applied(const std::vector<Record>& before, const ZoneDifference& d) {
  std::vector<std::string> out = keys(before);
  for (const Record& r : d.deleted) {
    auto it = std::find(out.begin(), out.end(), key(r));
    REQUIRE_MESSAGE(it != out.end(), (std::string("deletes a record it does not hold: ") + key(r)));
    out.erase(it);
  }
  for (const Record& r : d.added) {
    REQUIRE_MESSAGE(std::find(out.begin(), out.end(), key(r)) == out.end(),
                    (std::string("adds a record it holds: ") + key(r)));
    out.push_back(key(r));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::size_t count_of(const std::vector<Record>& records, RRType type) {
  return static_cast<std::size_t>(std::count_if(
      records.begin(), records.end(), [type](const Record& r) { return r.type == type; }));
}

}  // namespace

TEST_CASE("an unsigned change: the SOAs of both versions and the one record replaced") {
  const ZonePtr before = built(records(7, ""));
  const ZonePtr after = built(records(8, "www 300 IN A 192.0.2.81\n"));
  const ZoneDifference d = difference(before, after);
  CHECK(d.from() == 7);
  CHECK(d.to() == 8);
  CHECK(d.deleted.empty());
  REQUIRE(d.added.size() == 1);
  CHECK(d.added[0].owner == name("www.example.org."));
  CHECK(d.added[0].rdata == rdata(RRType::A, "192.0.2.81"));
}

TEST_CASE("a TTL change deletes the records and adds them again; owner case is no change") {
  const ZonePtr before = built(records(7, ""));
  auto changed = records(8, "");
  for (Record& r : changed) {
    if (r.type == RRType::MX) r.ttl = 600;
    if (r.type == RRType::A && r.owner == name("www.example.org."))
      r.owner = name("WWW.example.org.");
  }
  const ZonePtr after = built(changed);
  const ZoneDifference d = difference(before, after);
  REQUIRE(d.deleted.size() == 1);
  REQUIRE(d.added.size() == 1);
  CHECK(d.deleted[0].type == RRType::MX);
  CHECK(d.deleted[0].ttl == 300);
  CHECK(d.added[0].ttl == 600);
  CHECK(d.added[0].rdata == d.deleted[0].rdata);
}

TEST_CASE("the same snapshot twice: an empty step") {
  const ZonePtr zone = built(records(7, ""));
  const ZoneDifference d = difference(zone, zone);
  CHECK(d.from() == d.to());
  CHECK(d.deleted.empty());
  CHECK(d.added.empty());
}

TEST_CASE("a signed change: signatures made anew, the chain links of a new name, all applied") {
  for (auto denial : {DenialOfExistence::kNsec, DenialOfExistence::kNsec3}) {
    CAPTURE(static_cast<int>(denial));
    // Ed25519 signatures are deterministic (RFC 8032 §5.1.6): with the same validity an
    // unchanged RRset keeps its signature, so the step shows exactly what the change made.
    auto key = SigningKey::generate(DnssecAlgorithm::kEd25519);
    REQUIRE(key);
    const auto old_records = signed_records(records(7, ""), *key, denial);
    const auto new_records = signed_records(records(8, "new 300 IN TXT \"added\"\n"), *key, denial);
    const ZoneDifference d = difference(built(old_records), built(new_records));
    CHECK(applied(old_records, d) == keys(new_records));
    // Added: the TXT and its RRSIG, the link for "new" and its RRSIG, the link before it
    // anew (it points to "new") and its RRSIG, the SOA's RRSIG for the serial. Deleted: the
    // link before "new", its RRSIG, the old SOA's RRSIG.
    const RRType link = denial == DenialOfExistence::kNsec ? RRType::NSEC : RRType::NSEC3;
    CHECK(d.added.size() == 7);
    CHECK(count_of(d.added, RRType::TXT) == 1);
    CHECK(count_of(d.added, link) == 2);
    CHECK(count_of(d.added, RRType::RRSIG) == 4);
    CHECK(d.deleted.size() == 3);
    CHECK(count_of(d.deleted, link) == 1);
    CHECK(count_of(d.deleted, RRType::RRSIG) == 2);
  }
}

TEST_CASE("signed anew with other signatures: every RRSIG replaced, nothing else") {
  // ECDSA signatures differ each time (RFC 6605 §6), as do signatures of a later validity.
  auto key = SigningKey::generate(DnssecAlgorithm::kEcdsaP256Sha256);
  REQUIRE(key);
  const auto old_records = signed_records(records(7, ""), *key, DenialOfExistence::kNsec);
  const auto new_records = signed_records(records(8, ""), *key, DenialOfExistence::kNsec);
  const ZoneDifference d = difference(built(old_records), built(new_records));
  CHECK(applied(old_records, d) == keys(new_records));
  CHECK(d.deleted.size() == count_of(old_records, RRType::RRSIG));
  CHECK(d.added.size() == count_of(new_records, RRType::RRSIG));
  CHECK(count_of(d.added, RRType::RRSIG) == d.added.size());
}
