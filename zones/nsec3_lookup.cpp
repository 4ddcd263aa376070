// Hash-ordered search over a zone's NSEC3 chain (RFC 5155 §7.2).
#include "zones/nsec3_lookup.hpp"

#include <algorithm>

#include "zones/base_encoding.hpp"
#include "zones/zone.hpp"

namespace apex {
namespace {

// NSEC3PARAM RDATA (RFC 5155 §4.2): algorithm, flags, iterations, salt length, salt.
bool read_parameters(const RRset& param, std::uint16_t& iterations,
                     std::vector<std::uint8_t>& salt) {
  const std::uint8_t* p = param.rdata.data() + 2;
  const std::size_t length = static_cast<std::size_t>(param.rdata[0]) << 8 | param.rdata[1];
  if (length < 5 || p[0] != kNsec3HashSha1 || length < 5u + p[4]) return false;
  iterations = static_cast<std::uint16_t>(p[2] << 8 | p[3]);
  salt.assign(p + 5, p + 5 + p[4]);
  return true;
}

// The NSEC3's own parameters are the zone's (RFC 5155 §3.2: algorithm, iterations, salt).
bool same_parameters(const RRset& nsec3, std::uint16_t iterations,
                     const std::vector<std::uint8_t>& salt) {
  const std::uint8_t* p = nsec3.rdata.data() + 2;
  return p[0] == kNsec3HashSha1 && (p[2] << 8 | p[3]) == iterations && p[4] == salt.size() &&
         std::equal(salt.begin(), salt.end(), p + 5);
}

}  // namespace

Nsec3Lookup::Nsec3Lookup(const Node& apex, std::vector<const Node*> nodes) {
  const RRset* param = apex.find(RRType::NSEC3PARAM);
  if (!param || !read_parameters(*param, iterations_, salt_)) return;
  for (const Node* node : nodes) {
    if (!same_parameters(*node->find(RRType::NSEC3), iterations_, salt_)) continue;
    const auto label = std::string_view(node->owner).substr(1, std::uint8_t(node->owner[0]));
    auto hash = base32hex_decode(label);
    if (!hash || hash->size() != kNsec3HashLength) continue;
    Hash key;
    std::copy(hash->begin(), hash->end(), key.begin());
    chain_.emplace_back(key, node);
  }
  std::sort(chain_.begin(), chain_.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
}

Nsec3Lookup::Hash Nsec3Lookup::hash(std::string_view name) const {
  return nsec3_hash_wire({reinterpret_cast<const std::uint8_t*>(name.data()), name.size()}, salt_,
                         iterations_);
}

const Node* Nsec3Lookup::matching(const Hash& hash) const {
  auto it = std::lower_bound(chain_.begin(), chain_.end(), hash,
                             [](const auto& entry, const Hash& h) { return entry.first < h; });
  return it != chain_.end() && it->first == hash ? it->second : nullptr;
}

const Node* Nsec3Lookup::covering(const Hash& hash) const {
  if (chain_.empty()) return nullptr;
  auto it = std::lower_bound(chain_.begin(), chain_.end(), hash,
                             [](const auto& entry, const Hash& h) { return entry.first < h; });
  return it == chain_.begin() ? chain_.back().second : (it - 1)->second;
}

}  // namespace apex
