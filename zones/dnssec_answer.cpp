// RRSIGs and NSEC proofs copied from a signed zone into answers to DO=1 queries (RFC 4035
// §3.1).
#include "zones/dnssec_answer.hpp"

#include <algorithm>
#include <array>

namespace apex {
namespace {

// NXDOMAIN's two NSECs are often one record: it is sent once.
void add_nsec(const Node& node, Answer& out) {
  const RRset* nsec = node.find(RRType::NSEC);
  if (!nsec) return;
  const bool present = std::any_of(out.authority.begin(), out.authority.end(),
                                   [&](const RRsetRef& r) { return r.rrset == nsec; });
  if (!present) out.authority.push_back(RRsetRef{node.owner, nsec, nsec->ttl});
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
  if (const Node* covering = zone.nsec().covering(name)) add_nsec(*covering, out);
}

void prove_nxdomain(const Zone& zone, std::string_view name, std::string_view encloser,
                    Answer& out) {
  prove_no_name(zone, name, out);
  std::array<char, 257> wildcard;
  if (encloser.size() + 2 > wildcard.size()) return;
  wildcard[0] = 1;
  wildcard[1] = '*';
  std::copy(encloser.begin(), encloser.end(), wildcard.begin() + 2);
  prove_no_name(zone, {wildcard.data(), encloser.size() + 2}, out);
}

void prove_nodata(const Zone& zone, const Node& node, std::string_view name, Answer& out) {
  if (node.find(RRType::NSEC))
    add_nsec(node, out);
  else
    prove_no_name(zone, name, out);
}

void prove_referral(const Node& cut, Answer& out) {
  if (const RRset* ds = cut.find(RRType::DS))
    out.authority.push_back(RRsetRef{cut.owner, ds, ds->ttl});
  else
    add_nsec(cut, out);
}

}  // namespace apex
