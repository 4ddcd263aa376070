// Specification of apexctl as a whole: usage, help, exit statuses, --db, init.
#include "admin/apexctl.hpp"

#include <doctest/doctest.h>

#include "storage/migrations.hpp"
#include "tests/admin/apexctl_fixture.hpp"

namespace apex::testing {

TEST_SUITE("apexctl") {
  TEST_CASE("no arguments: usage on stderr, exit 2") {
    auto r = Apexctl::run_raw({});
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.starts_with(
        "Usage: apexctl [--db FILE] [--config FILE] [--actor NAME] [--comment TEXT] COMMAND"));
  }

  TEST_CASE("--help and help print the usage with the exit statuses on stdout, exit 0") {
    for (const char* help : {"--help", "-h", "help"}) {
      auto r = Apexctl::run_raw({help});
      CHECK(r.code == 0);
      CHECK(r.err.empty());
      CHECK(contains(
          r.out,
          "Usage: apexctl [--db FILE] [--config FILE] [--actor NAME] [--comment TEXT] COMMAND"));
      CHECK(contains(r.out, "3  database error"));
    }
  }

  TEST_CASE("every command has its own --help, which needs no database") {
    Apexctl ctl;
    const std::vector<std::vector<std::string>> commands = {
        {"init"},           {"zone"},           {"zone", "add"},   {"zone", "delete"},
        {"zone", "import"}, {"zone", "export"}, {"zone", "list"},  {"zone", "show"},
        {"record"},         {"record", "add"},  {"record", "set"}, {"record", "delete"},
        {"record", "list"}, {"apply"},          {"check"},         {"log"}};
    for (auto args : commands) {
      std::string words;
      for (const auto& w : args) words += (words.empty() ? "" : " ") + w;
      args.push_back("--help");
      auto r = ctl.run(args);
      CAPTURE(words);
      CHECK(r.code == 0);
      CHECK(r.err.empty());
      CHECK(r.out.starts_with("Usage: apexctl [--db FILE] " + words));
    }
    CHECK_FALSE(std::filesystem::exists(ctl.db()));
  }

  TEST_CASE("unknown commands and options are usage errors, exit 2") {
    Apexctl ctl;
    auto r = ctl.run({"frobnicate"});
    CHECK(r.code == 2);
    CHECK(r.err == "apexctl: unknown command 'frobnicate'\nTry 'apexctl --help'.\n");

    r = ctl.run({"zone", "frobnicate"});
    CHECK(r.code == 2);
    CHECK(r.err == "apexctl: unknown zone command 'frobnicate'\nTry 'apexctl zone --help'.\n");

    r = ctl.run({"--verbose", "init"});
    CHECK(r.code == 2);
    CHECK(r.err == "apexctl: unknown option '--verbose'\nTry 'apexctl --help'.\n");

    r = ctl.run({"zone", "list", "--yaml"});
    CHECK(r.code == 2);
    CHECK(r.err == "apexctl: unknown option '--yaml'\nTry 'apexctl zone list --help'.\n");

    r = Apexctl::run_raw({"--db"});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "option '--db' needs a value"));
    CHECK_FALSE(std::filesystem::exists(ctl.db()));
  }

  TEST_CASE("a missing database is a database error, exit 3, with a hint") {
    Apexctl ctl;
    auto r = ctl.run({"zone", "list"});
    CHECK(r.code == 3);
    CHECK(r.err == "apexctl: database " + ctl.db().string() +
                       ": no such file (create it with 'apexctl --db " + ctl.db().string() +
                       " init')\n");
    CHECK_FALSE(std::filesystem::exists(ctl.db()));
  }

  TEST_CASE("init creates the database and is idempotent") {
    Apexctl ctl;
    auto r = ctl.run({"init"});
    CHECK(r.code == 0);
    CHECK(r.out == "database " + ctl.db().string() + " ready (schema version " +
                       std::to_string(storage::current_schema_version()) + ")\n");
    CHECK(std::filesystem::exists(ctl.db()));
    ctl.init_with_example();
    const std::string before = ctl.snapshot();
    CHECK(ctl.run({"init"}).code == 0);
    CHECK(ctl.snapshot() == before);
  }

  TEST_CASE("init refuses a file that is not an apexdns database, exit 3") {
    Apexctl ctl;
    ctl.write_file("apexdns.db", "plain text, not SQLite at all, long enough to have a header");
    auto r = ctl.run({"init"});
    CHECK(r.code == 3);
    CHECK(r.err.starts_with("apexctl: database " + ctl.db().string() + ": "));
  }

  TEST_CASE("--db may come before or after the command, and as --db=FILE") {
    Apexctl ctl;
    ctl.init_with_example();
    auto after = Apexctl::run_raw({"zone", "list", "--db", ctl.db().string()});
    auto joined = Apexctl::run_raw({"zone", "list", "--db=" + ctl.db().string()});
    CHECK(after.code == 0);
    CHECK(after.out == "example.com.  10\n");
    CHECK(joined.out == after.out);
  }
}

}  // namespace apex::testing
