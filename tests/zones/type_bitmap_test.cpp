// Specification of the NSEC/NSEC3 Type Bit Maps field (RFC 4034 §4.1.2): windows in
// increasing order, bitmaps without trailing zero octets, and the RFC 4034 §4.3 example.
#include "zones/type_bitmap.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace apex;

namespace {
using Octets = std::vector<std::uint8_t>;
RRType type(std::uint16_t code) {
  return static_cast<RRType>(code);
}
}  // namespace

TEST_CASE("RFC 4034 §4.3: A MX RRSIG NSEC TYPE1234") {
  const std::vector<RRType> types{RRType::A, RRType::MX, RRType::RRSIG, RRType::NSEC, type(1234)};
  Octets expected{0x00, 0x06, 0x40, 0x01, 0x00, 0x00, 0x00, 0x03, 0x04, 0x1b};
  expected.resize(expected.size() + 26, 0x00);
  expected.push_back(0x20);  // 1234 = 4 * 256 + 210: octet 26, bit 2
  CHECK(encode_type_bitmap(types) == expected);
  auto decoded = decode_type_bitmap(expected);
  REQUIRE(decoded);
  CHECK(*decoded == types);
}

TEST_CASE("order and repeats of the input don't matter; no types is an empty field") {
  const std::vector<RRType> shuffled{RRType::NSEC, RRType::A, RRType::NSEC, RRType::NS};
  const std::vector<RRType> sorted{RRType::A, RRType::NS, RRType::NSEC};
  CHECK(encode_type_bitmap(shuffled) == encode_type_bitmap(sorted));
  CHECK(encode_type_bitmap(std::vector<RRType>{}).empty());
  CHECK(decode_type_bitmap(Octets{})->empty());
  // Type 0's bit and type 65535's bit are the extremes of the first and last windows.
  Octets extremes{0x00, 0x01, 0x80, 0xff, 0x20};  // window 255 needs all 32 octets
  extremes.resize(extremes.size() + 32, 0x00);
  extremes.back() = 0x01;
  CHECK(encode_type_bitmap(std::vector<RRType>{type(0), type(65535)}) == extremes);
}

TEST_CASE("malformed bitmaps are refused") {
  CHECK(decode_type_bitmap(Octets{0x00}).error() == "type bitmap window ends early");
  CHECK(decode_type_bitmap(Octets{0x00, 0x00}).error() == "type bitmap window length not 1 to 32");
  CHECK(decode_type_bitmap(Octets{0x00, 0x21}).error() == "type bitmap window length not 1 to 32");
  CHECK(decode_type_bitmap(Octets{0x00, 0x02, 0x40}).error() == "type bitmap runs past the end");
  // Trailing zero octets: the same types have one encoding only.
  CHECK(decode_type_bitmap(Octets{0x00, 0x02, 0x40, 0x00}).error() ==
        "type bitmap window ends in a zero octet");
  CHECK(decode_type_bitmap(Octets{0x00, 0x01, 0x00}).error() ==
        "type bitmap window ends in a zero octet");
  CHECK(decode_type_bitmap(Octets{0x01, 0x01, 0x40, 0x00, 0x01, 0x40}).error() ==
        "type bitmap windows out of order");
  CHECK(decode_type_bitmap(Octets{0x00, 0x01, 0x40, 0x00, 0x01, 0x40}).error() ==
        "type bitmap windows out of order");
}
