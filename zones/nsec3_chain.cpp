// The NSEC3 chain of a zone (RFC 5155 §7.1).
#include "zones/nsec3_chain.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "zones/type_bitmap.hpp"

namespace apex {
namespace {

using Hash = std::array<std::uint8_t, kNsec3HashLength>;

bool has(const std::vector<RRType>& types, RRType type) {
  return std::find(types.begin(), types.end(), type) != types.end();
}

bool is_unsigned_delegation(const OwnerTypes& o, const Name& apex) {
  return !(o.owner == apex) && has(o.types, RRType::NS) && !has(o.types, RRType::DS);
}

// The chain's names with their types; empty non-terminals get no types.
std::map<Name, std::vector<RRType>, CanonicalLess> chain_names(std::span<const OwnerTypes> owners,
                                                               const Name& apex, bool opt_out) {
  std::map<Name, std::vector<RRType>, CanonicalLess> names;
  for (const auto& o : owners) {
    if (opt_out && is_unsigned_delegation(o, apex)) continue;
    std::vector<RRType> types = o.types;
    if (!is_unsigned_delegation(o, apex)) types.push_back(RRType::RRSIG);
    names[o.owner] = std::move(types);
    for (Name up = o.owner.parent(); up.is_subdomain_of(apex) && !(up == o.owner);
         up = up.parent()) {
      names.try_emplace(up);  // an empty non-terminal unless it has data of its own
      if (up == apex) break;
    }
  }
  return names;
}

std::vector<std::uint8_t> nsec3_rdata(const Nsec3Parameters& p, const Hash& next,
                                      const std::vector<RRType>& types) {
  std::vector<std::uint8_t> out;
  out.reserve(6 + p.salt.size() + next.size() + 34);
  for (std::uint8_t octet :
       {kNsec3HashSha1, static_cast<std::uint8_t>(p.opt_out ? kNsec3OptOutFlag : 0),
        static_cast<std::uint8_t>(p.iterations >> 8), static_cast<std::uint8_t>(p.iterations),
        static_cast<std::uint8_t>(p.salt.size())})
    out.push_back(octet);
  out.insert(out.end(), p.salt.begin(), p.salt.end());
  out.push_back(static_cast<std::uint8_t>(next.size()));
  out.insert(out.end(), next.begin(), next.end());
  auto bitmap = encode_type_bitmap(types);
  out.insert(out.end(), bitmap.begin(), bitmap.end());
  return out;
}

}  // namespace

Result<std::vector<Record>> nsec3_chain(std::span<const OwnerTypes> owners, const Name& apex,
                                        const Nsec3Parameters& parameters, std::uint32_t ttl) {
  // Hash order is the order of the base32hex labels, which is the octet order of the hashes
  // (RFC 5155 §7.1: base32hex keeps the order).
  std::map<Hash, const std::vector<RRType>*> by_hash;
  auto names = chain_names(owners, apex, parameters.opt_out);
  for (const auto& [name, types] : names) {
    auto [it, inserted] =
        by_hash.emplace(nsec3_hash(name, parameters.salt, parameters.iterations), &types);
    if (!inserted) return Error{"two names of the zone have the same NSEC3 hash"};
  }
  std::vector<Record> out;
  out.reserve(by_hash.size());
  for (auto it = by_hash.begin(); it != by_hash.end(); ++it) {
    auto next = std::next(it) == by_hash.end() ? by_hash.begin() : std::next(it);
    auto owner = nsec3_owner(it->first, apex);
    if (!owner) return Error{"NSEC3 owner under " + apex.to_text() + ": " + owner.error()};
    out.push_back(Record{std::move(*owner), RRType::NSEC3, RRClass::IN, ttl,
                         nsec3_rdata(parameters, next->first, *it->second)});
  }
  return out;
}

}  // namespace apex
