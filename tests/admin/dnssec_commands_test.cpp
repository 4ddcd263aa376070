// Specification of apexctl dnssec enable|disable|status|ds: enabling stores a fresh CSK and
// the denial settings, moves the serial and logs the change in one transaction; the private
// key is never printed; ALIAS records and signing exclude each other; refusals change nothing.
#include "admin/dnssec_commands.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "storage/zone_loader.hpp"
#include "tests/admin/apexctl_fixture.hpp"
#include "zones/ds_record.hpp"
#include "zones/signing_key.hpp"

namespace apex::testing {
namespace {

storage::ZoneDnssec dnssec_of(const Apexctl& ctl, const char* apex) {
  auto db = storage::Database::open(ctl.db(), storage::OpenMode::kExisting);
  REQUIRE_MESSAGE(db.ok(), db.error());
  auto found = (*db)->zone_dnssec(Name::from_text(apex).value());
  REQUIRE_MESSAGE(found.ok(), found.error());
  REQUIRE(found->has_value());
  return std::move(**found);
}

// The newest change-log entry: "zone | actor | operation" and its detail.
std::string last_entry(const Apexctl& ctl) {
  const std::string log = ctl.change_log();
  const auto at = log.rfind("example.com. | ");
  return at == std::string::npos ? log : log.substr(at);
}

}  // namespace

TEST_SUITE("dnssec enable") {
  TEST_CASE("stores a usable ECDSA P-256 CSK, moves the serial once and logs the change") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"dnssec", "enable", "Example.COM"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    const storage::ZoneDnssec d = dnssec_of(ctl, "example.com.");
    REQUIRE(d.keys.size() == 1);
    const storage::DnssecKeyRow& row = d.keys[0];
    CHECK(row.algorithm == 13);
    CHECK(row.flags == 257);
    CHECK(row.state == storage::DnssecKeyState::kActive);
    // The stored private key publishes exactly the stored DNSKEY and key tag.
    auto key = SigningKey::from_pkcs8(row.private_key);
    REQUIRE_MESSAGE(key, key.error());
    CHECK(std::equal(key->dnskey_rdata().begin(), key->dnskey_rdata().end(),
                     row.dnskey_rdata.begin(), row.dnskey_rdata.end()));
    CHECK(key->key_tag() == row.key_tag);
    CHECK(d.settings.denial == DenialOfExistence::kNsec);
    CHECK(r.out ==
          "zone example.com.: serial 2024010101 -> 2024010102, signed with "
          "ECDSAP256SHA256 key " +
              std::to_string(row.key_tag) + ", NSEC\n");
    CHECK(contains(ctl.snapshot(), " 2024010102 7200 3600 1209600 300\n"));
    CHECK(last_entry(ctl) ==
          "example.com. | tester | dnssec enable\nserial 2024010101 -> "
          "2024010102\nsigned with ECDSAP256SHA256 key " +
              std::to_string(row.key_tag) + ", NSEC\n");
    CHECK(contains(r.err, "dnssec ds example.com."));
  }

  TEST_CASE("ed25519 and NSEC3 with opt-out are stored as asked") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run(
        {"dnssec", "enable", "example.com", "--algorithm", "ED25519", "--nsec3", "--opt-out"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    const storage::ZoneDnssec d = dnssec_of(ctl, "example.com.");
    REQUIRE(d.keys.size() == 1);
    CHECK(d.keys[0].algorithm == 15);
    CHECK(d.settings.denial == DenialOfExistence::kNsec3);
    CHECK(d.settings.nsec3_opt_out);
    CHECK(contains(r.out, "ED25519 key"));
    CHECK(contains(r.out, "NSEC3 with opt-out"));
  }

  TEST_CASE("refusals change nothing") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(contains(ctl.refused({"dnssec", "enable", "none.example"}),
                   "zone none.example. is not in the database"));
    CHECK(contains(ctl.refused({"dnssec", "enable", "example.com", "--algorithm", "rsasha256"}),
                   "unknown DNSSEC algorithm 'rsasha256'"));
    REQUIRE(ctl.run({"dnssec", "enable", "example.com"}).code == 0);
    CHECK(contains(ctl.refused({"dnssec", "enable", "example.com"}),
                   "zone example.com. is signed already (ECDSAP256SHA256 key "));
  }

