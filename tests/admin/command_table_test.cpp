// Specification of apexctl's command table: every command is reachable by its words, has its
// own help, takes --comment exactly when it changes data, and the commands for the running
// apexd are the ones whose help comes after the configuration.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "admin/apexctl.hpp"
#include "admin/change_commands.hpp"
#include "admin/command_table.hpp"
#include "tests/admin/apexctl_fixture.hpp"

namespace apex::testing {
namespace {

using admin::Command;
using admin::CommandTarget;

std::vector<std::string> words_of(const Command& command) {
  std::vector<std::string> words{std::string(command.group)};
  if (!command.name.empty()) words.emplace_back(command.name);
  return words;
}

}  // namespace

TEST_SUITE("command table") {
  TEST_CASE("each command has one way to run and words no other command has") {
    std::set<std::string> seen;
    for (const Command& command : admin::commands()) {
      CAPTURE(command.words());
      CHECK((command.change != nullptr || command.run != nullptr));
      CHECK(seen.insert(command.words()).second);
      CHECK(admin::find_command(words_of(command)) == &command);
      // A one-word command is never also a group, so its arguments cannot shadow a subcommand.
      if (command.name.empty()) CHECK(admin::find_command_group(command.group) == nullptr);
    }
  }

  TEST_CASE("each command has its own help, naming its words") {
    for (const Command& command : admin::commands()) {
      CAPTURE(command.words());
      REQUIRE(command.usage != nullptr);
      const std::string usage = command.usage;
      CHECK(usage.starts_with("Usage: apexctl "));
      CHECK(contains(usage, " " + command.words()));
      auto run =
          Apexctl::run_raw({std::string(command.group), std::string(command.name), "--help"});
      if (command.name.empty()) run = Apexctl::run_raw({std::string(command.group), "--help"});
      CHECK(run.code == 0);
      CHECK(run.out == usage);
    }
  }

  TEST_CASE("every subcommand belongs to a group whose help or apexctl's lists it") {
    std::set<std::string> unlisted;
    for (const Command& command : admin::commands()) {
      if (command.name.empty()) continue;
      CAPTURE(command.words());
      const auto* group = admin::find_command_group(command.group);
      REQUIRE(group != nullptr);
      if (!contains(group->usage, "  " + std::string(command.name) + " ") &&
          !contains(admin::kApexctlUsage, "  " + command.words()))
        unlisted.insert(command.words());
    }
    CHECK(unlisted.empty());
    for (const auto& group : admin::command_groups()) {
      CAPTURE(group.name);
      auto run = Apexctl::run_raw({std::string(group.name), "--help"});
      CHECK(run.code == 0);
      CHECK(run.out == group.usage);
    }
  }

  TEST_CASE("the change commands of apply are the commands with a ChangeCommand, all changing") {
    for (const Command& command : admin::commands()) {
      CAPTURE(command.words());
      const auto* change = admin::find_change_command(command.group, command.name);
      CHECK(change == command.change);
      if (command.change) {
        CHECK(command.changes_data);
        CHECK(command.usage == command.change->usage);
      }
    }
  }

  TEST_CASE("commands for the running apexd neither change data nor open the database") {
    std::set<std::string> control;
    for (const Command& command : admin::commands()) {
      if (command.target != CommandTarget::kApexd) continue;
      CHECK_FALSE(command.changes_data);
      control.insert(command.words());
    }
    CHECK(control ==
          std::set<std::string>{"status", "stats", "reload", "zone reload", "alias refresh"});
  }

  TEST_CASE("--comment is accepted exactly by the commands that change data") {
    Apexctl ctl;
    const std::string refusal = "--comment goes with a command that changes something";
    std::set<std::string> accepted;
    for (const Command& command : admin::commands()) {
      CAPTURE(command.words());
      std::vector<std::string> args = {"--comment", "why"};
      for (auto& word : words_of(command)) args.push_back(word);
      auto r = ctl.run(args);
      if (command.changes_data) {
        CHECK_FALSE(contains(r.err, refusal));
        accepted.insert(command.words());
      } else {
        CHECK(r.code == 2);
        CHECK(contains(r.err, refusal));
      }
    }
    CHECK(accepted == std::set<std::string>{"zone add",
                                            "zone delete",
                                            "zone import",
                                            "zone provider",
                                            "record add",
                                            "record set",
                                            "record delete",
                                            "alias set",
                                            "alias delete",
                                            "tsig add",
                                            "tsig delete",
                                            "secondary add",
                                            "secondary delete",
                                            "dnssec enable",
                                            "dnssec disable",
                                            "dnssec rollover",
                                            "catalog set",
                                            "catalog unset",
                                            "apply",
                                            "restore",
                                            "revert"});
  }

  TEST_CASE("a group without a known subcommand is a usage error naming the group") {
    auto r = Apexctl::run_raw({"zone"});
    CHECK(r.code == 2);
    CHECK(r.err == "apexctl: missing zone command\nTry 'apexctl zone --help'.\n");
    r = Apexctl::run_raw({"tsig", "rotate"});
    CHECK(r.code == 2);
    CHECK(r.err == "apexctl: unknown tsig command 'rotate'\nTry 'apexctl tsig --help'.\n");
    r = Apexctl::run_raw({"frobnicate"});
    CHECK(r.code == 2);
    CHECK(r.err == "apexctl: unknown command 'frobnicate'\nTry 'apexctl --help'.\n");
  }
}

}  // namespace apex::testing
