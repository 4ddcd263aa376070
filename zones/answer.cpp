// The RFC 1034 §4.3.2 lookup as named steps: find the zone, find the node (exact, wildcard
// per RFC 4592, delegation, or nxdomain), then answer, follow a CNAME, refer, or deny.
#include "zones/answer.hpp"

#include <algorithm>

#include "zones/dnssec_answer.hpp"
#include "zones/flattened_alias.hpp"

namespace apex {
namespace {

// The name being looked up: the question, or a CNAME target taken from zone data.
struct Target {
  std::string_view owner;  // as it goes into the answer (question case, or zone data case)
  std::string_view lower;
  std::array<std::uint8_t, 128> offsets{};
  std::size_t labels = 0;

  std::string_view suffix(std::size_t i) const {
    return lower.substr(i < labels ? offsets[i] : lower.size() - 1);
  }
};

Target target_of(const Question& q) {
  Target t{q.name(), q.lower_name(), q.label_offsets, q.labels};
  return t;
}

// owner is an uncompressed wire name from zone RDATA, already validated.
Target target_of(std::string_view owner, std::array<std::uint8_t, 255>& scratch) {
  Target t;
  t.owner = owner;
  for (std::size_t pos = 0; pos < owner.size(); ++pos)
    scratch[pos] = fold_case(static_cast<std::uint8_t>(owner[pos]));
  t.lower = {reinterpret_cast<const char*>(scratch.data()), owner.size()};
  for (std::size_t pos = 0; owner[pos] != 0; pos += static_cast<std::uint8_t>(owner[pos]) + 1u)
    t.offsets[t.labels++] = static_cast<std::uint8_t>(pos);
  return t;
}

bool inside(const Target& t, const Zone& zone) {
  return t.labels >= zone.apex_labels() &&
         t.suffix(t.labels - zone.apex_labels()) == zone.apex_key();
}

enum class Match { kExact, kWildcard, kDelegation, kNxDomain };

struct Found {
  Match match;
  const Node* node;
  std::string_view encloser = {};  // the closest encloser's key, below which the name isn't
};

// RFC 4592 §3.3.1: below the closest encloser, the source of synthesis is "*.<encloser>".
Found wildcard_or_nxdomain(const Zone& zone, std::string_view encloser_key) {
  std::array<char, 257> key;
  if (encloser_key.size() + 2 > kMaxNameLength) return {Match::kNxDomain, nullptr};
  key[0] = 1;
  key[1] = '*';
  std::copy(encloser_key.begin(), encloser_key.end(), key.begin() + 2);
  const Node* star = zone.find({key.data(), encloser_key.size() + 2});
  if (!star) return {Match::kNxDomain, nullptr, encloser_key};
  if (star->cut) return {Match::kDelegation, star->cut};
  return {Match::kWildcard, star, encloser_key};
}

// Walks from the name up to the apex; the first node that exists is the name itself or its
// closest encloser (empty non-terminals are nodes). A DS query at a delegation point is
// answered here, on the parent side (RFC 4035 §3.1.4.1).
Found find_node(const Zone& zone, const Target& t, bool ds_query) {
  for (std::size_t i = 0; i + zone.apex_labels() <= t.labels; ++i) {
    std::string_view key = t.suffix(i);
    const Node* node = zone.find(key);
    if (!node) continue;
    bool ds_at_cut = i == 0 && ds_query && node->cut == node;
    if (node->cut && !ds_at_cut) return {Match::kDelegation, node->cut};
    if (i == 0) return {Match::kExact, node};
    return wildcard_or_nxdomain(zone, key);
  }
  return {Match::kNxDomain, nullptr};
}

void add(std::vector<RRsetRef>& section, std::string_view owner, const RRset& set,
         bool required = false) {
  section.push_back(RRsetRef{owner, &set, set.ttl, required});
}

void add_addresses(std::vector<RRsetRef>& section, const Node& node, bool required) {
  if (const RRset* a = node.find(RRType::A)) add(section, node.owner, *a, required);
  if (const RRset* aaaa = node.find(RRType::AAAA)) add(section, node.owner, *aaaa, required);
}

// RFC 1034 §4.3.2 step 6: addresses of the names NS, MX and SRV records point to.
void add_additional(const RRset& set, Answer& out) {
  for (const Node* node : set.additional) add_addresses(out.additional, *node, false);
}

// RFC 2308 §3: negative answers carry the SOA with the negative TTL.
void add_negative_soa(const Zone& zone, Answer& out) {
  out.authority.push_back(RRsetRef{zone.apex_node().owner, &zone.soa(), zone.negative_ttl()});
}

// RFC 1034 §4.3.2 step 3b and RFC 9471: the delegation's NS RRset, with glue; glue below
// the cut is required, other addresses (sibling glue, RFC 9471 §3.2) are optional. Required
// glue goes first: the encoder fills the additional section in order, so optional addresses
// never take the room in-domain glue needs (RFC 9471 §3.1: TC only when that does not fit).
void add_referral(const Node& cut, Answer& out) {
  const RRset* ns = cut.find(RRType::NS);
  add(out.authority, cut.owner, *ns);
  for (bool required : {true, false})
    for (const Node* node : ns->additional)
      if ((node->cut == &cut) == required) add_addresses(out.additional, *node, required);
}

// Flattened addresses go out as if they were static records at the owner.
void add_flattened(std::vector<RRsetRef>& section, std::string_view owner,
                   const FlattenedFamily& family) {
  section.push_back(RRsetRef{owner, family.addresses, family.ttl});
}

// No fresh, stale or fallback addresses (or none yet): SERVFAIL is the honest answer, and
// queries never wait for the flattener (ARCHITECTURE.md §5).
void fail(Answer& out) {
  out.clear();
  out.rcode = Rcode::ServFail;
}

// A or AAAA at an ALIAS owner: the answer is the flattened RRset (no CNAME in sight), NODATA
// when the target has none of that family, or SERVFAIL.
void answer_alias(const Zone& zone, const Node& node, const RRset& alias, std::string_view owner,
                  RRType family, const AliasTable& aliases, Answer& out) {
  const FlattenedFamily served = flattened_family(aliases, node.owner, alias, family);
  switch (served.state) {
    case AliasState::kAddresses:
      out.stale_alias = out.stale_alias || served.stale;
      return add_flattened(out.answer, owner, served);
    case AliasState::kNoData:
      return add_negative_soa(zone, out);  // RFC 2308 §2.2
    case AliasState::kPending:
    case AliasState::kFailed:
      return fail(out);
  }
}

// ANY stands for the flattened addresses that are available; it never fails for want of them.
void add_flattened_any(const Node& node, const RRset& alias, std::string_view owner,
                       const AliasTable& aliases, Answer& out) {
  for (RRType family : {RRType::A, RRType::AAAA}) {
    const FlattenedFamily served = flattened_family(aliases, node.owner, alias, family);
    if (served.state == AliasState::kAddresses) add_flattened(out.answer, owner, served);
  }
}

// What one query looks things up in, and whether it wants DNSSEC records (DO=1 and a
// signed zone).
struct Sources {
  const Zone& zone;
  const AliasTable& aliases;
  Transport transport;
  bool dnssec;
};

// RFC 8482 §4.2: over UDP one RRset stands for all; over TCP the whole node is cheap enough.
// The private ALIAS type never goes on the wire: the addresses it supplies stand in for it
// (in a signed zone they are the node's own A/AAAA already). With DNSSEC the signatures
// follow each RRset, so the RRSIG RRsets are not listed as such.
void add_any(const Sources& from, const Node& node, std::string_view owner, Answer& out) {
  for (const auto& set : node.rrsets) {
    if (from.dnssec && set.type == RRType::RRSIG) continue;
    if (set.type == RRType::ALIAS) {
      if (!from.zone.is_signed()) add_flattened_any(node, set, owner, from.aliases, out);
    } else {
      add(out.answer, owner, set);
    }
    if (from.transport == Transport::kUdp && !out.answer.empty()) {
      out.answer.erase(out.answer.begin() + 1, out.answer.end());
      return;
    }
  }
}

std::string_view cname_target(const RRset& cname) {
  std::size_t len = static_cast<std::size_t>(cname.rdata[0]) << 8 | cname.rdata[1];
  return {reinterpret_cast<const char*>(cname.rdata.data()) + 2, len};
}

bool refuse_question(const Question& q, Answer& out) {
  if (q.qclass != RRClass::IN && q.qclass != RRClass::ANY) {
    out.rcode = Rcode::Refused;
    return true;
  }
  if (q.qtype == RRType::AXFR || q.qtype == RRType::IXFR) {
    out.rcode = Rcode::Refused;  // no transfer is offered to this client
    return true;
  }
  if (is_meta_type(q.qtype) && q.qtype != RRType::ANY) {
    out.rcode = q.qtype == RRType::OPT ? Rcode::FormErr : Rcode::NotImp;
    return true;
  }
  return false;
}

// The zone for the question; a DS query at a zone apex belongs to the parent zone when this
// server has it (RFC 4035 §3.1.4.1).
const Zone* zone_for(const ZoneIndex& index, const Question& q) {
  const Zone* zone = index.find_enclosing(q);
  if (zone && q.qtype == RRType::DS && q.labels == zone->apex_labels() && q.labels > 0)
    if (const Zone* parent = index.find_enclosing(q, 1)) return parent;
  return zone;
}

bool is_address_type(RRType type) {
  return type == RRType::A || type == RRType::AAAA;
}

// An explicit RRSIG query gets every signature at the node: one RRSIG RRset per covered type.
void add_rrsigs(const Node& node, std::string_view owner, Answer& out) {
  for (const auto& set : node.rrsets)
    if (set.type == RRType::RRSIG) add(out.answer, owner, set);
}

// RFC 2308 §2.2 NODATA, with its proof for DNSSEC (RFC 4035 §3.1.3.1).
void add_nodata(const Sources& from, const Node& node, const Target& t, Answer& out) {
  add_negative_soa(from.zone, out);
  if (from.dnssec) prove_nodata(from.zone, node, t.lower, out);
}

// In a signed zone the addresses an ALIAS serves are zone data, flattened and signed when the
// snapshot was built (ARCHITECTURE.md §4), and answered as the node's own A/AAAA. A family the
// snapshot lacks is SERVFAIL while the flattener has nothing to serve, never an unsigned
// address; otherwise NODATA, proved by the NSEC the snapshot signed, whose bitmap lists the
// families it holds.
void answer_signed_alias(const Sources& from, const Node& node, const RRset& alias, const Target& t,
                         RRType family, Answer& out) {
  const AliasState state = flattened_family(from.aliases, node.owner, alias, family).state;
  if (state == AliasState::kPending || state == AliasState::kFailed) return fail(out);
  add_nodata(from, node, t, out);
}

// Answers at a node that exists (or a wildcard standing in for it). Returns the CNAME to
// follow, or null when the answer is complete. ALIAS is private: a query for that type
// finds nothing (NODATA).
const RRset* answer_at(const Sources& from, const Node& node, const Target& t, RRType qtype,
                       Answer& out) {
  if (qtype == RRType::ANY) {
    add_any(from, node, t.owner, out);
    if (out.answer.empty()) add_nodata(from, node, t, out);
    return nullptr;
  }
  if (qtype == RRType::RRSIG && node.find(RRType::RRSIG)) {
    add_rrsigs(node, t.owner, out);
    return nullptr;
  }
  if (const RRset* set = node.find(qtype); set && qtype != RRType::ALIAS) {
    add(out.answer, t.owner, *set);
    add_additional(*set, out);
    return nullptr;
  }
  // Zone validation keeps CNAME, and static A/AAAA but a signed zone's flattened ones, away
  // from ALIAS owners, so only nodes without the queried RRset pay for this check.
  if (is_address_type(qtype))
    if (const RRset* alias = node.find(RRType::ALIAS)) {
      if (from.zone.is_signed())
        answer_signed_alias(from, node, *alias, t, qtype, out);
      else
        answer_alias(from.zone, node, *alias, t.owner, qtype, from.aliases, out);
      return nullptr;
    }
  if (const RRset* cname = node.find(RRType::CNAME)) {
    add(out.answer, t.owner, *cname);
    return cname;
  }
  add_nodata(from, node, t, out);
  return nullptr;
}

// A finished answer's kind and imputed name (see Answer): NODATA is the zone's, an answer the
// name asked's (or its wildcard's). A SERVFAIL for an ALIAS stays an error.
void impute_answer(const Zone& zone, std::string_view asked, Answer& out) {
  if (out.rcode != Rcode::NoError) return;
  const bool nodata = out.answer.empty();
  out.kind = nodata ? AnswerKind::kNoData : AnswerKind::kPositive;
  out.imputed_name = nodata ? std::string_view(zone.apex_node().owner) : asked;
}

bool seen_before(const Answer& out, std::string_view name) {
  return std::any_of(out.answer.begin(), out.answer.end(),
                     [&](const RRsetRef& r) { return wire_names_equal(r.owner, name); });
}

// RFC 4035 §3.1.1: every RRset in the answer and authority sections goes with its RRSIGs;
// additional-section addresses keep theirs only when there is room.
void add_all_signatures(Answer& out) {
  add_signatures(out.answer, false);
  add_signatures(out.authority, false);
  add_signatures(out.additional, true);
}

// In a signed zone an ALIAS owner that holds nothing else and serves no address in this
// publication holds no signed data: it is out of the denial chain and out of transfers, so it
// does not exist (NXDOMAIN, proved), except that its A/AAAA stay SERVFAIL while the flattener
// has nothing to serve (ARCHITECTURE.md §4). With names below it, it is an empty non-terminal
// like any other.
bool absent_from_signed_data(const Sources& from, const Node& node, std::string_view name,
                             RRType qtype) {
  if (!from.zone.is_signed() || node.rrsets.size() != 1 || node.rrsets[0].type != RRType::ALIAS)
    return false;
  if (is_address_type(qtype)) {
    const AliasState state =
        flattened_family(from.aliases, node.owner, node.rrsets[0], qtype).state;
    if (state == AliasState::kPending || state == AliasState::kFailed) return false;
  }
  return !in_denial_chain(from.zone, name);
}

// The lookup in the zone for the question, after the question and zone checks.
void answer_in_zone(const Sources& from, const Question& q, Answer& out) {
  const Zone* zone = &from.zone;
  Target t = target_of(q);
  std::string_view asked = q.name();
  for (std::size_t chain = 0; chain <= kMaxCnameChain; ++chain) {
    Found found = find_node(*zone, t, q.qtype == RRType::DS);
    if (found.match == Match::kExact &&
        absent_from_signed_data(from, *found.node, t.lower, q.qtype))
      found = {Match::kNxDomain, nullptr, t.suffix(1)};
    if (found.match == Match::kDelegation) {
      out.authoritative = out.authoritative && chain > 0;
      add_referral(*found.node, out);
      if (from.dnssec) prove_referral(*zone, *found.node, out);
      out.kind = AnswerKind::kReferral;
      out.imputed_name = found.node->owner;
      return;
    }
    if (found.match == Match::kNxDomain) {
      out.rcode = Rcode::NXDomain;  // for the last name in a CNAME chain (RFC 6604 §2)
      add_negative_soa(*zone, out);
      if (from.dnssec) prove_nxdomain(*zone, t.lower, found.encloser, out);
      out.kind = AnswerKind::kNxDomain;
      out.imputed_name = zone->apex_node().owner;
      return;
    }
    if (chain == 0 && found.match == Match::kWildcard) asked = found.node->owner;
    const RRset* cname = answer_at(from, *found.node, t, q.qtype, out);
    // RFC 4035 §3.1.3.3: an expanded wildcard comes with the proof that the name itself
    // doesn't exist, which also tells a validator the expansion was right.
    if (from.dnssec && found.match == Match::kWildcard) prove_no_name(*zone, t.lower, out);
    if (!cname) return impute_answer(*zone, asked, out);
    // RFC 1034 §4.3.2 step 3a: restart at the CNAME target while it stays in this zone and
    // the chain does not loop.
    std::string_view next = cname_target(*cname);
    if (seen_before(out, next)) return impute_answer(*zone, asked, out);
    t = target_of(next, out.scratch[chain % 2]);
    if (!inside(t, *zone)) return impute_answer(*zone, asked, out);
  }
  impute_answer(*zone, asked, out);
}

}  // namespace

void answer_query(const ZoneIndex& index, const AliasTable& aliases, const Query& query,
                  Transport transport, Answer& out) {
  out.clear();
  const Question& q = query.question;
  if (refuse_question(q, out)) return;
  const Zone* zone = zone_for(index, q);
  if (!zone) {
    out.rcode = Rcode::Refused;  // not authoritative for this name
    return;
  }
  // RFC 6895 §3.2: an answer to QCLASS=ANY cannot claim to be authoritative, since the
  // server cannot know it holds the data of every class.
  out.authoritative = q.qclass != RRClass::ANY;
  // DNSSEC records only when asked for (RFC 3225 §3, RFC 4035 §3.2.1): DO=0 answers stay as
  // they were, at the cost of this one test.
  const bool dnssec = query.edns.dnssec_ok && zone->is_signed();
  answer_in_zone(Sources{*zone, aliases, transport, dnssec}, q, out);
  if (dnssec && out.rcode != Rcode::ServFail) add_all_signatures(out);
}

}  // namespace apex