  TEST_CASE("--opt-out without --nsec3 is a usage error") {
    Apexctl ctl;
    ctl.init_with_example();
    const std::string before = ctl.everything();
    auto r = ctl.run({"dnssec", "enable", "example.com", "--opt-out"});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "--opt-out needs --nsec3"));
    CHECK(ctl.everything() == before);
  }
}

TEST_SUITE("dnssec and ALIAS") {
  // apexd signs the addresses an ALIAS serves as part of the zone (ARCHITECTURE.md §4), so
  // ALIAS and signing go together in either order, through every path that writes records.
  TEST_CASE("a zone with an ALIAS can be signed, and a signed zone takes ALIAS records") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"alias", "set", "cdn.example.com", "lb.cdn.example.net"}).code == 0);
    REQUIRE(ctl.run({"dnssec", "enable", "example.com"}).code == 0);
    CHECK(ctl.run({"alias", "set", "example.com", "lb.cdn.example.net"}).code == 0);
    const auto file = ctl.write_file(
        "alias.zone", std::string(kExampleZone) + "shop IN ALIAS lb.cdn.example.net.\n");
    CHECK(ctl.run({"zone", "import", file.string(), "--replace"}).code == 0);
    CHECK(contains(ctl.everything(), "shop.example.com. 3600 ALIAS lb.cdn.example.net."));
  }
}

TEST_SUITE("dnssec and the IXFR journal") {
  TEST_CASE("apexctl writes no step of a signed zone and leaves apexd's steps in place") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"record", "add", "a.example.com", "A", "192.0.2.1"}).code == 0);
    CHECK_FALSE(ctl.journal_snapshot().empty());
    REQUIRE(ctl.run({"dnssec", "enable", "example.com"}).code == 0);
    CHECK(ctl.journal_snapshot().empty());  // the unsigned history ends
    REQUIRE(ctl.run({"record", "add", "b.example.com", "A", "192.0.2.2"}).code == 0);
    CHECK(ctl.journal_snapshot().empty());  // the signed step is apexd's to write
    {
      // A step as apexd writes it from the snapshots it signed.
      auto db = storage::Database::open(ctl.db(), storage::OpenMode::kExisting).value();
      const Name apex = Name::from_text("example.com.").value();
      REQUIRE(db->append_journal(apex, {7, 8, {0}}, {}).ok());
    }
    const std::string apexd_step = ctl.journal_snapshot();
    REQUIRE(ctl.run({"record", "add", "c.example.com", "A", "192.0.2.3"}).code == 0);
    CHECK(ctl.journal_snapshot() == apexd_step);
    REQUIRE(ctl.run({"dnssec", "disable", "example.com", "--now"}).code == 0);
    REQUIRE(ctl.run({"record", "add", "d.example.com", "A", "192.0.2.4"}).code == 0);
    CHECK(contains(ctl.journal_snapshot(), "example.com."));  // unsigned again: journaled
  }
}

