// Specification of apexctl's argument splitting.
#include "admin/command_line.hpp"

#include <doctest/doctest.h>

namespace apex::admin {

TEST_SUITE("command line") {
  constexpr OptionSpec kOptions[] = {{"--ttl", true}, {"--json", false}};

  TEST_CASE("positional arguments, options with values and flags, in any order") {
    const std::vector<std::string> args = {"www", "--ttl", "60", "A", "--json", "192.0.2.1"};
    auto line = parse_command_line(args, kOptions);
    REQUIRE(line.ok());
    CHECK(line->positional == std::vector<std::string>{"www", "A", "192.0.2.1"});
    CHECK(line->value("--ttl") == "60");
    CHECK(line->has("--json"));
  }

  TEST_CASE("--name=value, and -- ends the options") {
    const std::vector<std::string> args = {"--ttl=5", "--", "--json", "-x"};
    auto line = parse_command_line(args, kOptions);
    REQUIRE(line.ok());
    CHECK(line->value("--ttl") == "5");
    CHECK_FALSE(line->has("--json"));
    CHECK(line->positional == std::vector<std::string>{"--json", "-x"});
  }

  TEST_CASE("errors name the option") {
    const std::vector<std::string> unknown = {"--yaml"};
    CHECK(parse_command_line(unknown, kOptions).error() == "unknown option '--yaml'");
    const std::vector<std::string> missing = {"--ttl"};
    CHECK(parse_command_line(missing, kOptions).error() == "option '--ttl' needs a value");
    const std::vector<std::string> extra = {"--json=yes"};
    CHECK(parse_command_line(extra, kOptions).error() == "option '--json' takes no value");
  }

  TEST_CASE("--db is taken out wherever it is, before --") {
    std::vector<std::string> args = {"zone", "--db", "a.db", "list", "--db=b.db", "--", "--db"};
    auto db = take_global_options(args);
    REQUIRE(db.ok());
    CHECK(db->db == "b.db");
    CHECK(args == std::vector<std::string>{"zone", "list", "--", "--db"});
    std::vector<std::string> none = {"init"};
    CHECK_FALSE(take_global_options(none)->db.has_value());
  }

  TEST_CASE("--config and --actor are global too; a repeated option keeps every value") {
    std::vector<std::string> args = {"--actor", "ci", "record",  "set", "--config=a.toml", "x", "A",
                                     "--rdata", "1",  "--rdata", "2"};
    auto globals = take_global_options(args);
    REQUIRE(globals.ok());
    CHECK(globals->actor == "ci");
    CHECK(globals->config == "a.toml");
    CHECK_FALSE(globals->db.has_value());
    constexpr OptionSpec kSet[] = {{"--rdata", true}};
    auto line = parse_command_line(std::span(args).subspan(2), kSet);
    REQUIRE(line.ok());
    CHECK(line->all_values("--rdata") == std::vector<std::string>{"1", "2"});
    CHECK(line->value("--rdata") == "2");
    std::vector<std::string> missing = {"zone", "list", "--config"};
    CHECK(take_global_options(missing).error() == "option '--config' needs a value");
  }

  TEST_CASE("help is asked for with --help or -h, not after --") {
    CHECK(wants_help(std::vector<std::string>{"x", "-h"}));
    CHECK(wants_help(std::vector<std::string>{"--help"}));
    CHECK_FALSE(wants_help(std::vector<std::string>{"--", "--help"}));
  }
}

}  // namespace apex::admin
