// The zone rules as findings: build_zone's errors, then the warnings over the built zone
// (RFC 1034 §4.2, RFC 2181 §10.3, RFC 9471, RFC 2782) and ALIAS loops (ARCHITECTURE.md §5).
#include "zones/zone_rules.hpp"

#include <algorithm>
#include <set>
#include <span>
#include <utility>

#include "zones/zone_builder.hpp"

namespace apex {
namespace {

using NameSet = std::set<Name, CanonicalLess>;

struct OwnedNode {
  Name owner;  // case as in the zone data
  const Node* node = nullptr;
};

Name owner_of(const Node& node) {
  auto owner = Name::from_wire(
      {reinterpret_cast<const std::uint8_t*>(node.owner.data()), node.owner.size()});
  return owner ? std::move(owner).value() : Name();
}

// The zone's nodes in canonical order (RFC 4034 §6.1), so that findings come out stable.
std::vector<OwnedNode> sorted_nodes(const Zone& zone) {
  std::vector<OwnedNode> nodes;
  nodes.reserve(zone.nodes().size());
  for (const auto& [key, node] : zone.nodes()) nodes.push_back(OwnedNode{owner_of(node), &node});
  std::sort(nodes.begin(), nodes.end(), [](const OwnedNode& a, const OwnedNode& b) {
    return a.owner.canonical_compare(b.owner) < 0;
  });
  return nodes;
}

template <class Visit>
void for_each_target(const RRset& set, Visit visit) {
  const std::uint8_t* p = set.rdata.data();
  for (std::uint16_t i = 0; i < set.count; ++i) {
    const std::size_t len = static_cast<std::size_t>(p[0]) << 8 | p[1];
    if (auto target = additional_target(set.type, {p + 2, len})) visit(*target);
    p += 2 + len;
  }
}

const Node* find_node(const Zone& zone, const Name& name) {
  return zone.find(name.lowercased().wire_view());
}

// The delegation at or above name, as the nearest existing node records it (empty
// non-terminals exist, so the walk up meets the cut's descendants' nodes).
const Node* enclosing_cut(const Zone& zone, const Name& name) {
  for (Name n = name; n.is_subdomain_of(zone.apex()); n = n.parent()) {
    if (const Node* node = find_node(zone, n)) return node->cut;
    if (n == zone.apex()) break;
  }
  return nullptr;
}

Finding warning(const Name& owner, RRType type, std::string rule, std::string message,
                std::vector<Name> names) {
  return Finding{owner,           type, std::move(rule), std::move(message), Severity::kWarning,
                 std::move(names)};
}

std::string lower_text(RRType type) {
  std::string text = rrtype_to_text(type);
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  });
  return text;
}

std::string why_address(RRType type) {
  switch (type) {
    case RRType::MX:
      return " (RFC 5321 §5.1: mail for it cannot be delivered)";
    case RRType::SRV:
      return " (RFC 2782: clients cannot reach the service)";
    default:
      return "";
  }
}

// One NS, MX or SRV target inside the zone: not a CNAME (RFC 2181 §10.3, RFC 2782), and with
// addresses (as glue below a cut, RFC 9471).
void check_target(const Zone& zone, const OwnedNode& at, RRType type, const Name& target,
                  std::vector<Finding>& found) {
  if (!target.is_subdomain_of(zone.apex()) || target.is_root()) return;
  const std::string what =
      at.owner.to_text() + " " + rrtype_to_text(type) + " " + target.to_text() + ": ";
  const std::vector<Name> names{target.lowercased()};
  const Node* node = find_node(zone, target);
  const Node* cut = node ? node->cut : enclosing_cut(zone, target);
  // Only NS records name servers in a delegated zone; other targets there are the child's.
  if (cut && type != RRType::NS) return;
  if (node && node->find(RRType::CNAME)) {
    found.push_back(warning(at.owner, type, lower_text(type) + "-to-cname",
                            what + target.to_text() +
                                " is a CNAME (RFC 2181 §10.3: the target must be the name "
                                "holding the addresses, not an alias)",
                            names));
    return;
  }
  const bool addresses = node && (node->find(RRType::A) || node->find(RRType::AAAA) ||
                                  (type != RRType::NS && node->find(RRType::ALIAS)));
  if (addresses) return;
  if (type == RRType::NS && cut) {
    found.push_back(warning(at.owner, type, "missing-glue",
                            what + "no glue address (A or AAAA at " + target.to_text() +
                                "); resolvers cannot follow the delegation to it (RFC 9471)",
                            names));
    return;
  }
  found.push_back(
      warning(at.owner, type, lower_text(type) + "-target-no-address",
              what + target.to_text() + " has no A or AAAA record in this zone" + why_address(type),
              names));
}

void check_targets(const Zone& zone, const std::vector<OwnedNode>& nodes,
                   std::initializer_list<RRType> types, std::vector<Finding>& found) {
  for (const OwnedNode& at : nodes) {
    for (RRType type : types) {
      const RRset* set = at.node->find(type);
      // Occluded data is an error of its own; an NS at the cut is the delegation.
      if (!set || (at.node->cut && at.node->cut != at.node)) continue;
      if (type != RRType::NS && at.node->cut) continue;
      for_each_target(*set,
                      [&](const Name& target) { check_target(zone, at, type, target, found); });
    }
  }
}