TEST_SUITE("dnssec disable") {
  TEST_CASE(
      "step 1 publishes the delete records and keeps signing; --ds-removed waits for the "
      "DS TTL") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(contains(ctl.refused({"dnssec", "disable", "example.com"}),
                   "zone example.com. is not signed"));
    REQUIRE(ctl.run({"dnssec", "enable", "example.com"}).code == 0);
    CHECK(contains(ctl.refused({"dnssec", "disable", "example.com", "--ds-removed"}),
                   "has not asked its parent to remove the DS"));
    auto r = ctl.run({"dnssec", "disable", "example.com"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    storage::ZoneDnssec d = dnssec_of(ctl, "example.com.");
    REQUIRE(d.keys.size() == 1);
    CHECK(d.keys[0].state == storage::DnssecKeyState::kActive);
    REQUIRE(d.settings.delete_since_s);
    CHECK(contains(r.out, "serial 2024010102 -> 2024010103, CDS/CDNSKEY delete records"));
    CHECK(contains(r.err, "remove the DS of example.com. at the parent"));
    CHECK(contains(r.err, "--ds-removed"));
    CHECK(contains(last_entry(ctl), "| dnssec disable\n"));
    // The defaults: the DS may be cached for an hour of propagation and a day of TTL.
    CHECK(contains(ctl.refused({"dnssec", "disable", "example.com", "--ds-removed"}),
                   "too early: the parent's DS may still be cached until "));
    CHECK(contains(ctl.refused({"dnssec", "disable", "example.com"}),
                   "publishes CDS/CDNSKEY delete records since"));
    // The status says where the zone is.
    CHECK(
        contains(ctl.run({"dnssec", "status", "example.com"}).out, "going insecure, step 1 of 2"));
  }

  TEST_CASE("--ds-removed stops signing once the delays have passed since step 1") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"dnssec", "enable", "example.com"}).code == 0);
    REQUIRE(ctl.run({"dnssec", "disable", "example.com"}).code == 0);
    {
      // Step 1 a day and more ago, as if the operator had waited.
      auto db = storage::Database::open(ctl.db(), storage::OpenMode::kExisting);
      REQUIRE(db.ok());
      auto d = (*db)->zone_dnssec(Name::from_text("example.com.").value()).value().value();
      d.settings.delete_since_s = *d.settings.delete_since_s - 3600 - 86400;
      REQUIRE((*db)->set_dnssec_settings(d.apex, d.settings).ok());
    }
    auto r = ctl.run({"dnssec", "disable", "example.com", "--ds-removed"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    const storage::ZoneDnssec d = dnssec_of(ctl, "example.com.");
    CHECK(d.keys[0].state == storage::DnssecKeyState::kRetired);
    CHECK_FALSE(d.settings.delete_since_s);
    CHECK(contains(r.out, "serial 2024010103 -> 2024010104, unsigned, 1 key(s) retired"));
    CHECK(ctl.run({"dnssec", "status", "example.com"})
              .out.starts_with("zone example.com.: not signed\n"));
  }

  TEST_CASE("--now stops signing at once; enabling again makes a new key") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"dnssec", "enable", "example.com"}).code == 0);
    auto r = ctl.run({"dnssec", "disable", "example.com", "--now"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(contains(r.out, "serial 2024010102 -> 2024010103, unsigned"));
    CHECK(dnssec_of(ctl, "example.com.").keys[0].state == storage::DnssecKeyState::kRetired);
    REQUIRE(ctl.run({"dnssec", "enable", "example.com"}).code == 0);
    const storage::ZoneDnssec again = dnssec_of(ctl, "example.com.");
    REQUIRE(again.keys.size() == 2);
    CHECK(again.keys[0].state == storage::DnssecKeyState::kRetired);
    CHECK(again.active_key() == &again.keys[1]);
    auto both = ctl.run({"dnssec", "disable", "example.com", "--now", "--ds-removed"});
    CHECK(both.code == 2);
  }

  TEST_CASE("enabling during step 1 cancels the disable and keeps the key") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"dnssec", "enable", "example.com"}).code == 0);
    const auto tag = dnssec_of(ctl, "example.com.").keys[0].key_tag;
    REQUIRE(ctl.run({"dnssec", "disable", "example.com"}).code == 0);
    auto r = ctl.run({"dnssec", "enable", "example.com"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(contains(r.out, "disable cancelled"));
    const storage::ZoneDnssec d = dnssec_of(ctl, "example.com.");
    REQUIRE(d.keys.size() == 1);
    CHECK(d.keys[0].key_tag == tag);
    CHECK_FALSE(d.settings.delete_since_s);
    CHECK(ctl.run({"dnssec", "status", "example.com"})
              .out.starts_with("zone example.com.: signed\n"));
  }
}

