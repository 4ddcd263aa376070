// Runs apexctl in-process against a database in a scratch directory, and snapshots the
// database so tests can check that a refused command changed nothing.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

#include "admin/apexctl.hpp"
#include "storage/database.hpp"
#include "tests/storage/temp_directory.hpp"
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

class Apexctl {
 public:
  Apexctl() : db_(dir_ / "apexdns.db") {}

  const std::filesystem::path& db() const { return db_; }
  std::filesystem::path path(const std::string& name) const { return dir_ / name; }

  // apexctl --db DB args...
  Run run(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--db", db_.string()});
    return run_raw(std::move(args));
  }
  // apexctl args..., exactly as given.
  static Run run_raw(std::vector<std::string> args) {
    std::ostringstream out, err;
    Run r;
    r.code = admin::run_apexctl(std::move(args), out, err);
    r.out = out.str();
    r.err = err.str();
    return r;
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

 private:
  TempDirectory dir_;
  std::filesystem::path db_;
};

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace apex::testing
