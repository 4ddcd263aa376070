// Runs apexctl in-process against a database in a scratch directory, and snapshots the
// database so tests can check that a refused command changed nothing.
#pragma once

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "admin/alias_settings.hpp"
#include "admin/apexctl.hpp"
#include "admin/environment.hpp"
#include "storage/database.hpp"
#include "tests/storage/temp_directory.hpp"
#include "zones/base_encoding.hpp"
#include "zones/rdata.hpp"

namespace apex::testing {

struct Run {
  int code = -1;
  std::string out;
  std::string err;
};

inline constexpr const char* kExampleZone =
    "$ORIGIN example.com.\n"
    "$TTL 3600\n"
    "@        IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300\n"
    "@        IN NS  ns1\n"
    "@        IN NS  ns2.example.net.\n"
    "@        IN MX  10 mail\n"
    "ns1      IN A   192.0.2.1\n"
    "mail     IN A   192.0.2.20\n"
    "www      IN A   192.0.2.10\n"
    "www      IN AAAA 2001:db8::10\n"
    "alias    IN CNAME www\n"
    "txt  300 IN TXT \"hello world\" \"v=spf1 -all\"\n";

// The environment every test runs apexctl in: $USER=tester, no $SUDO_USER, the clock at
// 2024-05-01 12:00:00 UTC, empty standard input.
struct TestEnvironment {
  std::map<std::string, std::string> variables = {{"USER", "tester"}};
  std::chrono::system_clock::time_point now =
      std::chrono::sys_days(std::chrono::year(2024) / 5 / 1) + std::chrono::hours(12);
  std::string stdin_text;
};

inline Run run_in(const TestEnvironment& test_env, std::vector<std::string> args) {
  std::ostringstream out, err;
  std::istringstream in(test_env.stdin_text);
  admin::Environment env;
  env.variable = [&](const char* name) -> std::optional<std::string> {
    auto it = test_env.variables.find(name);
    if (it == test_env.variables.end()) return std::nullopt;
    return it->second;
  };
  env.uid = 4242;
  env.now = test_env.now;
  env.in = &in;
  Run r;
  r.code = admin::run_apexctl(std::move(args), out, err, env);
  r.out = out.str();
  r.err = err.str();
  return r;
}

class Apexctl {
 public:
  Apexctl() : db_(dir_ / "apexdns.db") {}

  const std::filesystem::path& db() const { return db_; }
  std::filesystem::path path(const std::string& name) const { return dir_ / name; }

  TestEnvironment env;

  // apexctl --db DB args...
  Run run(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--db", db_.string()});
    return run_in(env, std::move(args));
  }
  // apexctl args..., exactly as given.
  static Run run_raw(std::vector<std::string> args) {
    return run_in(TestEnvironment{}, std::move(args));
  }

  // Runs a command that must be refused (exit 1) without changing the database (zones,
  // records, alias settings and results, change log); returns its stderr.
  std::string refused(std::vector<std::string> args) const {
    const std::string before = everything();
    auto r = run(std::move(args));
    CHECK(r.code == 1);
    CHECK(r.out.empty());
    CHECK(everything() == before);
    return r.err;
  }

  // All the database holds, as text: for checking that a command changed nothing.
  std::string everything() const {
    return snapshot() + alias_snapshot() + transfer_snapshot() + change_log() + providers() +
           journal_snapshot() + catalog_snapshot() + dnssec_snapshot();
  }

  static std::string times_text(std::initializer_list<std::optional<std::int64_t>> times) {
    std::string text;
    for (const auto& at : times) text += (at ? std::to_string(*at) : "-") + " ";
    return text;
  }

