// The zones the operator marks as provider-owned: the only served zones in which ALIAS targets
// are resolved locally (a customer's zone named like a CDN's must not capture other customers'
// aliases; every other target is asked of the recursive resolvers).
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "zones/name.hpp"

namespace apex::flatten {

class ProviderZones {
 public:
  ProviderZones() = default;
  explicit ProviderZones(const std::vector<Name>& apexes);

  // Whether the zone at apex is provider-owned (compared case-insensitively, RFC 4343).
  bool contains(const Name& apex) const;
  // A copy with apex marked (provider) or unmarked.
  ProviderZones with(const Name& apex, bool provider) const;
  std::size_t size() const { return apexes_.size(); }

 private:
  std::set<std::string> apexes_;  // lower-cased wire form
};

// Immutable once handed over: a change makes a new one, so the flattener's strand and the
// server's threads share it without locks.
using ProviderZonesPtr = std::shared_ptr<const ProviderZones>;

}  // namespace apex::flatten
