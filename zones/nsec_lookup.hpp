// The owners of a zone's NSEC records in canonical order (RFC 4034 §6.1), sorted once when
// the snapshot is built, so the answer engine finds the NSEC that matches or covers a name
// (RFC 4035 §3.1.3) by binary search.
#pragma once

#include <string_view>
#include <vector>

namespace apex {

struct Node;

class NsecLookup {
 public:
  NsecLookup() = default;
  // nodes: every node of the zone that holds an NSEC RRset, in any order.
  explicit NsecLookup(std::vector<const Node*> nodes);

  bool empty() const { return owners_.empty(); }
  // The node whose NSEC owner is the name or the closest before it in canonical order: its
  // NSEC matches the name or covers it (the chain is circular, so a name before every owner
  // is covered by the last NSEC). Null when the zone has no NSEC. name is a wire name.
  const Node* covering(std::string_view name) const;

 private:
  std::vector<const Node*> owners_;
};

}  // namespace apex
