// RFC 1035 §5.1 master-file writer: absolute names, explicit TTL and class, SOA first, then
// canonical order (RFC 4034 §6.1, §6.3) so that exports are stable and diffable; ALIAS
// records as they are, or flattened into the A/AAAA they currently stand for (ARCHITECTURE.md §5).
#include <algorithm>
#include <deque>

#include "zones/alias_table.hpp"
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

// The records of one flattened family: one per address in the RRset.
void add_flattened(const Record& alias, const AliasFamilyResult& family, std::deque<Record>& out) {
  const RRset& set = family.addresses;
  const std::uint8_t* p = set.rdata.data();
  for (std::uint16_t i = 0; i < set.count; ++i) {
    std::size_t len = static_cast<std::size_t>(p[0]) << 8 | p[1];
    out.push_back(Record{alias.owner, set.type, alias.rrclass, std::min(alias.ttl, set.ttl),
                         std::vector<std::uint8_t>(p + 2, p + 2 + len)});
    p += 2 + len;
  }
}

// Records that stand for an ALIAS in a flattened export, and a note for each family that
// has no addresses to write (NODATA needs none: the type is simply absent).
void flatten(const Record& alias, const AliasTable& table, std::deque<Record>& out,
             std::string& notes) {
  auto target = Name::from_wire(alias.rdata);
  if (!target) return;
  const AliasResult* result = table.find(alias.owner.wire_view(), target->lowercased().wire_view());
  for (RRType family : {RRType::A, RRType::AAAA}) {
    AliasState state = result ? result->of(family).state : AliasState::kPending;
    if (state == AliasState::kAddresses) add_flattened(alias, result->of(family), out);
    if (state == AliasState::kPending || state == AliasState::kFailed)
      notes += "; " + alias.owner.to_text() + " ALIAS " + target->to_text() + ": no " +
               rrtype_to_text(family) + " records written (" +
               std::string(alias_state_to_text(state)) + ")\n";
  }
}

std::string line(const Record& r) {
  return r.owner.to_text() + "\t" + std::to_string(r.ttl) + "\t" + rrclass_to_text(r.rrclass) +
         "\t" + rrtype_to_text(r.type) + "\t" + rdata_to_text(r.type, r.rdata) + "\n";
}

}  // namespace

std::string write_master_file(const Name& origin, const std::vector<Record>& records,
                              const WriteOptions& options) {
  std::vector<const Record*> sorted;
  sorted.reserve(records.size());
  for (const auto& r : records) sorted.push_back(&r);
  std::stable_sort(sorted.begin(), sorted.end(), write_order);
  std::deque<Record> flattened;  // stable addresses for the pointers below
  std::string notes;
  if (options.flatten_from) {
    // ALIAS records are visited in canonical order, so the notes come out stable too.
    for (const Record* r : sorted)
      if (r->type == RRType::ALIAS) flatten(*r, *options.flatten_from, flattened, notes);
    std::erase_if(sorted, [](const Record* r) { return r->type == RRType::ALIAS; });
    for (const Record& r : flattened) sorted.push_back(&r);
    std::stable_sort(sorted.begin(), sorted.end(), write_order);
  }
  std::string out = "$ORIGIN " + origin.to_text() + "\n" + notes;
  for (const Record* r : sorted) out += line(*r);
  return out;
}

}  // namespace apex
