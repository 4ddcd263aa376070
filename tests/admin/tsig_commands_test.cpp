// Specification of apexctl tsig add, list and delete: keys are validated, stored whole, logged
// as transfer-settings changes, and their secrets are shown only when generated.
#include <doctest/doctest.h>

#include "tests/admin/apexctl_fixture.hpp"

namespace apex::testing {
namespace {

// 32 octets 0x00..0x1f.
constexpr const char* kSecret32 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

// The base64 secret of the BIND block printed by tsig add.
std::string printed_secret(const std::string& out) {
  const std::string marker = "\tsecret \"";
  const auto start = out.find(marker);
  if (start == std::string::npos) return "";
  const auto begin = start + marker.size();
  return out.substr(begin, out.find('"', begin) - begin);
}

}  // namespace

TEST_SUITE("tsig add") {
  TEST_CASE("a generated secret is as long as the hash, random, and printed once as config") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    auto r = ctl.run({"tsig", "add", "XFR.Hoster.Test"});
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    const std::string secret = printed_secret(r.out);
    REQUIRE(base64_decode(secret).has_value());
    CHECK(base64_decode(secret)->size() == 32);
    CHECK(r.out ==
          "added TSIG key xfr.hoster.test. (hmac-sha256, 32-octet secret)\n"
          "# The secret is shown only now; paste the key into the secondary's "
          "configuration.\n\n"
          "# BIND (named.conf)\n"
          "key \"xfr.hoster.test.\" {\n\talgorithm hmac-sha256;\n\tsecret \"" +
              secret +
              "\";\n};\n\n"
              "# NSD (nsd.conf)\n"
              "key:\n\tname: \"xfr.hoster.test.\"\n\talgorithm: hmac-sha256\n"
              "\tsecret: \"" +
              secret +
              "\"\n\n"
              "# Knot DNS (knot.conf)\n"
              "key:\n  - id: xfr.hoster.test.\n    algorithm: hmac-sha256\n"
              "    secret: " +
              secret + "\n");
    CHECK(ctl.transfer_snapshot() == "key xfr.hoster.test. hmac-sha256 " + secret + "\n");
    CHECK(ctl.change_log() ==
          "- | tester | tsig add\n+key xfr.hoster.test. (hmac-sha256, "
          "32-octet secret)\n");
    // Another key gets another secret; hmac-sha512's is 64 octets.
    r = ctl.run({"tsig", "add", "other.test", "--algorithm", "hmac-sha512"});
    CHECK(r.code == 0);
    CHECK(base64_decode(printed_secret(r.out))->size() == 64);
    CHECK(printed_secret(r.out) != secret);
  }

  TEST_CASE("a given secret is stored as given and not printed") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    auto r =
        ctl.run({"tsig", "add", "k.test.", "--algorithm", "HMAC-SHA384.", "--secret", kSecret32});
    CHECK(r.code == 0);
    CHECK(r.out == "added TSIG key k.test. (hmac-sha384, 32-octet secret)\n");
    // Shorter than the 48-octet hash output: allowed, with RFC 2104's advice.
    CHECK(r.err ==
          "apexctl: note: the secret has 32 octets, fewer than hmac-sha384's 48-octet output "
          "(RFC 2104 §3 advises against it)\n");
    CHECK(ctl.transfer_snapshot() == std::string("key k.test. hmac-sha384 ") + kSecret32 + "\n");
  }

  TEST_CASE("--secret - reads the secret from standard input") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    ctl.env.stdin_text = std::string(kSecret32) + "\n";
    auto r = ctl.run({"tsig", "add", "k.test", "--secret", "-"});
    CHECK(r.code == 0);
    CHECK(ctl.transfer_snapshot() == std::string("key k.test. hmac-sha256 ") + kSecret32 + "\n");
  }

  TEST_CASE("hmac-sha1 is accepted with a note") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    auto r = ctl.run({"tsig", "add", "old.test", "--algorithm", "hmac-sha1"});
    CHECK(r.code == 0);
    CHECK(r.err ==
          "apexctl: note: hmac-sha1 is not recommended (RFC 8945 §6); prefer "
          "hmac-sha256\n");
    CHECK(base64_decode(printed_secret(r.out))->size() == 20);
  }

  TEST_CASE("bad names, algorithms, secrets and duplicates are refused, changing nothing") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    REQUIRE(ctl.run({"tsig", "add", "k.test", "--secret", kSecret32}).code == 0);
    CHECK(ctl.refused({"tsig", "add", "K.TEST."}) == "apexctl: TSIG key k.test. already exists\n");
    CHECK(ctl.refused({"tsig", "add", "bad..name"}).starts_with("apexctl: invalid name"));
    CHECK(ctl.refused({"tsig", "add", "n.test", "--algorithm", "hmac-md5"}) ==
          "apexctl: unknown TSIG algorithm 'hmac-md5' (supported: hmac-sha1, hmac-sha224, "
          "hmac-sha256, hmac-sha384, hmac-sha512)\n");
    CHECK(ctl.refused({"tsig", "add", "n.test", "--secret", "not*base64"}) ==
          "apexctl: invalid --secret: not base64 (RFC 4648 §4)\n");
    CHECK(ctl.refused({"tsig", "add", "n.test", "--secret", "AAECAwQFBgcICQoLDA0O"}) ==
          "apexctl: invalid --secret: 15 octets is too short, at least 16 are needed (omit "
          "--secret to generate one)\n");
    auto r = ctl.run({"tsig", "add"});
    CHECK(r.code == 2);
    CHECK(r.err == "apexctl: expected one NAME\nTry 'apexctl tsig add --help'.\n");
    CHECK(ctl.run({"tsig", "add", "n.test", "--bogus"}).code == 2);
    CHECK(ctl.run({"tsig", "frobnicate"}).code == 2);
  }
}