TEST_SUITE("dnssec rollover") {
  TEST_CASE("publishes a new key of the same algorithm and times both keys from the TTLs") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(contains(ctl.refused({"dnssec", "rollover", "example.com"}), "not signed"));
    REQUIRE(ctl.run({"dnssec", "enable", "example.com", "--algorithm", "ed25519"}).code == 0);
    CHECK(contains(
        ctl.refused({"dnssec", "rollover", "example.com", "--algorithm", "ecdsap256sha256"}),
        "an algorithm rollover (RFC 6781 §4.1.4) is not supported"));
    auto r = ctl.run({"dnssec", "rollover", "example.com", "--propagation-delay", "10",
                      "--parent-ds-ttl", "1h", "--registration-delay", "20"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    const storage::ZoneDnssec d = dnssec_of(ctl, "example.com.");
    REQUIRE(d.keys.size() == 2);
    const auto& old_key = d.keys[0];
    const auto& new_key = d.keys[1];
    CHECK(new_key.algorithm == 15);
    CHECK(new_key.key_tag != old_key.key_tag);
    const std::int64_t start = *new_key.times.publish_s;
    // The example zone: SOA TTL 3600, the largest TTL too.
    const std::int64_t active = start + 10 + 3600;
    CHECK(new_key.times == storage::KeyTimes{start, active, {}, {}});
    CHECK(old_key.times.retire_s == active);
    // Iret = max(Dprp + TTLsig, Dreg + Dprp + TTLds) = max(3610, 3630).
    CHECK(old_key.times.remove_s == active + 3630);
    CHECK(d.settings.propagation_delay_s == 10);
    CHECK(d.settings.parent_ds_ttl_s == 3600);
    CHECK(d.settings.registration_delay_s == 20);
    CHECK(contains(r.out, "rollover from ED25519 key " + std::to_string(old_key.key_tag)));
    CHECK(contains(last_entry(ctl), "| dnssec rollover\n"));
    // A second one is refused, saying which step the first is in.
    CHECK(contains(ctl.refused({"dnssec", "rollover", "example.com"}),
                   "cannot start a rollover: rolling, step 1 of 3"));
    // The status lists both keys and the events to come.
    const std::string status = ctl.run({"dnssec", "status", "example.com"}).out;
    CHECK(contains(status, "rolling, step 1 of 3: key " + std::to_string(new_key.key_tag)));
    CHECK(contains(status, std::to_string(new_key.key_tag) + "  15  CSK  published: "));
    CHECK(contains(status, std::to_string(old_key.key_tag) + "  15  CSK  active: "));
    CHECK(contains(status, "key " + std::to_string(new_key.key_tag) + " starts signing"));
    CHECK(contains(status, "key " + std::to_string(old_key.key_tag) + " removed"));
    const std::string json = ctl.run({"dnssec", "status", "example.com", "--json"}).out;
    CHECK(contains(json, "\"phase\": \"rolling\""));
    CHECK(contains(json, "\"step\": 1"));
    CHECK(contains(json, "\"state\": \"published\""));
    // ds names the key the parent holds now: the old one until the new one signs.
    CHECK(contains(ctl.run({"dnssec", "ds", "example.com"}).out,
                   "IN DS " + std::to_string(old_key.key_tag) + " 15 2 "));
  }

  TEST_CASE("a bad delay is a usage error and changes nothing") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"dnssec", "enable", "example.com"}).code == 0);
    const std::string before = ctl.everything();
    auto r = ctl.run({"dnssec", "rollover", "example.com", "--parent-ds-ttl", "soon"});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "--parent-ds-ttl"));
    CHECK(ctl.everything() == before);
  }
}

