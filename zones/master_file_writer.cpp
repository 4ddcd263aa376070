// RFC 1035 §5.1 master-file writer: absolute names, explicit TTL and class, SOA first, then
// canonical order (RFC 4034 §6.1, §6.3) so that exports are stable and diffable.
#include <algorithm>

#include "zones/generic_rdata.hpp"
#include "zones/master_file.hpp"
#include "zones/rdata.hpp"

namespace apex {
namespace {

// SOA first (RFC 1035 §5.2 expects it to start the zone), then owner in canonical order,
// type code, and RDATA as a left-justified octet string (RFC 4034 §6.3).
bool write_order(const Record* a, const Record* b) {
  bool a_soa = a->type == RRType::SOA, b_soa = b->type == RRType::SOA;
  if (a_soa != b_soa) return a_soa;
  if (auto c = a->owner.canonical_compare(b->owner); c != 0) return c < 0;
  if (a->type != b->type) return a->type < b->type;
  return a->rdata < b->rdata;
}

// Type and RDATA fields. ALIAS is apexdns's private type: other servers know it only by
// number, so it goes out in RFC 3597 form, with the target in a comment for readers.
std::string type_and_rdata(const Record& r) {
  if (r.type == RRType::ALIAS)
    return "TYPE" + std::to_string(static_cast<std::uint16_t>(r.type)) + "\t" +
           generic_rdata_to_text(r.rdata) + "\t; ALIAS " + rdata_to_text(r.type, r.rdata);
  return rrtype_to_text(r.type) + "\t" + rdata_to_text(r.type, r.rdata);
}

}  // namespace

std::string write_master_file(const Name& origin, const std::vector<Record>& records) {
  std::vector<const Record*> sorted;
  sorted.reserve(records.size());
  for (const auto& r : records) sorted.push_back(&r);
  std::stable_sort(sorted.begin(), sorted.end(), write_order);
  std::string out = "$ORIGIN " + origin.to_text() + "\n";
  for (const Record* r : sorted) {
    out += r->owner.to_text() + "\t" + std::to_string(r->ttl) + "\t" + rrclass_to_text(r->rrclass) +
           "\t" + type_and_rdata(*r) + "\n";
  }
  return out;
}

}  // namespace apex