TEST_SUITE("tsig list and delete") {
  TEST_CASE("list shows algorithm, length and users, never the secret") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    CHECK(ctl.run({"tsig", "list"}).out.empty());
    CHECK(ctl.run({"tsig", "list", "--json"}).out == "[]\n");
    REQUIRE(ctl.run({"tsig", "add", "b.test", "--secret", kSecret32}).code == 0);
    REQUIRE(ctl.run({"tsig", "add", "a.test", "--algorithm", "hmac-sha512"}).code == 0);
    REQUIRE(ctl.run({"secondary", "add", "192.0.2.53", "--key", "b.test"}).code == 0);
    auto r = ctl.run({"tsig", "list"});
    CHECK(r.code == 0);
    CHECK(r.out ==
          "NAME     ALGORITHM    OCTETS  SECONDARIES\n"
          "a.test.  hmac-sha512  64      -\n"
          "b.test.  hmac-sha256  32      192.0.2.53:53\n");
    r = ctl.run({"tsig", "list", "--json"});
    CHECK(r.out ==
          "[\n"
          "  {\"name\": \"a.test.\", \"algorithm\": \"hmac-sha512\", \"secret_octets\": 64, "
          "\"secondaries\": []},\n"
          "  {\"name\": \"b.test.\", \"algorithm\": \"hmac-sha256\", \"secret_octets\": 32, "
          "\"secondaries\": [\"192.0.2.53:53\"]}\n"
          "]\n");
    CHECK_FALSE(contains(r.out + ctl.run({"tsig", "list"}).out, kSecret32));
  }

  TEST_CASE("delete removes an unused key and logs it; a key in use is refused, naming users") {
    Apexctl ctl;
    REQUIRE(ctl.run({"init"}).code == 0);
    REQUIRE(ctl.run({"tsig", "add", "k.test", "--secret", kSecret32}).code == 0);
    REQUIRE(ctl.run({"secondary", "add", "192.0.2.53", "--key", "k.test"}).code == 0);
    REQUIRE(ctl.run({"secondary", "add", "[2001:db8::53]:5300", "--key", "k.test"}).code == 0);
    CHECK(ctl.refused({"tsig", "delete", "K.test"}) ==
          "apexctl: TSIG key k.test. is used by secondary 192.0.2.53:53,[2001:db8::53]:5300: "
          "delete them first\n");
    CHECK(ctl.refused({"tsig", "delete", "nope.test"}) ==
          "apexctl: TSIG key nope.test. is not in the database\n");
    REQUIRE(ctl.run({"secondary", "delete", "192.0.2.53"}).code == 0);
    REQUIRE(ctl.run({"secondary", "delete", "[2001:db8::53]:5300"}).code == 0);
    auto r = ctl.run({"tsig", "delete", "k.test"});
    CHECK(r.code == 0);
    CHECK(r.out == "deleted TSIG key k.test.\n");
    CHECK(ctl.transfer_snapshot().empty());
    CHECK(contains(ctl.change_log(),
                   "- | tester | tsig delete\n-key k.test. (hmac-sha256, 32-octet secret)\n"));
    CHECK(ctl.run({"tsig", "delete"}).code == 2);
  }
}

}  // namespace apex::testing
