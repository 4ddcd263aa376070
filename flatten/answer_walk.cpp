// Walking a resolver's answer section along the CNAME chain (RFC 1034 §3.6.2, RFC 6604 §2).
#include "flatten/answer_walk.hpp"

#include <string>

namespace apex::flatten {
namespace {

std::size_t address_size(RRType family) {
  return family == RRType::AAAA ? 16 : 4;
}

std::string subject(const Name& name, RRType family) {
  return name.to_text() + "/" + rrtype_to_text(family);
}

WalkOutcome done(Resolution r) {
  return {true, std::move(r)};
}

WalkOutcome failed(const ChainTrail& trail, std::string error) {
  return done(resolution_failure(trail, std::move(error)));
}

bool owned_by(const Record& rr, const Name& owner, RRType type) {
  return rr.type == type && rr.rrclass == RRClass::IN && rr.owner == owner;
}

// The family's records at owner, or an error naming a record of the wrong size.
struct Addresses {
  std::vector<Address> list;
  std::uint32_t ttl = kMaxTtl;
};
Result<Addresses> addresses_at(const std::vector<Record>& answer, const Name& owner,
                               RRType family) {
  Addresses found;
  for (const Record& rr : answer) {
    if (!owned_by(rr, owner, family)) continue;
    if (rr.rdata.size() != address_size(family))
      return Error{"malformed " + rrtype_to_text(family) + " record for " + owner.to_text() + " (" +
                   std::to_string(rr.rdata.size()) + " octets)"};
    found.list.push_back(rr.rdata);
    found.ttl = std::min(found.ttl, rr.ttl);
  }
  return found;
}

const Record* cname_at(const std::vector<Record>& answer, const Name& owner) {
  for (const Record& rr : answer)
    if (owned_by(rr, owner, RRType::CNAME)) return &rr;
  return nullptr;
}

// No more CNAMEs: the RCODE (or an SOA beside NOERROR) speaks for the chain's last name.
WalkOutcome end_of_chain(const UpstreamResult& result, RRType family, ChainTrail& trail,
                         std::size_t hops_before) {
  switch (result.status) {
    case UpstreamStatus::kNxDomain:
      return done(resolved_negative(ResolutionKind::kNxDomain, trail, result.negative_ttl, false));
    case UpstreamStatus::kNoData:
      return done(resolved_negative(ResolutionKind::kNoData, trail, result.negative_ttl, false));
    default:
      break;
  }
  if (trail.hops() == hops_before)
    return failed(trail, "the answer for " + subject(trail.current(), family) +
                             " holds no record for it (" + result.detail + ")");
  if (result.negative_ttl)  // CNAMEs, then an SOA: NODATA at the chain's end (RFC 2308 §2.2)
    return done(resolved_negative(ResolutionKind::kNoData, trail, result.negative_ttl, false));
  return {false, {}};  // only CNAMEs: ask for the last name
}

}  // namespace

WalkOutcome walk_answer(const UpstreamResult& result, RRType family, ChainTrail& trail,
                        const std::function<bool(const Name&)>& served) {
  if (!is_definitive(result.status))
    return failed(trail, "resolving " + subject(trail.current(), family) + ": " +
                             std::string(to_text(result.status)) + " (" + result.detail + ")");
  const std::size_t hops_before = trail.hops();
  for (;;) {
    auto found = addresses_at(result.answer, trail.current(), family);
    if (!found) return failed(trail, found.error());
    if (!found->list.empty())
      return done(resolved_addresses(trail, std::move(found->list), found->ttl));
    const Record* cname = cname_at(result.answer, trail.current());
    if (!cname) return end_of_chain(result, family, trail, hops_before);
    auto next = Name::from_wire(cname->rdata);
    if (!next) return failed(trail, "malformed CNAME for " + trail.current().to_text());
    if (auto ok = trail.hop(*next, cname->ttl); !ok) return failed(trail, ok.error());
    if (served(*next)) return {false, {}};
  }
}

}  // namespace apex::flatten
