// Specification of --comment TEXT: why a change was made, kept in each change-log entry the
// command writes and shown by 'apexctl log' (text and JSON).
#include <doctest/doctest.h>

#include "tests/admin/apexctl_fixture.hpp"

namespace apex::testing {

TEST_SUITE("--comment") {
  TEST_CASE("is kept in the entry and shown under its header") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"record", "add", "ftp.example.com", "A", "192.0.2.30", "--comment",
                     "ticket 4711: customer wants FTP back"})
                .code == 0);
    auto r = ctl.run({"log", "example.com", "--limit", "1"});
    CHECK(r.code == 0);
    CHECK(contains(r.out,
                   "  example.com.  tester  record add\n"
                   "    comment: ticket 4711: customer wants FTP back\n"
                   "    serial 2024010101 -> 2024010102\n"
                   "    +ftp.example.com. 3600 IN A 192.0.2.30\n"));
    r = ctl.run({"log", "--json", "--limit", "1"});
    CHECK(contains(r.out, "\"comment\": \"ticket 4711: customer wants FTP back\"}"));
  }

  TEST_CASE("may come before the command, like the other global options") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"--comment=cleanup", "record", "delete", "alias.example.com"}).code == 0);
    CHECK(contains(ctl.run({"log", "--limit", "1"}).out, "    comment: cleanup\n"));
  }

  TEST_CASE("an entry without one shows no comment line, and null in JSON") {
    Apexctl ctl;
    ctl.init_with_example();
    REQUIRE(ctl.run({"record", "delete", "alias.example.com"}).code == 0);
    CHECK_FALSE(contains(ctl.run({"log"}).out, "comment:"));
    CHECK(contains(ctl.run({"log", "--json", "--limit", "1"}).out, "\"comment\": null}"));
  }

  TEST_CASE("apply, and changes of the transfer settings, keep it in every entry") {
    Apexctl ctl;
    ctl.init_with_example();
    const auto script = ctl.write_file("batch.txt",
                                       "zone add shop.test\n"
                                       "record add a.example.com A 192.0.2.1\n");
    REQUIRE(ctl.run({"apply", script.string(), "--comment", "batch 42"}).code == 0);
    REQUIRE(ctl.run({"tsig", "add", "xfr.example", "--comment", "new fleet key"}).code == 0);
    auto json = ctl.run({"log", "--json"}).out;
    CHECK(contains(json, "\"operation\": \"tsig add\""));
    CHECK(contains(json, "\"comment\": \"new fleet key\""));
    auto text = ctl.run({"log"}).out;
    // Both zones of the apply: two entries with the comment.
    std::size_t count = 0;
    for (auto at = text.find("comment: batch 42"); at != std::string::npos;
         at = text.find("comment: batch 42", at + 1)) {
      ++count;
    }
    CHECK(count == 2);
  }

  TEST_CASE("is refused where nothing is logged, and when not one printable line") {
    Apexctl ctl;
    ctl.init_with_example();
    auto r = ctl.run({"zone", "list", "--comment", "why"});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "--comment goes with a command that changes something"));
    const std::string before = ctl.everything();
    for (const std::string& bad :
         {std::string("two\nlines"), std::string("tab\there"), std::string(1001, 'x')}) {
      r = ctl.run({"record", "delete", "alias.example.com", "--comment", bad});
      CHECK(r.code == 2);
      CHECK(contains(r.err, "invalid comment: expected 1 to 1000 characters on one line"));
    }
    CHECK(ctl.everything() == before);
  }

  TEST_CASE("a refused change logs nothing, comment or not") {
    Apexctl ctl;
    ctl.init_with_example();
    ctl.refused(
        {"record", "add", "www.example.com", "CNAME", "mail.example.com", "--comment", "try"});
  }
}

}  // namespace apex::testing
