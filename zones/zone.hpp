// An immutable zone snapshot: the nodes of one zone, indexed for RFC 1034 §4.3.2 lookup.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "zones/name.hpp"
#include "zones/nsec3_lookup.hpp"
#include "zones/nsec_lookup.hpp"
#include "zones/rrtype.hpp"

namespace apex {

struct Node;

// All records of one owner and type. RDATA is packed as the wire form expects it:
// for each record, RDLENGTH (2 octets, big-endian) then the uncompressed RDATA. An ALIAS
// RRset holds one record whose target name is lower-cased: it is never put on the wire, and
// that way it is the alias table key as it stands (alias_table.hpp).
struct RRset {
  RRType type;
  std::uint32_t ttl;
  std::uint16_t count;
  std::vector<std::uint8_t> rdata;
  // Nodes holding address records for names this RRset points to (NS, MX, SRV targets)
  // inside the same zone: additional section processing (RFC 1035 §3.3.9, RFC 9471).
  std::vector<const Node*> additional;
  // The RRSIG RRset at the same node covering this RRset, or null (unsigned data). An RRSIG
  // RRset holds the signatures of one covered type: they are served with that RRset and have
  // its TTL (RFC 4034 §3), so a node may hold several RRSIG RRsets.
  const RRset* rrsig = nullptr;

  // The type an RRSIG RRset's signatures cover (RFC 4034 §3.1.1).
  RRType covered_type() const { return static_cast<RRType>(rdata[2] << 8 | rdata[3]); }
};

struct Node {
  std::string owner;  // wire form, case as in the zone data
  std::vector<RRset> rrsets;
  // The highest delegation point (non-apex NS) at or above this node, or null.
  const Node* cut = nullptr;

  const RRset* find(RRType type) const {
    for (const auto& s : rrsets)
      if (s.type == type) return &s;
    return nullptr;
  }
};

// Heterogeneous hashing so lookups can probe with a string_view into a query buffer.
struct WireKeyHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
struct WireKeyEqual {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return a == b; }
};

class Zone {
 public:
  // Keys are lower-cased wire names.
  using NodeMap = std::unordered_map<std::string, Node, WireKeyHash, WireKeyEqual>;

  Zone(Name apex, NodeMap nodes);

  const Name& apex() const { return apex_; }
  std::string_view apex_key() const { return apex_key_; }
  std::size_t apex_labels() const { return apex_labels_; }
  const Node& apex_node() const { return *apex_node_; }
  const RRset& soa() const { return *soa_; }
  std::uint32_t serial() const;
  // Negative-answer TTL: min(SOA TTL, SOA MINIMUM) (RFC 2308 §5).
  std::uint32_t negative_ttl() const { return negative_ttl_; }
  std::size_t record_count() const { return record_count_; }

  // Node for a lower-cased wire name, or null.
  const Node* find(std::string_view key) const {
    auto it = nodes_.find(key);
    return it == nodes_.end() ? nullptr : &it->second;
  }
  const NodeMap& nodes() const { return nodes_; }
  // Signed with DNSSEC: the SOA has its RRSIG (the zone's records hold their signatures).
  bool is_signed() const { return soa_->rrsig != nullptr; }
  // The NSEC owners in canonical order (empty unless the zone has an NSEC chain).
  const NsecLookup& nsec() const { return nsec_; }
  // The NSEC3 chain by hash, with its parameters (empty unless the zone has one).
  const Nsec3Lookup& nsec3() const { return nsec3_; }

 private:
  Name apex_;
  std::string apex_key_;
  std::size_t apex_labels_ = 0;
  NodeMap nodes_;
  const Node* apex_node_ = nullptr;
  const RRset* soa_ = nullptr;
  std::uint32_t negative_ttl_ = 0;
  std::size_t record_count_ = 0;
  NsecLookup nsec_;
  Nsec3Lookup nsec3_;
};

using ZonePtr = std::shared_ptr<const Zone>;

// The RDATA of each record of a packed RRset, in the order stored (views into set.rdata).
std::vector<std::span<const std::uint8_t>> rrset_rdatas(const RRset& set);
// Whether RDATA a sorts before b as left-justified unsigned octet strings (RFC 4034 §6.3).
bool rdata_less(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);
// rrset_rdatas in that order.
std::vector<std::span<const std::uint8_t>> sorted_rrset_rdatas(const RRset& set);

}  // namespace apex
