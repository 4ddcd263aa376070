// The records of an RFC 9432 catalog zone.
#include "zones/catalog_zone.hpp"

#include "zones/zone_builder.hpp"

namespace apex {
namespace {

// RFC 9432 §4: the TTLs of catalog records carry no meaning; 0 keeps no consumer caching them.
constexpr std::uint32_t kCatalogTtl = 0;
// SOA timers: a consumer that missed a NOTIFY asks again after refresh; expire is long
// (BIND's maximum, 24 weeks) because an expired catalog removes every member zone from its
// consumers (RFC 9432 §5.5).
constexpr std::uint32_t kRefresh = 300, kRetry = 60, kExpire = 14515200, kMinimum = 0;

void append(std::vector<std::uint8_t>& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<std::uint8_t>(value >> shift));
}

std::vector<std::uint8_t> name_rdata(const Name& name) {
  return {name.wire().begin(), name.wire().end()};
}

std::vector<std::uint8_t> soa_rdata(std::uint32_t serial) {
  // MNAME and RNAME: nobody is to be contacted about a generated zone.
  const Name invalid = Name::from_text("invalid.").value();
  std::vector<std::uint8_t> rdata = name_rdata(invalid);
  rdata.insert(rdata.end(), invalid.wire().begin(), invalid.wire().end());
  for (std::uint32_t field : {serial, kRefresh, kRetry, kExpire, kMinimum}) append(rdata, field);
  return rdata;
}

Record record(const Name& owner, RRType type, std::vector<std::uint8_t> rdata) {
  return Record{owner, type, RRClass::IN, kCatalogTtl, std::move(rdata)};
}

}  // namespace

Result<std::vector<Record>> catalog_records(const Name& apex, std::uint32_t serial,
                                            const std::vector<CatalogMember>& members) {
  auto version = apex.prepend("version");
  auto zones = apex.prepend("zones");
  if (!version || !zones) return Error{"catalog " + apex.to_text() + ": name too long"};
  std::vector<Record> records;
  records.reserve(members.size() + 3);
  records.push_back(record(apex, RRType::SOA, soa_rdata(serial)));
  records.push_back(record(apex, RRType::NS, name_rdata(Name::from_text("invalid.").value())));
  // RFC 9432 §4.2.1: the schema version, as one character-string "2".
  records.push_back(record(*version, RRType::TXT, {1, '2'}));
  for (const CatalogMember& member : members) {
    if (member.label.empty() || member.label.find('.') != std::string::npos)
      return Error{"catalog member " + member.zone.to_text() + ": bad label '" + member.label +
                   "'"};
    auto owner = zones->prepend(member.label);
    if (!owner) return Error{"catalog member " + member.zone.to_text() + ": " + owner.error()};
    records.push_back(record(*owner, RRType::PTR, name_rdata(member.zone)));
  }
  return records;
}

Result<ZonePtr> build_catalog_zone(const Name& apex, std::uint32_t serial,
                                   const std::vector<CatalogMember>& members) {
  auto records = catalog_records(apex, serial, members);
  if (!records) return Error{records.error()};
  return build_zone(apex, std::move(records).value());
}

}  // namespace apex
