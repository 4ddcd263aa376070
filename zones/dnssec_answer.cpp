// RRSIGs and NSEC or NSEC3 proofs copied from a signed zone into answers to DO=1 queries
// (RFC 4035 §3.1, RFC 5155 §7.2).
#include "zones/dnssec_answer.hpp"

#include <algorithm>
#include <array>

namespace apex {
namespace {

// NXDOMAIN's two NSECs are often one record: it is sent once.
void add_nsec(const Node& node, Answer& out, RRType type = RRType::NSEC) {
  const RRset* nsec = node.find(type);
  if (!nsec) return;
  const bool present = std::any_of(out.authority.begin(), out.authority.end(),
                                   [&](const RRsetRef& r) { return r.rrset == nsec; });
  if (!present) out.authority.push_back(RRsetRef{node.owner, nsec, nsec->ttl});
}

void add_nsec3(const Node* node, Answer& out) {
  if (node) add_nsec(*node, out, RRType::NSEC3);
}

bool uses_nsec3(const Zone& zone) {
  return !zone.nsec3().empty();
}

// A zone's owner name lower-cased into buf, for hashing.
std::string_view lowered(std::string_view owner, std::array<char, 255>& buf) {
  for (std::size_t i = 0; i < owner.size(); ++i)
    buf[i] = static_cast<char>(fold_case(static_cast<std::uint8_t>(owner[i])));
  return {buf.data(), owner.size()};
}

// RFC 5155 §7.2.1: walking up from the name, the first ancestor with an NSEC3 is the closest
// (provable) encloser; the NSEC3 covering the next closer name (one label longer) proves
// the name below it absent. Adds that cover, and the encloser's own NSEC3 when with_match.
// Returns the encloser: a suffix of name.
std::string_view closest_encloser_proof(const Zone& zone, std::string_view name, bool with_match,
                                        Answer& out) {
  const Nsec3Lookup& chain = zone.nsec3();
  std::array<std::size_t, 128> starts{};
  std::size_t labels = 0;
  for (std::size_t pos = 0; name[pos] != 0; pos += static_cast<std::uint8_t>(name[pos]) + 1u)
    starts[labels++] = pos;
  for (std::size_t i = 0; i < labels; ++i) {
    const std::string_view suffix = name.substr(starts[i]);
    if (suffix.size() < zone.apex_key().size()) break;
    const Node* match = chain.matching(chain.hash(suffix));
    if (!match) continue;
    if (with_match) add_nsec3(match, out);
    if (i > 0) add_nsec3(chain.covering(chain.hash(name.substr(starts[i - 1]))), out);
    return suffix;
  }
  return zone.apex_key();
}

void prove_nxdomain_nsec3(const Zone& zone, std::string_view name, Answer& out) {
  const std::string_view encloser = closest_encloser_proof(zone, name, true, out);
  std::array<char, 257> wildcard;
  wildcard[0] = 1;
  wildcard[1] = '*';
  std::copy(encloser.begin(), encloser.end(), wildcard.begin() + 2);
  const std::string_view star{wildcard.data(), std::min<std::size_t>(encloser.size() + 2, 255)};
  add_nsec3(zone.nsec3().covering(zone.nsec3().hash(star)), out);
}

void prove_nodata_nsec3(const Zone& zone, const Node& node, std::string_view name, Answer& out) {
  const Nsec3Lookup& chain = zone.nsec3();
  std::array<char, 255> buf;
  const bool wildcard = node.owner.size() > 2 && node.owner[0] == 1 && node.owner[1] == '*';
  if (wildcard) {
    closest_encloser_proof(zone, name, true, out);
    add_nsec3(chain.matching(chain.hash(lowered(node.owner, buf))), out);
    return;
  }
  if (const Node* match = chain.matching(chain.hash(name)))
    add_nsec3(match, out);
  else
    closest_encloser_proof(zone, name, true, out);
}

}  // namespace

void add_signatures(std::vector<RRsetRef>& section, bool optional) {
  const std::size_t n = section.size();
  const auto signed_count = static_cast<std::size_t>(std::count_if(
      section.begin(), section.end(), [](const RRsetRef& r) { return r.rrset->rrsig; }));
  if (signed_count == 0) return;
  // Spread in place from the back: no second vector, and steady-state answers reuse the
  // section's capacity.
  section.resize(n + signed_count);
  std::size_t to = n + signed_count;
  for (std::size_t from = n; from-- > 0;) {
    const RRsetRef ref = section[from];
    if (ref.rrset->rrsig)
      section[--to] = RRsetRef{ref.owner, ref.rrset->rrsig, ref.ttl, ref.required && !optional};
    section[--to] = ref;
  }
}

void prove_no_name(const Zone& zone, std::string_view name, Answer& out) {
  if (uses_nsec3(zone)) {
    closest_encloser_proof(zone, name, false, out);
    return;
  }
  if (const Node* covering = zone.nsec().covering(name)) add_nsec(*covering, out);
}

void prove_nxdomain(const Zone& zone, std::string_view name, std::string_view encloser,
                    Answer& out) {
  if (uses_nsec3(zone)) return prove_nxdomain_nsec3(zone, name, out);
  prove_no_name(zone, name, out);
  std::array<char, 257> wildcard;
  if (encloser.size() + 2 > wildcard.size()) return;
  wildcard[0] = 1;
  wildcard[1] = '*';
  std::copy(encloser.begin(), encloser.end(), wildcard.begin() + 2);
  prove_no_name(zone, {wildcard.data(), encloser.size() + 2}, out);
}

void prove_nodata(const Zone& zone, const Node& node, std::string_view name, Answer& out) {
  if (uses_nsec3(zone)) return prove_nodata_nsec3(zone, node, name, out);
  if (node.find(RRType::NSEC))
    add_nsec(node, out);
  else
    prove_no_name(zone, name, out);
}

bool in_denial_chain(const Zone& zone, std::string_view name) {
  if (uses_nsec3(zone)) return zone.nsec3().matching(zone.nsec3().hash(name)) != nullptr;
  if (const Node* node = zone.find(name); node && node->find(RRType::NSEC)) return true;
  const Node* covering = zone.nsec().covering(name);
  const RRset* nsec = covering ? covering->find(RRType::NSEC) : nullptr;
  if (!nsec) return false;
  // The packed RDATA: RDLENGTH, then the next owner name, uncompressed (RFC 4034 §4.1.1),
  // then the type bitmap.
  const std::string_view rdata{reinterpret_cast<const char*>(nsec->rdata.data()) + 2,
                               nsec->rdata.size() - 2};
  std::size_t end = 0;
  while (end < rdata.size() && rdata[end] != 0) end += static_cast<std::uint8_t>(rdata[end]) + 1u;
  const std::string_view next = rdata.substr(0, end + 1);
  // Below name: name is a proper suffix of next, at a label boundary.
  for (std::size_t pos = 0; next.size() - pos > name.size();
       pos += static_cast<std::uint8_t>(next[pos]) + 1u) {
    const std::string_view below = next.substr(pos + static_cast<std::uint8_t>(next[pos]) + 1u);
    if (below.size() == name.size()) return wire_names_equal(below, name);
  }
  return false;
}

void prove_referral(const Zone& zone, const Node& cut, Answer& out) {
  if (const RRset* ds = cut.find(RRType::DS))
    out.authority.push_back(RRsetRef{cut.owner, ds, ds->ttl});
  else if (std::array<char, 255> buf; uses_nsec3(zone))
    prove_nodata_nsec3(zone, cut, lowered(cut.owner, buf), out);
  else
    add_nsec(cut, out);
}

}  // namespace apex
