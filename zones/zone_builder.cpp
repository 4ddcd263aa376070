// Validates zone data (RFC 1034 §4.2, RFC 1035 §5.2, RFC 2181 §5/§10) and indexes it into an
// immutable snapshot: nodes for every owner and empty non-terminal, delegation points, and
// the address targets used for additional section processing.
#include "zones/zone_builder.hpp"

#include <algorithm>
#include <cstring>
#include <span>

#include "zones/alias_table.hpp"
#include "zones/rdata.hpp"

namespace apex {
namespace {

std::string describe(const Name& owner, RRType type) {
  return owner.to_text() + " " + rrtype_to_text(type);
}

std::string lower_key(const Name& name) {
  return std::string(name.lowercased().wire_view());
}

Status check_record(const Name& apex, const Record& r) {
  if (r.rrclass != RRClass::IN) return Error{describe(r.owner, r.type) + ": class must be IN"};
  if (!r.owner.is_subdomain_of(apex))
    return Error{describe(r.owner, r.type) + ": owner is outside the zone " + apex.to_text()};
  if (is_meta_type(r.type) || r.type == RRType::OPT)
    return Error{describe(r.owner, r.type) + ": not a type that zone data may hold"};
  if (r.ttl > kMaxTtl)
    return Error{describe(r.owner, r.type) + ": TTL " + std::to_string(r.ttl) +
                 " is above 2147483647 (RFC 2181 §8)"};
  // Records may reach the database by other routes than apexctl; the encoder and the answer
  // engine read RDATA without checking it again, so it must match its type here.
  if (auto ok = rdata_check_wire(r.type, r.rdata); !ok)
    return Error{r.owner.to_text() + " " + ok.error()};
  return Ok{};
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

// Adds a record to its node's RRset; duplicates collapse (RFC 2181 §5), TTLs must agree.
Status add_record(Zone::NodeMap& nodes, const Record& r) {
  auto [it, inserted] = nodes.try_emplace(lower_key(r.owner));
  Node& node = it->second;
  if (inserted) node.owner = std::string(r.owner.wire_view());
  RRset* set = nullptr;
  for (auto& s : node.rrsets)
    if (s.type == r.type) set = &s;
  if (!set) set = &node.rrsets.emplace_back(RRset{r.type, r.ttl, 0, {}, {}});
  if (set->ttl != r.ttl)
    return Error{describe(r.owner, r.type) + ": TTL " + std::to_string(r.ttl) +
                 " differs from the RRset's TTL " + std::to_string(set->ttl) +
                 " (RFC 2181 §5.2: one TTL per RRset)"};
  std::vector<std::uint8_t> folded;
  std::span<const std::uint8_t> rdata = stored_rdata(r, folded);
  if (rrset_contains(*set, rdata)) return Ok{};
  if (set->count == 0xFFFF) return Error{describe(r.owner, r.type) + ": too many records"};
  set->rdata.push_back(static_cast<std::uint8_t>(rdata.size() >> 8));
  set->rdata.push_back(static_cast<std::uint8_t>(rdata.size()));
  set->rdata.insert(set->rdata.end(), rdata.begin(), rdata.end());
  ++set->count;
  return Ok{};
}

Status check_apex(const Name& apex, const Zone::NodeMap& nodes) {
  auto it = nodes.find(lower_key(apex));
  const Node* node = it == nodes.end() ? nullptr : &it->second;
  const RRset* soa = node ? node->find(RRType::SOA) : nullptr;
  if (!soa) return Error{"zone " + apex.to_text() + ": no SOA record at the apex"};
  if (soa->count != 1)
    return Error{"zone " + apex.to_text() + ": more than one SOA record at the apex"};
  if (!node->find(RRType::NS))
    return Error{"zone " + apex.to_text() + ": no NS records at the apex"};
  if (node->find(RRType::CNAME))
    return Error{"zone " + apex.to_text() +
                 ": CNAME at the zone apex is not allowed (RFC 1034 §3.6.2); use ALIAS"};
  return Ok{};
}

std::string owner_text(const Node& node) {
  auto owner = Name::from_wire(
      {reinterpret_cast<const std::uint8_t*>(node.owner.data()), node.owner.size()});
  return owner ? owner->to_text() : "?";
}

// ARCHITECTURE.md §5: one ALIAS per owner; it supplies the owner's addresses, so it stands beside
// neither a CNAME nor static A/AAAA; and it cannot point at its own owner.
Status check_alias(const Node& node, const std::string& text) {
  const RRset* alias = node.find(RRType::ALIAS);
  if (!alias) return Ok{};
  if (alias->count > 1) return Error{text + ": more than one ALIAS record at the same name"};
  if (node.find(RRType::CNAME))
    return Error{text + ": ALIAS and CNAME at the same name (a CNAME allows no other data)"};
  for (RRType family : {RRType::A, RRType::AAAA})
    if (node.find(family))
      return Error{text + ": ALIAS and static " + rrtype_to_text(family) +
                   " records at the same name (an ALIAS supplies the addresses)"};
  if (wire_names_equal(alias_target_key(*alias), node.owner))
    return Error{text + ": ALIAS target is the owner itself"};
  return Ok{};
}

// RFC 1034 §3.6.2 and RFC 2181 §10.1: a CNAME owner holds no other data; SOA only at the apex.
Status check_node(const Node& node, std::string_view apex_key) {
  std::string text = owner_text(node);
  if (auto ok = check_alias(node, text); !ok) return ok;
  if (node.find(RRType::CNAME) && node.rrsets.size() > 1)
    return Error{text + ": CNAME and other data at the same name (RFC 1034 §3.6.2)"};
  if (node.find(RRType::CNAME) && node.find(RRType::CNAME)->count > 1)
    return Error{text + ": more than one CNAME record at the same name (RFC 2181 §10.1)"};
  if (node.find(RRType::SOA) && !wire_names_equal(node.owner, apex_key))
    return Error{text + ": SOA record below the zone apex"};
  return Ok{};
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

// Data at or below a delegation point is not authoritative (RFC 1034 §4.2.1): an ALIAS
// there would never answer.
Status check_alias_cut(const Node& node) {
  if (!node.cut || !node.find(RRType::ALIAS)) return Ok{};
  return Error{owner_text(node) + ": ALIAS at or below the delegation point " +
               owner_text(*node.cut) + " (RFC 1034 §4.2.1: that data is not authoritative)"};
}

// Offset of the domain name inside RDATA that additional processing follows, or -1.
int target_offset(RRType type) {
  switch (type) {
    case RRType::NS:
      return 0;
    case RRType::MX:
      return 2;
    case RRType::SRV:
      return 6;
    default:
      return -1;
  }
}

// Address nodes for NS, MX and SRV targets (RFC 1035 §3.3.9, RFC 2782, RFC 9471). Only NS
// RRsets at a delegation may point into occluded data: that is glue.
void link_additional(Zone::NodeMap& nodes, Node& node, RRset& set) {
  int offset = target_offset(set.type);
  if (offset < 0) return;
  bool glue_allowed = set.type == RRType::NS && node.cut == &node;
  const std::uint8_t* p = set.rdata.data();
  for (std::uint16_t i = 0; i < set.count; ++i) {
    std::size_t len = static_cast<std::size_t>(p[0]) << 8 | p[1];
    auto target = Name::from_wire(
        {p + 2 + offset, len > static_cast<std::size_t>(offset) ? len - offset : 0});
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

}  // namespace

Result<ZonePtr> build_zone(const Name& apex, std::vector<Record> records) {
  return build_zone(apex, [&](const RecordSink& each) -> Status {
    for (auto& r : records)
      if (auto ok = each(std::move(r)); !ok) return ok;
    return Ok{};
  });
}

Result<ZonePtr> build_zone(const Name& apex, const RecordSource& records) {
  Zone::NodeMap nodes;
  auto added = records([&](Record r) -> Status {
    if (auto ok = check_record(apex, r); !ok) return ok;
    return add_record(nodes, r);
  });
  if (!added) return Error{added.error()};
  if (auto ok = check_apex(apex, nodes); !ok) return Error{ok.error()};
  std::string apex_key = lower_key(apex);
  for (const auto& [key, node] : nodes)
    if (auto ok = check_node(node, apex_key); !ok) return Error{ok.error()};
  add_empty_non_terminals(nodes, apex_key);
  mark_cuts(nodes, apex_key);
  for (const auto& [key, node] : nodes)
    if (auto ok = check_alias_cut(node); !ok) return Error{ok.error()};
  for (auto& [key, node] : nodes) {
    std::sort(node.rrsets.begin(), node.rrsets.end(),
              [](const RRset& a, const RRset& b) { return a.type < b.type; });
    for (auto& set : node.rrsets) link_additional(nodes, node, set);
  }
  return std::make_shared<const Zone>(apex, std::move(nodes));
}

}  // namespace apex
