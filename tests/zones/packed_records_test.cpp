// Specification of PackedRecords: records in compact wire form come back as they went in,
// in the same order, and cost about their wire size.
#include "zones/packed_records.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace apex;

namespace {

Record record(std::string_view owner, RRType type, std::uint32_t ttl,
              std::vector<std::uint8_t> rdata) {
  return Record{*Name::from_text(owner), type, RRClass::IN, ttl, std::move(rdata)};
}

std::vector<Record> unpacked(const PackedRecords& packed) {
  std::vector<Record> out;
  auto ok = packed.for_each([&](Record r) {
    out.push_back(std::move(r));
    return Status(Ok{});
  });
  CHECK(ok.ok());
  return out;
}

}  // namespace

TEST_CASE("records come back in the order they were added, owner case and TTL kept") {
  const std::vector<Record> records = {
      record("WWW.Example.com.", RRType::A, 300, {192, 0, 2, 1}),
      record("example.com.", RRType::TXT, 0x7fffffff, {3, 'a', 'b', 'c'}),
      record("e.example.com.", static_cast<RRType>(65280), 65536, {}),  // empty RDATA
      record(".", RRType::NS, 1, std::vector<std::uint8_t>(1000, 0)),
      record("www.example.com.", RRType::A, 300, {192, 0, 2, 1}),  // a duplicate stays
  };
  PackedRecords packed;
  for (const Record& r : records) packed.add(r);
  CHECK(packed.size() == records.size());
  const auto back = unpacked(packed);
  CHECK(back == records);
  CHECK(back[0].owner.to_text() == "WWW.Example.com.");
}

TEST_CASE("each record costs its wire form plus one octet") {
  PackedRecords packed;
  const Record r = record("www.example.com.", RRType::A, 300, {192, 0, 2, 1});
  packed.add(r);
  // owner 17 + TYPE 2 + TTL 4 + RDLENGTH 2 + RDATA 4, and the owner's length octet
  CHECK(packed.octets() == 1 + 17 + 2 + 4 + 2 + 4);
}

TEST_CASE("a sink's error stops the walk and is returned") {
  PackedRecords packed;
  for (int i = 0; i < 3; ++i) packed.add(record("a.example.", RRType::A, 60, {10, 0, 0, 1}));
  int seen = 0;
  auto ok =
      packed.for_each([&](Record) { return ++seen == 2 ? Status(Error{"stop"}) : Status(Ok{}); });
  REQUIRE_FALSE(ok.ok());
  CHECK(ok.error() == "stop");
  CHECK(seen == 2);
}

TEST_CASE("an empty store sends nothing") {
  CHECK(unpacked(PackedRecords()).empty());
}
