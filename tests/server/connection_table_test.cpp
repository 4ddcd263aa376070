// Specification of TCP admission: a total limit and a per-client limit (IPv4 address, IPv6 /64).
#include "server/connection_table.hpp"

#include <doctest/doctest.h>

using namespace apex::server;
using boost::asio::ip::make_address;

TEST_CASE("a client is an IPv4 address or an IPv6 /64") {
  CHECK(ClientKey::of(make_address("192.0.2.1")) == ClientKey::of(make_address("192.0.2.1")));
  CHECK_FALSE(ClientKey::of(make_address("192.0.2.1")) == ClientKey::of(make_address("192.0.2.2")));
  CHECK(ClientKey::of(make_address("2001:db8:1:2::1")) ==
        ClientKey::of(make_address("2001:db8:1:2:ffff::9")));
  CHECK_FALSE(ClientKey::of(make_address("2001:db8:1:2::1")) ==
              ClientKey::of(make_address("2001:db8:1:3::1")));
  // An IPv4 address never shares a count with an IPv6 prefix of the same bits.
  CHECK_FALSE(ClientKey::of(make_address("0.0.0.1")) == ClientKey::of(make_address("::1")));
}

TEST_CASE("the per-client limit holds one client back, not the others") {
  ConnectionTable table(10, 2);
  const auto a = ClientKey::of(make_address("192.0.2.1"));
  const auto b = ClientKey::of(make_address("192.0.2.2"));
  CHECK(table.try_admit(a) == Admission::kAdmitted);
  CHECK(table.try_admit(a) == Admission::kAdmitted);
  CHECK(table.try_admit(a) == Admission::kClientFull);
  CHECK(table.try_admit(b) == Admission::kAdmitted);
  CHECK(table.open() == 3);
  table.release(a);
  CHECK(table.try_admit(a) == Admission::kAdmitted);
}

TEST_CASE("the total limit holds everyone back, and a release makes room") {
  ConnectionTable table(2, 5);
  const auto a = ClientKey::of(make_address("192.0.2.1"));
  const auto b = ClientKey::of(make_address("2001:db8::1"));
  CHECK(table.try_admit(a) == Admission::kAdmitted);
  CHECK(table.try_admit(b) == Admission::kAdmitted);
  CHECK(table.try_admit(b) == Admission::kTotalFull);
  table.release(a);
  CHECK(table.try_admit(b) == Admission::kAdmitted);
  CHECK(table.open() == 2);
}

TEST_CASE("releasing a client that holds nothing changes nothing") {
  ConnectionTable table(1, 1);
  table.release(ClientKey::of(make_address("192.0.2.9")));
  CHECK(table.open() == 0);
  CHECK(table.try_admit(ClientKey::of(make_address("192.0.2.9"))) == Admission::kAdmitted);
}