NameSet name_server_targets(const std::vector<OwnedNode>& nodes) {
  NameSet targets;
  for (const OwnedNode& at : nodes) {
    if (const RRset* ns = at.node->find(RRType::NS))
      for_each_target(*ns, [&](const Name& target) { targets.insert(target.lowercased()); });
  }
  return targets;
}

std::vector<GlueRecord> glue_of(const std::vector<OwnedNode>& nodes) {
  std::vector<GlueRecord> glue;
  for (const OwnedNode& at : nodes) {
    if (!at.node->cut) continue;
    for (RRType type : {RRType::A, RRType::AAAA})
      if (at.node->find(type)) glue.push_back(GlueRecord{at.owner, type, owner_of(*at.node->cut)});
  }
  return glue;
}

void check_unused_glue(const std::vector<OwnedNode>& nodes, std::vector<Finding>& found) {
  const NameSet targets = name_server_targets(nodes);
  for (const GlueRecord& glue : glue_of(nodes)) {
    if (targets.contains(glue.owner.lowercased())) continue;
    found.push_back(warning(glue.owner, glue.type, "unused-glue",
                            glue.owner.to_text() + " " + rrtype_to_text(glue.type) +
                                ": glue below the delegation " + glue.cut.to_text() +
                                " that no NS record names (it is never served as glue)",
                            {glue.cut.lowercased()}));
  }
}

// RFC 4592 §2.1.1: only a leftmost "*" label makes a wildcard; one further right is an
// ordinary label that matches only a literal "*", which is rarely what was meant.
void check_wildcard_labels(const Zone& zone, const std::vector<OwnedNode>& nodes,
                           std::vector<Finding>& found) {
  for (const OwnedNode& at : nodes) {
    if (at.node->rrsets.empty()) continue;
    for (Name n = at.owner.parent(); n.label_count() > zone.apex().label_count(); n = n.parent()) {
      if (n.first_label() != "*") continue;
      found.push_back(warning(at.owner, at.node->rrsets.front().type, "non-terminal-wildcard",
                              at.owner.to_text() + ": the label \"*\" is not the leftmost, so it "
                                                   "is no wildcard (RFC 4592 §2.1.1)",
                              {}));
      break;
    }
  }
}

std::string loop_text(const std::vector<Name>& names) {
  std::string text;
  for (const Name& n : names) text += n.to_text() + " -> ";
  return text + names.front().to_text();
}

}  // namespace

std::string_view severity_text(Severity severity) {
  return severity == Severity::kError ? "error" : "warning";
}

bool finding_before(const Finding& a, const Finding& b) {
  const auto order = a.owner.canonical_compare(b.owner);
  return order != 0 ? order < 0 : a.type < b.type;
}

std::vector<Finding> zone_warnings(const Zone& zone) {
  const std::vector<OwnedNode> nodes = sorted_nodes(zone);
  std::vector<Finding> found;
  check_targets(zone, nodes, {RRType::NS}, found);
  check_unused_glue(nodes, found);
  check_targets(zone, nodes, {RRType::MX, RRType::SRV}, found);
  check_wildcard_labels(zone, nodes, found);
  return found;
}

std::vector<GlueRecord> zone_glue(const Zone& zone) {
  return glue_of(sorted_nodes(zone));
}

ZoneCheck check_zone(const Name& apex, std::vector<Record> records) {
  return check_zone(apex, [&](const RecordSink& each) -> Status {
    for (auto& r : records)
      if (auto ok = each(std::move(r)); !ok) return ok;
    return Ok{};
  });
}

ZoneCheck check_zone(const Name& apex, const RecordSource& records) {
  auto built = build_zone_findings(apex, records);
  if (auto* errors = std::get_if<std::vector<Finding>>(&built)) return ZoneCheck{{}, *errors};
  ZonePtr zone = std::get<ZonePtr>(std::move(built));
  std::vector<Finding> warnings = zone_warnings(*zone);
  return ZoneCheck{std::move(zone), std::move(warnings)};
}

std::optional<Finding> alias_loop_from(const Name& start, const NextHop& next,
                                       std::size_t max_hops) {
  std::vector<Name> path{start.lowercased()};
  std::optional<RRType> first;
  bool through_alias = false;
  for (std::size_t hop = 0; hop < max_hops; ++hop) {
    auto step = next(path.back());
    if (!step) return std::nullopt;
    if (!first) first = step->type;
    through_alias = through_alias || step->type == RRType::ALIAS;
    Name target = step->target.lowercased();
    if (target == path.front()) {
      if (!through_alias) return std::nullopt;  // a CNAME loop: not an alias's to report
      const std::string text = loop_text(path);
      return Finding{start,
                     *first,
                     "alias-loop",
                     start.to_text() + " " + rrtype_to_text(*first) + ": ALIAS loop " + text +
                         " (following the targets comes back here: the alias can never be "
                         "flattened and answers SERVFAIL)",
                     Severity::kError,
                     std::move(path)};
    }
    if (std::find(path.begin(), path.end(), target) != path.end()) return std::nullopt;
    path.push_back(std::move(target));
  }
  return std::nullopt;
}

}  // namespace apex
