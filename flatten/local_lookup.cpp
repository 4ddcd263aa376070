// Local chain steps through answer_query (RFC 1034 §4.3.2), one hop at a time.
#include "flatten/local_lookup.hpp"

#include <optional>
#include <span>
#include <string>

#include "zones/alias_table.hpp"
#include "zones/answer.hpp"
#include "zones/message.hpp"

namespace apex::flatten {
namespace {

// The query the parser would produce for name/type.
Query query_for(const Name& name, RRType type) {
  Query q;
  Question& question = q.question;
  const auto wire = name.wire();
  question.length = static_cast<std::uint8_t>(wire.size());
  for (std::size_t i = 0; i < wire.size(); ++i) {
    question.wire[i] = wire[i];
    question.lower[i] = fold_case(wire[i]);
  }
  for (std::size_t pos = 0; wire[pos] != 0; pos += wire[pos] + 1u)
    question.label_offsets[question.labels++] = static_cast<std::uint8_t>(pos);
  question.qtype = type;
  question.qclass = RRClass::IN;
  q.has_question = true;
  return q;
}

LocalStep step_of(LocalStep::Kind kind, std::uint32_t ttl = 0) {
  LocalStep s;
  s.kind = kind;
  s.ttl = ttl;
  return s;
}

LocalStep failure(std::string error) {
  LocalStep s = step_of(LocalStep::Kind::kFailure);
  s.error = std::move(error);
  return s;
}

// A wire name stored in zone data (already validated) after a two-octet length.
LocalStep hop_to(std::span<const std::uint8_t> target, std::uint32_t ttl) {
  auto next = Name::from_wire(target);
  if (!next) return failure("unreadable name in zone data: " + next.error());
  LocalStep s = step_of(LocalStep::Kind::kHop, ttl);
  s.next = std::move(*next);
  return s;
}

std::span<const std::uint8_t> first_rdata(const RRset& set) {
  const std::size_t len = static_cast<std::size_t>(set.rdata[0]) << 8 | set.rdata[1];
  return {set.rdata.data() + 2, len};
}

LocalStep addresses_of(const RRset& set) {
  LocalStep s = step_of(LocalStep::Kind::kAddresses, set.ttl);
  std::size_t pos = 0;
  for (std::uint16_t i = 0; i < set.count; ++i) {
    const std::size_t len = static_cast<std::size_t>(set.rdata[pos]) << 8 | set.rdata[pos + 1];
    s.addresses.emplace_back(set.rdata.begin() + static_cast<std::ptrdiff_t>(pos + 2),
                             set.rdata.begin() + static_cast<std::ptrdiff_t>(pos + 2 + len));
    pos += 2 + len;
  }
  return s;
}

// ARCHITECTURE.md §5: an ALIAS owner's addresses are its target's; follow it like a CNAME.
std::optional<LocalStep> alias_hop(const Zone& zone, const Question& q) {
  const Node* node = zone.find(q.lower_name());
  if (!node || node->cut) return std::nullopt;
  const RRset* alias = node->find(RRType::ALIAS);
  if (!alias) return std::nullopt;
  return hop_to(first_rdata(*alias), alias->ttl);
}

std::uint32_t negative_ttl(const Answer& out) {
  return out.authority.empty() ? 0 : out.authority.front().ttl;
}

// The first answer RRset is the name's own: addresses, or a CNAME to follow one hop.
LocalStep first_answer(const Answer& out, RRType family) {
  const RRsetRef& first = out.answer.front();
  if (first.rrset->type == family) return addresses_of(*first.rrset);
  if (first.rrset->type == RRType::CNAME) return hop_to(first_rdata(*first.rrset), first.ttl);
  return failure("unexpected " + rrtype_to_text(first.rrset->type) + " in a local answer");
}

// The answer engine fails a query that reaches an ALIAS owner through in-zone CNAMEs (we give
// it no flattening results); asking for the CNAME alone yields the first hop.
LocalStep cname_only(const ZoneIndex& zones, const Name& name, RRType family) {
  static const AliasTable kNoResults;
  const Query q = query_for(name, RRType::CNAME);
  Answer out;
  answer_query(zones, kNoResults, q, Transport::kTcp, out);
  if (out.rcode == Rcode::NoError && !out.answer.empty() &&
      out.answer.front().rrset->type == RRType::CNAME)
    return first_answer(out, family);
  return failure("local data for " + name.to_text() + " cannot be followed");
}

}  // namespace

const Zone* enclosing_zone(const ZoneIndex& zones, const Name& name) {
  const Query q = query_for(name, RRType::A);
  return zones.find_enclosing(q.question);
}

bool is_served(const ZoneIndex& zones, const ProviderZones& providers, const Name& name) {
  const Zone* zone = enclosing_zone(zones, name);
  return zone != nullptr && providers.contains(zone->apex());
}

LocalStep local_step(const ZoneIndex& zones, const ProviderZones& providers, const Name& name,
                     RRType family) {
  static const AliasTable kNoResults;
  const Query q = query_for(name, family);
  const Zone* zone = zones.find_enclosing(q.question);
  if (!zone || !providers.contains(zone->apex())) return step_of(LocalStep::Kind::kNotServed);
  if (auto hop = alias_hop(*zone, q.question)) return *hop;
  Answer out;
  answer_query(zones, kNoResults, q, Transport::kTcp, out);
  switch (out.rcode) {
    case Rcode::NoError:
      if (!out.answer.empty()) return first_answer(out, family);
      if (!out.authoritative) return step_of(LocalStep::Kind::kNotServed);  // a referral
      return step_of(LocalStep::Kind::kNoData, negative_ttl(out));
    case Rcode::NXDomain:
      if (!out.answer.empty()) return first_answer(out, family);
      return step_of(LocalStep::Kind::kNxDomain, negative_ttl(out));
    case Rcode::ServFail:
      return cname_only(zones, name, family);
    default:
      return failure("local lookup of " + name.to_text() + " answered RCODE " +
                     std::to_string(static_cast<unsigned>(out.rcode)));
  }
}

}  // namespace apex::flatten