  // Every zone's DNSSEC keys ("dnssec ZONE TAG ALG FLAGS STATE TIMES") and settings.
  std::string dnssec_snapshot() const {
    auto db = storage::Database::open(db_, storage::OpenMode::kExisting);
    REQUIRE_MESSAGE(db.ok(), db.error());
    auto zones = (*db)->list_zones();
    REQUIRE_MESSAGE(zones.ok(), zones.error());
    std::string text;
    for (const auto& zone : *zones) {
      auto dnssec = (*db)->zone_dnssec(zone.apex);
      REQUIRE_MESSAGE(dnssec.ok(), dnssec.error());
      const storage::ZoneDnssec& d = dnssec->value();
      for (const auto& k : d.keys)
        text +=
            "dnssec " + zone.apex.to_text() + " " + std::to_string(k.key_tag) + " " +
            std::to_string(k.algorithm) + " " + std::to_string(k.flags) + " " +
            (k.state == storage::DnssecKeyState::kActive ? "active" : "retired") + " " +
            times_text({k.times.publish_s, k.times.active_s, k.times.retire_s, k.times.remove_s}) +
            "\n";
      text += "denial " + zone.apex.to_text() +
              (d.settings.denial == DenialOfExistence::kNsec3 ? " nsec3" : " nsec") +
              (d.settings.nsec3_opt_out ? " opt-out\n" : "\n");
      text += "delays " + std::to_string(d.settings.propagation_delay_s) + " " +
              std::to_string(d.settings.parent_ds_ttl_s) + " " +
              std::to_string(d.settings.registration_delay_s) + " delete since " +
              times_text({d.settings.delete_since_s}) + "\n";
    }
    return text;
  }

  // Every zone's IXFR journal ("journal ZONE FROM -> TO, N octets"), as text.
  std::string journal_snapshot() const {
    auto db = storage::Database::open(db_, storage::OpenMode::kExisting);
    REQUIRE_MESSAGE(db.ok(), db.error());
    auto zones = (*db)->list_zones();
    REQUIRE_MESSAGE(zones.ok(), zones.error());
    std::string text;
    for (const auto& zone : *zones) {
      auto journal = (*db)->journal(zone.apex);
      REQUIRE_MESSAGE(journal.ok(), journal.error());
      for (const auto& v : *journal)
        text += "journal " + zone.apex.to_text() + " " + std::to_string(v.from) + " -> " +
                std::to_string(v.to) + ", " + std::to_string(v.difference.size()) + " octets\n";
    }
    return text;
  }

  // The catalog's name, serial and members (RFC 9432), as text.
  std::string catalog_snapshot() const {
    auto db = storage::Database::open(db_, storage::OpenMode::kExisting);
    REQUIRE_MESSAGE(db.ok(), db.error());
    auto catalog = (*db)->catalog();
    REQUIRE_MESSAGE(catalog.ok(), catalog.error());
    std::string text = "catalog " +
                       (catalog->state.name ? catalog->state.name->to_text() : std::string("-")) +
                       " " + std::to_string(catalog->state.serial) + "\n";
    for (const CatalogMember& m : catalog->members)
      text += "member " + m.zone.to_text() + " " + m.label + "\n";
    return text;
  }

  // The provider-owned zones, one per line.
  std::string providers() const {
    auto db = storage::Database::open(db_, storage::OpenMode::kExisting);
    REQUIRE_MESSAGE(db.ok(), db.error());
    auto apexes = (*db)->provider_zones();
    REQUIRE_MESSAGE(apexes.ok(), apexes.error());
    std::string text;
    for (const Name& apex : *apexes) text += "provider " + apex.to_text() + "\n";
    return text;
  }

  std::filesystem::path write_file(const std::string& name, const std::string& text) const {
    const auto p = dir_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p;
  }

  // An initialized database holding example.com. (kExampleZone).
  void init_with_example() const {
    REQUIRE(run({"init"}).code == 0);
    auto imported = run({"zone", "import", write_file("example.com.zone", kExampleZone).string()});
    REQUIRE_MESSAGE(imported.code == 0, imported.err);
  }

