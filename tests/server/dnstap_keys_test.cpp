// Specification of the [dnstap] configuration section: defaults, values, errors naming the key.
#include "server/dnstap_keys.hpp"

#include <doctest/doctest.h>

#include <string>

#include "server/config.hpp"

using namespace apex::server;

namespace {

// Applies every key of a [dnstap] table; the first error, or the settings.
apex::Result<DnstapSettings> read(const std::string& toml_text) {
  toml::table table = toml::parse(toml_text);
  DnstapSettings settings;
  for (const auto& [key, value] : table)
    if (auto ok = apply_dnstap_key(key.str(), value, settings); !ok) return apex::Error{ok.error()};
  return settings;
}

}  // namespace

TEST_CASE("defaults: off, both message types, queues of 1024, identity from [server]") {
  const DnstapSettings settings;
  CHECK_FALSE(settings.enabled());
  CHECK(settings.log_queries);
  CHECK(settings.log_responses);
  CHECK(settings.queue_size == 1024);
  CHECK(settings.identity.empty());
  CHECK(Config{}.dnstap == settings);
}

TEST_CASE("a socket enables the log; every key is read") {
  auto s = read(R"(socket = "/run/dnstap.sock"
log_queries = false
log_responses = true
identity = "ns1"
queue_size = 4096)");
  REQUIRE(s.ok());
  CHECK(s->enabled());
  CHECK(s->socket == "/run/dnstap.sock");
  CHECK_FALSE(s->log_queries);
  CHECK(s->log_responses);
  CHECK(s->identity == "ns1");
  CHECK(s->queue_size == 4096);
}

TEST_CASE("queue_size is a power of two that fstrm accepts") {
  CHECK(read("queue_size = 2")->queue_size == 2);
  CHECK(read("queue_size = 16384")->queue_size == 16384);
  const std::string error = "queue_size must be a power of two from 2 to 16384";
  CHECK(read("queue_size = 1000").error() == error);
  CHECK(read("queue_size = 1").error() == error);
  CHECK(read("queue_size = 32768").error() == error);
  CHECK(read("queue_size = -4").error() == error);
  CHECK(read("queue_size = \"1024\"").error() == error);
}

TEST_CASE("values of the wrong kind are errors naming the key") {
  CHECK(read("socket = \"\"").error() ==
        "socket must be the path of a UNIX socket, 1 to 107 octets");
  CHECK(read("socket = \"/" + std::string(107, 'x') + "\"").error() ==
        "socket must be the path of a UNIX socket, 1 to 107 octets");
  CHECK(read("socket = \"/" + std::string(106, 'x') + "\"").ok());
  CHECK(read("socket = 5").error() == "socket must be the path of a UNIX socket, 1 to 107 octets");
  CHECK(read("log_queries = \"yes\"").error() == "log_queries must be true or false");
  CHECK(read("log_responses = 1").error() == "log_responses must be true or false");
  CHECK(read("identity = \"" + std::string(256, 'a') + "\"").error() ==
        "identity must be a string of at most 255 octets");
  CHECK(read("sockets = \"/x\"").error() == "unknown setting 'sockets'");
}
