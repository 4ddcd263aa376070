// Specification of journal versions in their message form: what goes in comes out, and a
// version that the IXFR stream could not send as RFC 1995 §4 asks is refused on reading.
#include "zones/zone_difference.hpp"

#include <algorithm>

#include <doctest/doctest.h>

#include "zones/master_file.hpp"

using namespace apex;

namespace {

Record rec(const std::string& text) {
  auto file = read_master_text(text + "\n", *Name::from_text("shop.example."));
  REQUIRE_MESSAGE(file.ok(), (file.ok() ? "" : file.error()));
  return file->records.at(0);
}

Record soa(std::uint32_t serial) {
  return rec("@ 300 IN SOA ns1 host " + std::to_string(serial) + " 7200 1800 1209600 300");
}

ZoneDifference sample() {
  return {soa(7),
          {rec("www 60 IN A 192.0.2.1"), rec("www 60 IN A 192.0.2.2")},
          soa(8),
          {rec("www 120 IN A 192.0.2.1"), rec("mail 300 IN MX 10 mx.other.example.")}};
}

}  // namespace

TEST_CASE("a version survives its message form, names uncompressed and records in order") {
  const ZoneDifference d = sample();
  auto encoded = encode_difference(d);
  REQUIRE(encoded.ok());
  auto decoded = decode_difference(*encoded);
  REQUIRE_MESSAGE(decoded.ok(), (decoded.ok() ? "" : decoded.error()));
  CHECK(decoded->old_soa == d.old_soa);
  CHECK(decoded->deleted == d.deleted);
  CHECK(decoded->new_soa == d.new_soa);
  CHECK(decoded->added == d.added);
  CHECK(decoded->from() == 7);
  CHECK(decoded->to() == 8);
}

TEST_CASE("a version with no deletions or no additions keeps its two SOAs apart") {
  ZoneDifference d{soa(1), {}, soa(2), {}};
  auto decoded = decode_difference(encode_difference(d).value());
  REQUIRE(decoded.ok());
  CHECK(decoded->deleted.empty());
  CHECK(decoded->added.empty());
  CHECK(decoded->to() == 2);
}

TEST_CASE("records with empty RDATA survive the message form") {
  // RFC 3597 §5: "\# 0" is zero octets of RDATA, which a version may add or delete.
  const ZoneDifference d{
      soa(8), {rec("e 60 IN TYPE65280 \\# 0")}, soa(9), {rec("f 60 IN TYPE65281 \\# 0")}};
  auto encoded = encode_difference(d);
  REQUIRE(encoded.ok());
  auto decoded = decode_difference(*encoded);
  REQUIRE_MESSAGE(decoded.ok(), (decoded.ok() ? "" : decoded.error()));
  CHECK(decoded->deleted == d.deleted);
  CHECK(decoded->added == d.added);
  CHECK(decoded->added.at(0).rdata.empty());
}

TEST_CASE("a version too large for one message is refused, not cut") {
  ZoneDifference d{soa(1), std::vector<Record>(65534, rec("www 60 IN A 192.0.2.1")), soa(2), {}};
  auto encoded = encode_difference(d);
  REQUIRE_FALSE(encoded.ok());
  CHECK(encoded.error().find("65,535") != std::string::npos);
}

TEST_CASE("reading refuses what is not a version") {
  auto encoded_from = [](std::vector<Record> answer) {
    ZoneDifference d{answer.at(0), {}, answer.at(1), {}};
    d.added.assign(answer.begin() + 2, answer.end());
    return encode_difference(d).value();
  };
  SUBCASE("octets that are no message") {
    const std::vector<std::uint8_t> junk = {0x00, 0x01, 0x02};
    CHECK_FALSE(decode_difference(junk).ok());
  }
  SUBCASE("a first record that is no SOA") {
    auto bytes = encoded_from({rec("www 60 IN A 192.0.2.1"), soa(2)});
    auto decoded = decode_difference(bytes);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().find("does not start with an SOA") != std::string::npos);
  }
  SUBCASE("a third SOA") {
    auto decoded = decode_difference(encoded_from({soa(1), soa(2), soa(3)}));
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().find("more than two SOA") != std::string::npos);
  }
  SUBCASE("only one SOA") {
    ZoneDifference d = sample();
    auto bytes = encode_difference(d).value();
    // Turn the new SOA's TYPE into an unknown type (RFC 3597): no second SOA is left.
    auto soa_at = std::search(bytes.begin() + 12 + 1, bytes.end(), d.new_soa.rdata.begin(),
                              d.new_soa.rdata.end());
    REQUIRE(soa_at != bytes.end());
    const auto type_at = soa_at - 10;  // TYPE, CLASS, TTL, RDLENGTH precede the RDATA
    REQUIRE(type_at[1] == 6);
    type_at[0] = 0xff;
    type_at[1] = 0x00;
    auto decoded = decode_difference(bytes);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().find("no SOA of the new version") != std::string::npos);
  }
}