  // Every zone and record in the database, as text.
  std::string snapshot() const {
    auto db = storage::Database::open(db_, storage::OpenMode::kExisting);
    REQUIRE_MESSAGE(db.ok(), db.error());
    std::string text;
    auto done = (*db)->for_each_zone([&](const Name& apex, std::vector<Record>&& records) {
      text += "zone " + apex.to_text() + "\n";
      for (const Record& r : records) {
        text += r.owner.to_text() + " " + std::to_string(r.ttl) + " " + rrtype_to_text(r.type) +
                " " + rdata_to_text(r.type, r.rdata) + "\n";
      }
    });
    REQUIRE_MESSAGE(done.ok(), done.error());
    return text;
  }

  // Every alias settings row ("settings OWNER fallback=... health=...") and saved
  // flattener result ("result TARGET FAMILY STATE ADDRESSES"), as text.
  std::string alias_snapshot() const {
    auto db = storage::Database::open(db_, storage::OpenMode::kExisting);
    REQUIRE_MESSAGE(db.ok(), db.error());
    std::string text;
    auto settings = (*db)->alias_settings(std::nullopt);
    REQUIRE_MESSAGE(settings.ok(), settings.error());
    for (const auto& s : *settings) {
      text += "settings " + s.owner.to_text() + " fallback=" + admin::fallback_text(s) +
              " health=" + admin::health_text(s) + "\n";
    }
    auto results = (*db)->alias_targets();
    REQUIRE_MESSAGE(results.ok(), results.error());
    for (const auto& r : *results) {
      text += "result " + r.target.to_text() + " " + std::to_string(r.family) + " " + r.state +
              " " + r.addresses + "\n";
    }
    return text;
  }

  // Saves flattener results as apexd would (alias_state rows).
  void save_results(const std::vector<storage::AliasTargetRow>& rows) const {
    auto db = storage::Database::open(db_, storage::OpenMode::kExisting);
    REQUIRE_MESSAGE(db.ok(), db.error());
    auto saved = (*db)->save_alias_targets(rows);
    REQUIRE_MESSAGE(saved.ok(), saved.error());
  }

  // Every TSIG key ("key NAME ALGORITHM BASE64") and secondary ("secondary ADDR:PORT KEY
  // all|ZONES"), as text.
  std::string transfer_snapshot() const {
    auto db = storage::Database::open(db_, storage::OpenMode::kExisting);
    REQUIRE_MESSAGE(db.ok(), db.error());
    auto settings = (*db)->load_transfer_settings();
    REQUIRE_MESSAGE(settings.ok(), settings.error());
    std::string text;
    for (const auto& k : settings->keys)
      text += "key " + k.name.to_text() + " " + k.algorithm + " " + base64_encode(k.secret) + "\n";
    for (const auto& s : settings->secondaries) {
      text += "secondary " + s.endpoint() + " " + (s.key ? s.key->to_text() : "-") +
              (s.all_zones ? " all" : "");
      for (const auto& zone : s.zones) text += " " + zone.to_text();
      text += "\n";
    }
    return text;
  }

  // The change log, oldest first: "zone | actor | operation" and the detail lines.
  std::string change_log() const {
    auto db = storage::Database::open(db_, storage::OpenMode::kExisting);
    REQUIRE_MESSAGE(db.ok(), db.error());
    auto changes = (*db)->changes_since(0);
    REQUIRE_MESSAGE(changes.ok(), changes.error());
    std::string text;
    for (const auto& c : *changes) {
      text += (c.entry.zone ? c.entry.zone->to_text() : "-") + " | " + c.entry.actor + " | " +
              c.entry.operation + "\n" + c.entry.detail + "\n";
    }
    return text;
  }

  // The number of change-log entries.
  std::size_t change_count() const {
    auto db = storage::Database::open(db_, storage::OpenMode::kExisting);
    REQUIRE_MESSAGE(db.ok(), db.error());
    return (*db)->changes_since(0).value().size();
  }

 private:
  TempDirectory dir_;
  std::filesystem::path db_;
};

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace apex::testing
