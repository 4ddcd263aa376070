// Specification of control socket request lines: one command and its arguments per line;
// anything else is an error that says what was wrong, never an exception.
#include "server/control_request.hpp"

#include <string>

#include <doctest/doctest.h>

using namespace apex;
using namespace apex::server;

namespace {

ControlRequest parsed(std::string_view line) {
  auto request = parse_control_request(line);
  REQUIRE_MESSAGE(request, (std::string(line) + ": " + (request ? "" : request.error())));
  return *request;
}

std::string error_of(std::string_view line) {
  auto request = parse_control_request(line);
  REQUIRE_FALSE(request);
  return request.error();
}

}  // namespace

TEST_CASE("the commands without arguments") {
  CHECK(parsed("status").command == ControlCommand::kStatus);
  CHECK(parsed("stats").command == ControlCommand::kStats);
  CHECK_FALSE(parsed("stats").name);
  CHECK(parsed("reload").command == ControlCommand::kReload);
}

TEST_CASE("the commands about one name carry it, lower-cased and absolute") {
  auto zone = parsed("zone-reload Example.COM");
  CHECK(zone.command == ControlCommand::kZoneReload);
  CHECK(zone.name->to_text() == "example.com.");
  auto alias = parsed("alias-refresh www.example.com.");
  CHECK(alias.command == ControlCommand::kAliasRefresh);
  CHECK(alias.name->to_text() == "www.example.com.");
  auto stats = parsed("stats zone example.org");
  CHECK(stats.command == ControlCommand::kStats);
  CHECK(stats.name->to_text() == "example.org.");
}

TEST_CASE("words are separated by spaces or tabs; a trailing CR is ignored") {
  CHECK(parsed("  status  ").command == ControlCommand::kStatus);
  CHECK(parsed("status\r").command == ControlCommand::kStatus);
  CHECK(parsed("zone-reload\t example.com \r").name->to_text() == "example.com.");
}

TEST_CASE("only actions are actions") {
  CHECK_FALSE(parsed("status").is_action());
  CHECK_FALSE(parsed("stats zone example.com").is_action());
  CHECK(parsed("reload").is_action());
  CHECK(parsed("zone-reload example.com").is_action());
  CHECK(parsed("alias-refresh www.example.com").is_action());
}

TEST_CASE("an empty or blank line is an error") {
  CHECK(error_of("") == "empty request");
  CHECK(error_of(" \t ") == "empty request");
  CHECK(error_of("\r") == "empty request");
}

TEST_CASE("unknown commands are named when printable, not echoed otherwise") {
  CHECK(error_of("restart") == "unknown command 'restart'");
  CHECK(error_of("STATUS") == "unknown command 'STATUS'");
  CHECK(error_of("\xff\xfe") == "unknown command");
  CHECK(error_of(std::string(100, 'x')) == "unknown command");
}

TEST_CASE("wrong argument counts are errors") {
  CHECK(error_of("status now") == "status takes no arguments");
  CHECK(error_of("reload all") == "reload takes no arguments");
  CHECK(error_of("zone-reload") == "zone-reload takes one argument, the zone");
  CHECK(error_of("zone-reload a.example b.example") == "zone-reload takes one argument, the zone");
  CHECK(error_of("alias-refresh") == "alias-refresh takes one argument, the alias name");
  CHECK(error_of("stats zone") == "stats zone takes one argument, the zone");
  CHECK(error_of("stats everything") == "stats takes no arguments, or 'zone ZONE'");
}

TEST_CASE("a name that is not a domain name is an error naming it") {
  const std::string label(64, 'a');
  CHECK(error_of("zone-reload " + label + ".example").starts_with("zone '" + label));
  CHECK(error_of("zone-reload a..example").starts_with("zone 'a..example': "));
}

TEST_CASE("control characters and oversized lines are refused") {
  CHECK(error_of(std::string("status\0", 7)) == "request has control characters");
  CHECK(error_of("stat\x1bs") == "request has control characters");
  CHECK(error_of(std::string(kMaxControlRequest + 1, 'a')) == "request longer than 4096 octets");
  // At the limit, the line is read (and here refused for what it says).
  CHECK(error_of("zone-reload " + std::string(kMaxControlRequest - 12, 'a')).starts_with("zone"));
}
