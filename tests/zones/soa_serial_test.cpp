// Specification of SOA serial handling: RFC 1982 serial arithmetic and the SERIAL field.
#include "zones/soa_serial.hpp"

#include <doctest/doctest.h>

#include <vector>

namespace apex {

TEST_SUITE("soa serial") {
  TEST_CASE("RFC 1982 §3.2 comparison wraps around") {
    CHECK(serial_greater(2, 1));
    CHECK_FALSE(serial_greater(1, 2));
    CHECK_FALSE(serial_greater(7, 7));
    CHECK(serial_greater(0, 0xffffffffu));  // 0 follows 2^32-1
    CHECK(serial_greater(0x7fffffffu, 0));
    CHECK_FALSE(serial_greater(0x80000000u, 0));  // exactly 2^31 apart: undefined, not greater
  }

  TEST_CASE("the next serial is the proposed one if greater, else current + 1") {
    CHECK(next_serial(10, 20) == 20);
    CHECK(next_serial(20, 10) == 21);
    CHECK(next_serial(20, 20) == 21);
    CHECK(next_serial(0xffffffffu, 0xffffffffu) == 0);
  }

  TEST_CASE("reads and rewrites SERIAL after MNAME and RNAME") {
    // MNAME "ns.", RNAME ".", then SERIAL 0x01020304 and four more 32-bit fields.
    std::vector<std::uint8_t> rdata = {2, 'n', 's', 0, 0, 1, 2, 3, 4, 0, 0, 0, 5,
                                       0, 0,   0,   6, 0, 0, 0, 7, 0, 0, 0, 8};
    CHECK(*soa_serial(rdata) == 0x01020304u);
    auto changed = with_soa_serial(rdata, 0xa0b0c0d0u);
    REQUIRE(changed.ok());
    CHECK(*soa_serial(*changed) == 0xa0b0c0d0u);
    CHECK(std::vector<std::uint8_t>(changed->begin() + 9, changed->end()) ==
          std::vector<std::uint8_t>(rdata.begin() + 9, rdata.end()));
  }

  TEST_CASE("malformed SOA RDATA is an error, not a crash") {
    CHECK_FALSE(soa_serial(std::vector<std::uint8_t>{}).ok());
    CHECK_FALSE(soa_serial(std::vector<std::uint8_t>{0, 0, 1, 2}).ok());
    CHECK_FALSE(soa_serial(std::vector<std::uint8_t>{70, 'x'}).ok());
  }
}

}  // namespace apex
