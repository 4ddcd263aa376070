// Validates zone data (RFC 1034 §4.2, RFC 1035 §5.2, RFC 2181 §5/§10) and indexes it into an
// immutable snapshot: nodes for every owner and empty non-terminal, delegation points, and
// the address targets used for additional section processing.
#include "zones/zone_builder.hpp"

#include <algorithm>
#include <cstring>
#include <span>

#include "zones/alias_table.hpp"
#include "zones/rdata.hpp"
#include "zones/rdata_schema.hpp"

namespace apex {
namespace {

// A rule broken, or none.
using Check = std::optional<Finding>;
using Findings = std::vector<Finding>;

std::string describe(const Name& owner, RRType type) {
  return owner.to_text() + " " + rrtype_to_text(type);
}

std::string lower_key(const Name& name) {
  return std::string(name.lowercased().wire_view());
}

Finding error(const Name& owner, RRType type, std::string rule, std::string message,
              std::vector<Name> names = {}) {
  return Finding{owner,           type, std::move(rule), std::move(message), Severity::kError,
                 std::move(names)};
}

Check check_record(const Name& apex, const Record& r) {
  const std::string what = describe(r.owner, r.type);
  if (r.rrclass != RRClass::IN)
    return error(r.owner, r.type, "class-not-in", what + ": class must be IN");
  if (!r.owner.is_subdomain_of(apex))
    return error(r.owner, r.type, "outside-zone",
                 what + ": owner is outside the zone " + apex.to_text());
  if (is_meta_type(r.type) || r.type == RRType::OPT)
    return error(r.owner, r.type, "meta-type", what + ": not a type that zone data may hold");
  if (r.ttl > kMaxTtl)
    return error(r.owner, r.type, "ttl-too-large",
                 what + ": TTL " + std::to_string(r.ttl) + " is above 2147483647 (RFC 2181 §8)");
  // Records may reach the database by other routes than apexctl; the encoder and the answer
  // engine read RDATA without checking it again, so it must match its type here.
  if (auto ok = rdata_check_wire(r.type, r.rdata); !ok)
    return error(r.owner, r.type, "bad-rdata", r.owner.to_text() + " " + ok.error());
  return std::nullopt;
}

bool rrset_contains(const RRset& set, std::span<const std::uint8_t> rdata) {
  const std::uint8_t* p = set.rdata.data();
  for (std::uint16_t i = 0; i < set.count; ++i) {
    std::size_t len = static_cast<std::size_t>(p[0]) << 8 | p[1];
    if (len == rdata.size() && std::memcmp(p + 2, rdata.data(), len) == 0) return true;
    p += 2 + len;
  }
  return false;
}

// ALIAS targets are kept lower-cased: the alias table key (zone.hpp). Targets that differ
// only in case are the same record (RFC 4343).
std::span<const std::uint8_t> stored_rdata(const Record& r, std::vector<std::uint8_t>& folded) {
  if (r.type != RRType::ALIAS) return r.rdata;
  folded.clear();
  for (auto octet : r.rdata) folded.push_back(fold_case(octet));
  return folded;
}

// RRSIG records are grouped by the type they cover: each group travels with the RRset it
// signs and carries that RRset's TTL (RFC 4034 §3), so they are RRsets of their own.
bool covers_same_type(const RRset& rrsig, std::span<const std::uint8_t> rdata) {
  return rrsig.rdata[2] == rdata[0] && rrsig.rdata[3] == rdata[1];
}

// Adds a record to its node's RRset; duplicates collapse (RFC 2181 §5), TTLs must agree.
Check add_record(Zone::NodeMap& nodes, const Record& r) {
  auto [it, inserted] = nodes.try_emplace(lower_key(r.owner));
  Node& node = it->second;
  if (inserted) node.owner = std::string(r.owner.wire_view());
  RRset* set = nullptr;
  for (auto& s : node.rrsets)
    if (s.type == r.type && (r.type != RRType::RRSIG || covers_same_type(s, r.rdata))) set = &s;
  if (!set) set = &node.rrsets.emplace_back(RRset{r.type, r.ttl, 0, {}, {}});
  if (set->ttl != r.ttl)
    return error(r.owner, r.type, "ttl-mismatch",
                 describe(r.owner, r.type) + ": TTL " + std::to_string(r.ttl) +
                     " differs from the RRset's TTL " + std::to_string(set->ttl) +
                     " (RFC 2181 §5.2: one TTL per RRset)");
  std::vector<std::uint8_t> folded;
  std::span<const std::uint8_t> rdata = stored_rdata(r, folded);
  if (rrset_contains(*set, rdata)) return std::nullopt;
  if (set->count == 0xFFFF)
    return error(r.owner, r.type, "too-many-records",
                 describe(r.owner, r.type) + ": too many records");
  set->rdata.push_back(static_cast<std::uint8_t>(rdata.size() >> 8));
  set->rdata.push_back(static_cast<std::uint8_t>(rdata.size()));
  set->rdata.insert(set->rdata.end(), rdata.begin(), rdata.end());
  ++set->count;
  return std::nullopt;
}

Check check_apex(const Name& apex, const Zone::NodeMap& nodes) {
  auto it = nodes.find(lower_key(apex));
  const Node* node = it == nodes.end() ? nullptr : &it->second;
  const RRset* soa = node ? node->find(RRType::SOA) : nullptr;
  const std::string zone = "zone " + apex.to_text();
  if (!soa) return error(apex, RRType::SOA, "no-soa", zone + ": no SOA record at the apex");
  if (soa->count != 1)
    return error(apex, RRType::SOA, "multiple-soa",
                 zone + ": more than one SOA record at the apex");
  if (!node->find(RRType::NS))
    return error(apex, RRType::NS, "no-apex-ns", zone + ": no NS records at the apex");
  if (node->find(RRType::CNAME))
    return error(apex, RRType::CNAME, "cname-at-apex",
                 zone + ": CNAME at the zone apex is not allowed (RFC 1034 §3.6.2); use ALIAS");
  return std::nullopt;
}

Name owner_name(const Node& node) {
  auto owner = Name::from_wire(
      {reinterpret_cast<const std::uint8_t*>(node.owner.data()), node.owner.size()});
  return owner ? std::move(owner).value() : Name();
}

// ARCHITECTURE.md §5: one ALIAS per owner; it supplies the owner's addresses, so it stands beside
// neither a CNAME nor static A/AAAA (but the signer's output holds the A/AAAA it flattened and
// signed, ARCHITECTURE.md §4); and it cannot point at its own owner.
void check_alias(const Node& node, const Name& owner, RecordOrigin origin, Findings& found) {
  const RRset* alias = node.find(RRType::ALIAS);
  if (!alias) return;
  const std::string text = owner.to_text();
  const auto fail = [&](std::string rule, std::string message) {
    found.push_back(error(owner, RRType::ALIAS, std::move(rule), text + ": " + message));
  };
  if (alias->count > 1)
    return fail("multiple-alias", "more than one ALIAS record at the same name");
  if (node.find(RRType::CNAME))
    return fail("alias-and-cname",
                "ALIAS and CNAME at the same name (a CNAME allows no other data)");
  for (RRType family : {RRType::A, RRType::AAAA})
    if (origin == RecordOrigin::kOperator && node.find(family))
      return fail("alias-and-address", "ALIAS and static " + rrtype_to_text(family) +
                                           " records at the same name (an ALIAS supplies the "
                                           "addresses)");
  if (wire_names_equal(alias_target_key(*alias), node.owner))
    fail("alias-to-self", "ALIAS target is the owner itself");
}

// RFC 4035 §2.5: in a signed zone a CNAME's owner also holds its RRSIG and NSEC.
bool other_than_cname(const RRset& set) {
  return set.type != RRType::CNAME && set.type != RRType::RRSIG && set.type != RRType::NSEC;
}

// RFC 1034 §3.6.2 and RFC 2181 §10.1: a CNAME owner holds no other data; SOA only at the apex.
void check_node(const Node& node, std::string_view apex_key, RecordOrigin origin, Findings& found) {
  // Most nodes hold none of these: they cost no name conversion on the load path.
  if (!node.find(RRType::ALIAS) && !node.find(RRType::CNAME) && !node.find(RRType::SOA)) return;
  const std::size_t before = found.size();
  const Name owner = owner_name(node);
  check_alias(node, owner, origin, found);
  if (found.size() > before) return;
  const std::string text = owner.to_text();
  const RRset* cname = node.find(RRType::CNAME);
  if (cname && std::any_of(node.rrsets.begin(), node.rrsets.end(), other_than_cname))
    return found.push_back(
        error(owner, RRType::CNAME, "cname-and-other-data",
              text + ": CNAME and other data at the same name (RFC 1034 §3.6.2)"));
  if (cname && cname->count > 1)
    return found.push_back(
        error(owner, RRType::CNAME, "multiple-cname",
              text + ": more than one CNAME record at the same name (RFC 2181 §10.1)"));
  if (node.find(RRType::SOA) && !wire_names_equal(node.owner, apex_key))
    found.push_back(
        error(owner, RRType::SOA, "soa-below-apex", text + ": SOA record below the zone apex"));
}

// Every ancestor between an owner and the apex exists as a node, possibly empty
// (RFC 4592 §2.2.2: empty non-terminals).
void add_empty_non_terminals(Zone::NodeMap& nodes, std::string_view apex_key) {
  std::vector<std::pair<std::string, std::string>> missing;
  for (const auto& [key, node] : nodes) {
    for (std::size_t pos = static_cast<std::uint8_t>(key[0]) + 1u;
         key.size() - pos > apex_key.size(); pos += static_cast<std::uint8_t>(key[pos]) + 1u) {
      std::string_view ancestor = std::string_view(key).substr(pos);
      if (!nodes.contains(ancestor))
        missing.emplace_back(std::string(ancestor), node.owner.substr(pos));
    }
  }
  for (auto& [key, owner] : missing) {
    auto [it, inserted] = nodes.try_emplace(std::move(key));
    if (inserted) it->second.owner = std::move(owner);
  }
}

// The highest delegation (non-apex node with NS) at or above each node: everything below
// it is occluded by it (RFC 1034 §4.2.1).
void mark_cuts(Zone::NodeMap& nodes, std::string_view apex_key) {
  for (auto& [key, node] : nodes) {
    for (std::size_t pos = 0; key.size() - pos > apex_key.size();
         pos += static_cast<std::uint8_t>(key[pos]) + 1u) {
      auto it = nodes.find(std::string_view(key).substr(pos));
      if (it != nodes.end() && it->second.find(RRType::NS)) node.cut = &it->second;
    }
  }
}

bool is_address(RRType type) {
  return type == RRType::A || type == RRType::AAAA;
}

// Beside its NS RRset a delegation point holds the parent-side DS and its DNSSEC proof
// (RFC 4035 §2.4, §2.3), and glue when a name server is named after the cut itself.
bool allowed_at_cut(RRType type) {
  return type == RRType::NS || type == RRType::DS || type == RRType::NSEC ||
         type == RRType::RRSIG || is_address(type);
}

// Data at or below a delegation point is not authoritative (RFC 1034 §4.2.1): the zone
// holding it is refused, so that it never seems to be served. An ALIAS there would never
// answer; it has its own message.
void check_occlusion(const Node& node, Findings& found) {
  if (!node.cut) return;
  const bool at_cut = node.cut == &node;
  const auto allowed = [&](const RRset& set) {
    return set.type != RRType::ALIAS &&
           (is_address(set.type) || (at_cut && allowed_at_cut(set.type)));
  };
  if (std::all_of(node.rrsets.begin(), node.rrsets.end(), allowed)) return;
  const Name owner = owner_name(node);
  const Name cut = owner_name(*node.cut);
  if (node.find(RRType::ALIAS)) {
    found.push_back(error(owner, RRType::ALIAS, "alias-below-cut",
                          owner.to_text() + ": ALIAS at or below the delegation point " +
                              cut.to_text() + " (RFC 1034 §4.2.1: that data is not authoritative)",
                          {cut.lowercased()}));
    return;
  }
  for (const RRset& set : node.rrsets) {
    if (allowed(set)) continue;
    const std::string where =
        at_cut ? ": not allowed at the delegation point " + cut.to_text() +
                     " (RFC 1034 §4.2.1: beside NS, a zone cut holds only DS and glue addresses)"
               : ": occluded by the delegation at " + cut.to_text() +
                     " (RFC 1034 §4.2.1: below a zone cut only glue addresses, A and AAAA, may "
                     "be kept)";
    found.push_back(
        error(owner, set.type, "occluded-data",
              describe(owner, set.type) + where + "; this data belongs in the delegated zone",
              {cut.lowercased()}));
  }
}

// Address nodes for NS, MX and SRV targets (RFC 1035 §3.3.9, RFC 2782, RFC 9471). Only NS
// RRsets at a delegation may point into occluded data: that is glue.
void link_additional(Zone::NodeMap& nodes, Node& node, RRset& set) {
  const RdataLayout* layout = rdata_layout(set.type);
  if (!layout || layout->additional_field == kNoField) return;
  bool glue_allowed = set.type == RRType::NS && node.cut == &node;
  const std::uint8_t* p = set.rdata.data();
  for (std::uint16_t i = 0; i < set.count; ++i) {
    std::size_t len = static_cast<std::size_t>(p[0]) << 8 | p[1];
    auto target = additional_target(set.type, {p + 2, len});
    p += 2 + len;
    if (!target) continue;
    auto it = nodes.find(lower_key(*target));
    if (it == nodes.end()) continue;
    const Node* found = &it->second;
    if (!found->find(RRType::A) && !found->find(RRType::AAAA)) continue;
    if (found->cut && !glue_allowed) continue;
    if (std::find(set.additional.begin(), set.additional.end(), found) == set.additional.end())
      set.additional.push_back(found);
  }
}

// RRsets by type; RRSIG RRsets by the type they cover.
bool type_order(const RRset& a, const RRset& b) {
  if (a.type != b.type) return a.type < b.type;
  return a.type == RRType::RRSIG && a.covered_type() < b.covered_type();
}

// Each RRset learns its RRSIG RRset, for answers to DNSSEC-aware queries (RFC 4035 §3.1.1).
void link_signatures(Node& node) {
  for (const RRset& rrsig : node.rrsets) {
    if (rrsig.type != RRType::RRSIG) continue;
    for (RRset& set : node.rrsets)
      if (set.type == rrsig.covered_type()) set.rrsig = &rrsig;
  }
}

// The findings of a rule group over every node, in canonical order; none on a valid zone,
// so sorting costs nothing on the load path.
template <class Rule>
Findings over_nodes(const Zone::NodeMap& nodes, Rule rule) {
  Findings found;
  for (const auto& [key, node] : nodes) rule(node, found);
  std::sort(found.begin(), found.end(), finding_before);
  return found;
}

}  // namespace

std::optional<Name> additional_target(RRType type, std::span<const std::uint8_t> rdata) {
  auto target = Name::from_wire(additional_name(type, rdata));
  if (!target) return std::nullopt;
  return std::move(target).value();
}

std::variant<ZonePtr, std::vector<Finding>> build_zone_findings(const Name& apex,
                                                                const RecordSource& records,
                                                                RecordOrigin origin) {
  Zone::NodeMap nodes;
  // The records one at a time, in the order the source sends them; the first one that breaks
  // a rule stops the source.
  Check refused;
  auto added = records([&](Record r) -> Status {
    refused = check_record(apex, r);
    if (!refused) refused = add_record(nodes, r);
    if (refused) return Error{refused->message};
    return Ok{};
  });
  if (refused) return Findings{std::move(*refused)};
  if (!added) return Findings{error(apex, RRType::SOA, "unreadable-records", added.error())};
  if (auto found = check_apex(apex, nodes)) return Findings{std::move(*found)};
  std::string apex_key = lower_key(apex);
  auto found = over_nodes(
      nodes, [&](const Node& node, Findings& out) { check_node(node, apex_key, origin, out); });
  if (!found.empty()) return found;
  add_empty_non_terminals(nodes, apex_key);
  mark_cuts(nodes, apex_key);
  found = over_nodes(nodes, check_occlusion);
  if (!found.empty()) return found;
  for (auto& [key, node] : nodes) {
    std::sort(node.rrsets.begin(), node.rrsets.end(), type_order);
    for (auto& set : node.rrsets) link_additional(nodes, node, set);
    link_signatures(node);
  }
  return std::make_shared<const Zone>(apex, std::move(nodes));
}

std::variant<ZonePtr, std::vector<Finding>> build_zone_findings(const Name& apex,
                                                                std::vector<Record> records,
                                                                RecordOrigin origin) {
  return build_zone_findings(
      apex,
      [&](const RecordSink& each) -> Status {
        for (auto& r : records)
          if (auto ok = each(std::move(r)); !ok) return ok;
        return Ok{};
      },
      origin);
}

Result<ZonePtr> build_zone(const Name& apex, const RecordSource& records) {
  auto built = build_zone_findings(apex, records);
  if (auto* found = std::get_if<Findings>(&built)) return Error{found->front().message};
  return std::get<ZonePtr>(std::move(built));
}

Result<ZonePtr> build_zone(const Name& apex, std::vector<Record> records, RecordOrigin origin) {
  auto built = build_zone_findings(apex, std::move(records), origin);
  if (auto* found = std::get_if<Findings>(&built)) return Error{found->front().message};
  return std::get<ZonePtr>(std::move(built));
}

}  // namespace apex