TEST_SUITE("dnssec export-key") {
  TEST_CASE("prints the PKCS#8 PEM of the key, or writes a new 0600 file, never overwriting") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(contains(ctl.refused({"dnssec", "export-key", "example.com"}), "has no key"));
    REQUIRE(ctl.run({"dnssec", "enable", "example.com"}).code == 0);
    const storage::DnssecKeyRow row = dnssec_of(ctl, "example.com.").keys[0];
    auto r = ctl.run({"dnssec", "export-key", "example.com"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    const std::string b64 = base64_encode(row.private_key);
    CHECK(r.out.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    CHECK(r.out.ends_with("\n-----END PRIVATE KEY-----\n"));
    std::string body = r.out.substr(28, r.out.size() - 28 - 26);
    std::erase(body, '\n');
    CHECK(body == b64);
    CHECK(contains(ctl.refused({"dnssec", "export-key", "example.com", "--key", "1"}),
                   "has no key with tag 1"));
    const auto out = ctl.write_file("placeholder", "x").parent_path() / "key.pem";
    auto written = ctl.run({"dnssec", "export-key", "example.com", "--key",
                            std::to_string(row.key_tag), "--out", out.string()});
    REQUIRE_MESSAGE(written.code == 0, written.err);
    CHECK_FALSE(contains(written.out, b64));
    CHECK((std::filesystem::status(out).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    std::ifstream file(out);
    const std::string text((std::istreambuf_iterator<char>(file)), {});
    CHECK(text == r.out);
    CHECK(contains(ctl.refused({"dnssec", "export-key", "example.com", "--out", out.string()}),
                   "cannot create"));
  }

  TEST_CASE("no other dnssec command prints the private key") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"dnssec", "enable", "example.com"}).code == 0);
    REQUIRE(ctl.run({"dnssec", "rollover", "example.com"}).code == 0);
    for (const auto& row : dnssec_of(ctl, "example.com.").keys)
      for (const auto& command : {"status", "ds"}) {
        const std::string out = ctl.run({"dnssec", command, "example.com"}).out +
                                ctl.run({"dnssec", command, "example.com", "--json"}).out;
        CHECK_FALSE(contains(out, base64_encode(row.private_key).substr(0, 40)));
      }
  }
}

TEST_SUITE("dnssec changes and revert") {
  TEST_CASE("reverting a dnssec change is refused, naming the command that undoes it") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"dnssec", "enable", "example.com"}).code == 0);
    auto db = storage::Database::open(ctl.db(), storage::OpenMode::kExisting);
    REQUIRE(db.ok());
    auto changes = (*db)->changes_since(0);
    REQUIRE(changes.ok());
    REQUIRE_FALSE(changes->empty());
    const std::string id = std::to_string(changes->back().id);
    db->reset();
    CHECK(contains(ctl.refused({"revert", id}),
                   "('dnssec enable') changed the zone's DNSSEC keys and cannot be reverted: use "
                   "'apexctl dnssec disable example.com.'"));
  }
}

