// RFC 1035 §5.1 master-file writer: absolute names, explicit TTL and class, SOA first, then
// canonical order (RFC 4034 §6.1, §6.3) so that exports are stable and diffable; ALIAS
// records as they are, or flattened into the A/AAAA they currently stand for (ARCHITECTURE.md §5).
#include <algorithm>
#include <deque>

#include "zones/alias_table.hpp"
#include "zones/master_file.hpp"
#include "zones/rdata.hpp"
#include "zones/rdata_schema.hpp"

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

// RDATA text longer than this is written over several lines, so that an export reads back
// under the reader's default line limit (64 KiB): escaped as \DDD, 65535 octets of RDATA
// take up to four times as many characters.
constexpr std::size_t kOneLineRdata = 4096;
// Hex and base64 are cut into words of this many characters.
constexpr std::size_t kWordLength = 64;

// Where the tokens that may be cut into words start: the hex of the RFC 3597 §5 generic
// form, or a last field of hex or base64, which may be split over fields (RFC 4034 §2.2,
// §5.3, RFC 6698 §2.2). tokens.size() when none may be cut.
std::size_t first_splittable(RRType type, std::span<const std::string> tokens) {
  if (!tokens.empty() && tokens[0] == "\\#") return std::min<std::size_t>(2, tokens.size());
  auto schema = rdata_schema(type);
  if (schema.empty()) return tokens.size();
  FieldKind last = schema.back().kind;
  if (last != FieldKind::kHex && last != FieldKind::kBase64) return tokens.size();
  return std::min(schema.size() - 1, tokens.size());  // every field before it is one token
}

// Long RDATA in parentheses (RFC 1035 §5.1), one field per line and hex or base64 in words.
std::string wrapped(RRType type, const std::string& text) {
  auto tokens = rdata_tokenize(text);
  if (!tokens) return text;  // not reached: the text was written by rdata_to_text
  const std::size_t split_from = first_splittable(type, *tokens);
  std::string out = "(";
  for (std::size_t i = 0; i < tokens->size(); ++i) {
    const std::string& token = (*tokens)[i];
    const std::size_t step = i >= split_from ? kWordLength : token.size();
    for (std::size_t at = 0; at < token.size(); at += step) out += "\n\t" + token.substr(at, step);
  }
  return out + " )";
}

std::string line(const Record& r) {
  std::string rdata = rdata_to_text(r.type, r.rdata);
  if (rdata.size() > kOneLineRdata) rdata = wrapped(r.type, rdata);
  return r.owner.to_text() + "\t" + std::to_string(r.ttl) + "\t" + rrclass_to_text(r.rrclass) +
         "\t" + rrtype_to_text(r.type) + "\t" + rdata + "\n";
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
