// Specification of transfer access (RFC 5936 §6): the address list comes first, the key a
// secondary signs with second; NOTIFY goes to every secondary that gets the zone.
#include "server/transfer_access.hpp"

#include <doctest/doctest.h>

using namespace apex;
using namespace apex::server;
using boost::asio::ip::make_address;

namespace {

Name name(const char* text) {
  return Name::from_text(text).value();
}

storage::TransferSettings settings() {
  storage::TransferSettings s;
  s.keys.push_back({name("k1."), "hmac-sha256", std::vector<std::uint8_t>(32, 1)});
  s.keys.push_back({name("k2."), "hmac-sha512", std::vector<std::uint8_t>(64, 2)});
  s.secondaries.push_back({"192.0.2.1", 53, name("k1."), true, {}});
  s.secondaries.push_back({"192.0.2.2", 5300, std::nullopt, false, {name("shop.example.")}});
  return s;
}

TransferAccessPtr access(const storage::TransferSettings& s = settings()) {
  auto built = TransferAccess::from(s);
  REQUIRE_MESSAGE(built.ok(), built.error());
  return *built;
}

}  // namespace

TEST_CASE("a listed address with its key may transfer any of its zones") {
  auto a = access();
  const TsigKey* k1 = a->keyring().find(name("k1."));
  const TsigKey* k2 = a->keyring().find(name("k2."));
  REQUIRE(k1);
  REQUIRE(k2);
  CHECK(a->refusal(make_address("192.0.2.1"), k1, name("any.example.")).empty());
  CHECK_FALSE(a->refusal(make_address("192.0.2.1"), nullptr, name("any.example.")).empty());
  // A valid signature by another key opens nothing, nor does any key at another address.
  CHECK_FALSE(a->refusal(make_address("192.0.2.1"), k2, name("any.example.")).empty());
  CHECK(a->refusal(make_address("192.0.2.9"), k1, name("any.example.")) == "not a secondary");
}

TEST_CASE("a secondary without a key gets exactly its zones") {
  auto a = access();
  CHECK(a->refusal(make_address("192.0.2.2"), nullptr, name("SHOP.example.")).empty());
  CHECK_FALSE(a->refusal(make_address("192.0.2.2"), nullptr, name("blog.example.")).empty());
}

TEST_CASE("NOTIFY targets: each secondary that gets the zone, with its port and key") {
  auto a = access();
  auto shop = a->notify_targets(name("shop.example."));
  REQUIRE(shop.size() == 2);
  CHECK(shop[0].to.port() == 53);
  REQUIRE(shop[0].key);
  CHECK(shop[0].key->name == name("k1."));
  CHECK(shop[1].to.port() == 5300);
  CHECK(shop[1].key == nullptr);
  CHECK(a->notify_targets(name("blog.example.")).size() == 1);
}

TEST_CASE("settings with an unknown algorithm are refused whole") {
  storage::TransferSettings s;
  s.keys.push_back({name("k."), "hmac-md5", std::vector<std::uint8_t>(16, 1)});
  CHECK_FALSE(TransferAccess::from(s).ok());
}

TEST_CASE("new NOTIFY targets: only secondaries that did not get the zone with this key") {
  const auto before = access();
  CHECK(before->new_notify_targets(*before, name("shop.example.")).empty());

  auto s = settings();
  s.secondaries.push_back({"192.0.2.3", 53, name("k2."), false, {name("blog.example.")}});
  const auto added = access(s);
  CHECK(added->new_notify_targets(*before, name("shop.example.")).empty());
  auto blog = added->new_notify_targets(*before, name("blog.example."));
  REQUIRE(blog.size() == 1);
  CHECK(blog[0].to.address() == make_address("192.0.2.3"));
  REQUIRE(blog[0].key);
  CHECK(blog[0].key->name == name("k2."));

  s = settings();
  s.secondaries[1].zones.push_back(name("blog.example."));  // given a zone
  s.secondaries[0].key = name("k2.");                       // given another key
  const auto changed = access(s);
  auto blog_now = changed->new_notify_targets(*before, name("blog.example."));
  REQUIRE(blog_now.size() == 2);
  CHECK(blog_now[0].to.port() == 53);
  CHECK(blog_now[0].key->name == name("k2."));
  CHECK(blog_now[1].to.port() == 5300);
  // The keyless secondary already had shop.example; only the re-keyed one is told again.
  auto shop_now = changed->new_notify_targets(*before, name("shop.example."));
  REQUIRE(shop_now.size() == 1);
  CHECK(shop_now[0].to.port() == 53);

  // A secondary removed or narrowed is told nothing.
  CHECK(before->new_notify_targets(*added, name("blog.example.")).empty());
}