TEST_SUITE("dnssec status and ds") {
  TEST_CASE("status tells the key and settings, never the private key") {
    Apexctl ctl;
    ctl.init_with_example();
    auto unsigned_zone = ctl.run({"dnssec", "status", "example.com"});
    CHECK(unsigned_zone.code == 0);
    CHECK(unsigned_zone.out == "zone example.com.: not signed\n");
    REQUIRE(ctl.run({"dnssec", "enable", "example.com", "--nsec3"}).code == 0);
    const storage::DnssecKeyRow row = dnssec_of(ctl, "example.com.").keys[0];
    const std::string tag = std::to_string(row.key_tag);
    auto r = ctl.run({"dnssec", "status", "example.com"});
    CHECK(r.code == 0);
    CHECK(contains(r.out, "zone example.com.: signed\n"));
    CHECK(contains(r.out, "  algorithm   ECDSAP256SHA256 (13)\n"));
    CHECK(contains(r.out, "  key tag     " + tag + " (flags 257, CSK)\n"));
    CHECK(contains(r.out, "  denial      NSEC3 (SHA-1, 0 extra iterations, no salt)\n"));
    CHECK(contains(r.out, "valid 1209600 s from signing"));
    auto json = ctl.run({"dnssec", "status", "example.com", "--json"});
    CHECK(json.code == 0);
    CHECK(contains(json.out, "\"signed\": true"));
    CHECK(contains(json.out, "\"key_tag\": " + tag));
    CHECK(contains(json.out, "\"denial\": \"nsec3\""));
    CHECK(contains(json.out, "\"nsec3_opt_out\": false"));
    for (const Run& out : {r, json}) {
      CHECK_FALSE(contains(out.out, base64_encode(row.private_key)));
      CHECK_FALSE(contains(out.out, hex_encode(row.private_key)));
    }
  }

  TEST_CASE("status reads the signature settings from [dnssec]") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"dnssec", "enable", "example.com"}).code == 0);
    const auto config = ctl.write_file(
        "apexdns.toml", "[dnssec]\nsignature_validity_s = 86400\nrefresh_s = 3600\n");
    auto r = ctl.run({"--config", config.string(), "dnssec", "status", "example.com", "--json"});
    CHECK(r.code == 0);
    CHECK(contains(r.out, "\"signature_validity_s\": 86400"));
    CHECK(contains(r.out, "\"signature_refresh_s\": 3600"));
  }

  TEST_CASE("ds prints the digest-type-2 DS of the stored DNSKEY, and the DNSKEY") {
    Apexctl ctl;
    ctl.init_with_example();
    CHECK(contains(ctl.refused({"dnssec", "ds", "example.com"}), "is not signed"));
    CHECK(contains(ctl.refused({"dnssec", "ds", "none.example"}), "is not in the database"));
    REQUIRE(ctl.run({"dnssec", "enable", "example.com"}).code == 0);
    const storage::DnssecKeyRow row = dnssec_of(ctl, "example.com.").keys[0];
    const Name apex = Name::from_text("example.com.").value();
    auto ds = ds_rdata(apex, row.dnskey_rdata);
    REQUIRE(ds);
    auto r = ctl.run({"dnssec", "ds", "example.com"});
    CHECK(r.code == 0);
    CHECK(r.out == ds_master_line(apex, 3600, *ds) + "example.com. 3600 IN DNSKEY " +
                       rdata_to_text(RRType::DNSKEY, row.dnskey_rdata) + "\n");
    CHECK(contains(r.out, "IN DS " + std::to_string(row.key_tag) + " 13 2 "));
  }
}

TEST_SUITE("dnssec status and stored signatures") {
  TEST_CASE("the status gives the signatures apexd stored, the earliest expiry and renewal") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"dnssec", "enable", "example.com"}).code == 0);
    CHECK(contains(ctl.run({"dnssec", "status", "example.com"}).out,
                   "stored      none yet: apexd signs the zone when it loads it"));
    CHECK(contains(ctl.run({"dnssec", "status", "example.com", "--json"}).out,
                   "\"next_renewal\": null"));
    {
      // A load signs the zone and stores its signatures, as apexd's does.
      auto db = storage::Database::open(ctl.db(), storage::OpenMode::kExisting).value();
      storage::LoadReport report;
      REQUIRE(storage::load_zone_index(*db, report).ok());
      REQUIRE(report.signatures_made > 0);
    }
    const std::string status = ctl.run({"dnssec", "status", "example.com"}).out;
    CHECK(contains(status, "signature(s); the earliest expires "));
    CHECK(contains(status, ", renewed from "));
    const std::string json = ctl.run({"dnssec", "status", "example.com", "--json"}).out;
    CHECK_FALSE(contains(json, "\"stored_signatures\": 0"));
    CHECK_FALSE(contains(json, "\"next_renewal\": null"));
  }
}

}  // namespace apex::testing
