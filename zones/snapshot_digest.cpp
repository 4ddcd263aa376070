// The order-independent digest of a snapshot's zone data.
#include "zones/snapshot_digest.hpp"

#include <algorithm>
#include <span>
#include <string_view>
#include <vector>

#include "zones/openssl_ptr.hpp"

namespace apex {
namespace {

using Rdata = std::span<const std::uint8_t>;

struct Hasher {
  MdCtxPtr ctx{EVP_MD_CTX_new()};
  bool ok = ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) == 1;

  void bytes(const void* data, std::size_t length) {
    ok = ok && EVP_DigestUpdate(ctx.get(), data, length) == 1;
  }
  void number(std::uint32_t value) {
    const std::uint8_t octets[4] = {
        static_cast<std::uint8_t>(value >> 24), static_cast<std::uint8_t>(value >> 16),
        static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value)};
    bytes(octets, sizeof octets);
  }
  // Length first, so that no two sequences of fields hash the same octets.
  void field(Rdata data) {
    number(static_cast<std::uint32_t>(data.size()));
    bytes(data.data(), data.size());
  }
};

// The RRset's place among its node's: by type, an RRSIG RRset by the type it covers.
std::uint32_t order_key(const RRset& set) {
  const auto type = static_cast<std::uint32_t>(set.type);
  if (set.type != RRType::RRSIG) return type << 16;
  return type << 16 | static_cast<std::uint16_t>(set.covered_type());
}

void hash_node(Hasher& h, std::string_view key, const Node& node) {
  h.field({reinterpret_cast<const std::uint8_t*>(key.data()), key.size()});
  std::vector<const RRset*> sets;
  for (const RRset& set : node.rrsets)
    if (set.type != RRType::ALIAS) sets.push_back(&set);
  std::sort(sets.begin(), sets.end(),
            [](const RRset* a, const RRset* b) { return order_key(*a) < order_key(*b); });
  h.number(static_cast<std::uint32_t>(sets.size()));
  for (const RRset* set : sets) {
    h.number(order_key(*set));
    h.number(set->ttl);
    const std::vector<Rdata> rdatas = sorted_rrset_rdatas(*set);
    h.number(static_cast<std::uint32_t>(rdatas.size()));
    for (Rdata rdata : rdatas) h.field(rdata);
  }
}

}  // namespace

std::optional<SnapshotDigest> snapshot_digest(const Zone& zone) {
  std::vector<std::string_view> keys;
  keys.reserve(zone.nodes().size());
  for (const auto& [key, node] : zone.nodes()) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  Hasher h;
  for (std::string_view key : keys) hash_node(h, key, *zone.find(key));
  SnapshotDigest digest{};
  unsigned int length = 0;
  if (!h.ok || EVP_DigestFinal_ex(h.ctx.get(), digest.data(), &length) != 1 ||
      length != digest.size())
    return std::nullopt;
  return digest;
}

}  // namespace apex
