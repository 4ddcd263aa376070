// The SOA and NS records "zone add" gives a new zone ([zone_defaults] in the configuration).
#include "admin/zone_template.hpp"

#include "admin/arguments.hpp"
#include "zones/rdata.hpp"

namespace apex::admin {
namespace {

// RDATA from master-file tokens, so template names follow the zone-file rules exactly.
Result<std::vector<std::uint8_t>> template_rdata(RRType type, std::vector<std::string> tokens,
                                                 const Name& apex) {
  for (const std::string& token : tokens) {
    if (auto ascii = ascii_name_text(token); !ascii) {
      return Error{rrtype_to_text(type) + " '" + token + "': " + ascii.error()};
    }
  }
  return rdata_from_text(type, tokens, apex);
}

}  // namespace

Result<std::vector<Record>> zone_template_records(const ZoneTemplate& zone_template,
                                                  const Name& apex, std::uint32_t serial) {
  const ZoneTemplate& t = zone_template;
  auto soa =
      template_rdata(RRType::SOA,
                     {t.mname, t.rname, std::to_string(serial), std::to_string(t.refresh),
                      std::to_string(t.retry), std::to_string(t.expire), std::to_string(t.minimum)},
                     apex);
  if (!soa) return Error{soa.error()};
  std::vector<Record> records;
  records.push_back(Record{apex, RRType::SOA, RRClass::IN, t.ttl, std::move(soa).value()});
  if (t.ns.empty()) return Error{"no name servers (ns is empty)"};
  for (const std::string& ns : t.ns) {
    auto rdata = template_rdata(RRType::NS, {ns}, apex);
    if (!rdata) return Error{rdata.error()};
    records.push_back(Record{apex, RRType::NS, RRClass::IN, t.ttl, std::move(rdata).value()});
  }
  return records;
}

}  // namespace apex::admin
