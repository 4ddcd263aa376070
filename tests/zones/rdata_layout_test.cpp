// Specification of the one table of RDATA layouts: which names are compressed on output
// (RFC 3597 §4: only the RFC 1035 types), which are decompressed on input, and which name
// additional processing follows (RFC 1035 §3.3.9, §3.3.11; RFC 2782).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "zones/rdata.hpp"
#include "zones/rdata_schema.hpp"

using namespace apex;

namespace {

NameCompression compression_of(RRType type) {
  const RdataLayout* layout = rdata_layout(type);
  REQUIRE(layout != nullptr);
  return layout->compression;
}

std::vector<std::uint8_t> rdata(RRType type, const std::string& text) {
  auto tokens = rdata_tokenize(text);
  REQUIRE(tokens.ok());
  auto wire = rdata_from_text(type, *tokens, *Name::from_text("."));
  REQUIRE_MESSAGE(wire.ok(), wire.error());
  return *wire;
}

std::vector<std::uint8_t> wire(const char* name) {
  auto n = Name::from_text(name);
  REQUIRE(n.ok());
  return {n->wire().begin(), n->wire().end()};
}

std::vector<std::uint8_t> name_followed(RRType type, const std::vector<std::uint8_t>& rdata) {
  auto name = additional_name(type, rdata);
  return {name.begin(), name.end()};
}

}  // namespace

TEST_CASE("each row is found under its own type, and only supported types have rows") {
  for (RRType type : {RRType::A, RRType::NS, RRType::SOA, RRType::MX, RRType::SRV, RRType::CAA,
                      RRType::RRSIG, RRType::NSEC, RRType::HTTPS, RRType::ALIAS}) {
    const RdataLayout* layout = rdata_layout(type);
    REQUIRE(layout != nullptr);
    CHECK(layout->type == type);
    CHECK(rdata_schema(type).data() == layout->fields.data());
  }
  for (RRType type : {RRType::OPT, RRType::TSIG, RRType::IXFR, static_cast<RRType>(65280),
                      static_cast<RRType>(300)}) {
    CHECK(rdata_layout(type) == nullptr);
    CHECK(rdata_schema(type).empty());
  }
}

TEST_CASE("names are compressed on output only in the RFC 1035 types (RFC 3597 §4)") {
  for (RRType type : {RRType::NS, RRType::CNAME, RRType::SOA, RRType::PTR, RRType::MX})
    CHECK(compression_of(type) == NameCompression::kBothWays);
  for (RRType type : {RRType::SRV, RRType::NAPTR, RRType::DNAME})
    CHECK(compression_of(type) == NameCompression::kOnInput);
  for (RRType type : {RRType::SVCB, RRType::HTTPS, RRType::ALIAS, RRType::A, RRType::TXT,
                      RRType::HINFO, RRType::CAA, RRType::RRSIG, RRType::NSEC})
    CHECK(compression_of(type) == NameCompression::kNever);
}

TEST_CASE("the wire parts: fixed-size fields merged into runs, names and strings") {
  using P = WirePart;
  const P name{P::Kind::kName, 0}, string{P::Kind::kString, 0};
  auto parts = [](RRType type) {
    auto span = rdata_layout(type)->wire_parts();
    return std::vector<WirePart>(span.begin(), span.end());
  };
  CHECK(parts(RRType::NS) == std::vector<P>{name});
  CHECK(parts(RRType::MX) == std::vector<P>{{P::Kind::kOctets, 2}, name});
  CHECK(parts(RRType::SOA) == std::vector<P>{name, name, {P::Kind::kOctets, 20}});
  CHECK(parts(RRType::SRV) == std::vector<P>{{P::Kind::kOctets, 6}, name});
  CHECK(parts(RRType::NAPTR) ==
        std::vector<P>{{P::Kind::kOctets, 4}, string, string, string, name});
  CHECK(parts(RRType::HINFO) == std::vector<P>{string, string});
  // Fields whose extent their first octet does not tell leave the type without parts.
  CHECK(parts(RRType::TXT).empty());
  CHECK(parts(RRType::SVCB).empty());
  CHECK(parts(RRType::DS).empty());
}

TEST_CASE("every type whose names may be compressed can be walked part by part") {
  for (RRType type : {RRType::NS, RRType::CNAME, RRType::SOA, RRType::PTR, RRType::MX, RRType::SRV,
                      RRType::NAPTR, RRType::DNAME}) {
    CAPTURE(rrtype_to_text(type));
    auto parts = rdata_layout(type)->wire_parts();
    CHECK(std::any_of(parts.begin(), parts.end(),
                      [](const WirePart& part) { return part.kind == WirePart::Kind::kName; }));
  }
}

TEST_CASE("additional processing follows the NS, MX exchange and SRV target names") {
  CHECK(name_followed(RRType::NS, rdata(RRType::NS, "ns1.example.")) == wire("ns1.example."));
  CHECK(name_followed(RRType::MX, rdata(RRType::MX, "10 mail.example.")) == wire("mail.example."));
  CHECK(name_followed(RRType::SRV, rdata(RRType::SRV, "0 5 5060 sip.example.")) ==
        wire("sip.example."));
  for (RRType type : {RRType::NS, RRType::MX, RRType::SRV}) {
    const RdataLayout* layout = rdata_layout(type);
    REQUIRE(layout->additional_field < layout->fields.size());
    CHECK(layout->fields[layout->additional_field].kind == FieldKind::kName);
  }
}

TEST_CASE("no additional name for other types, nor in RDATA too short to hold it") {
  CHECK(name_followed(RRType::CNAME, rdata(RRType::CNAME, "www.example.")).empty());
  CHECK(name_followed(RRType::SOA, rdata(RRType::SOA, "a. b. 1 2 3 4 5")).empty());
  CHECK(name_followed(RRType::NAPTR, rdata(RRType::NAPTR, "1 2 \"\" \"\" \"\" x.")).empty());
  CHECK(name_followed(RRType::MX, {0, 10, 4, 'm', 'a'}).empty());
  CHECK(name_followed(RRType::MX, {0}).empty());
}
