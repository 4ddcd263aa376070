// Provider-owned zone apexes, keyed by their lower-cased wire form.
#include "flatten/provider_zones.hpp"

namespace apex::flatten {
namespace {

std::string key_of(const Name& apex) {
  return std::string(apex.lowercased().wire_view());
}

}  // namespace

ProviderZones::ProviderZones(const std::vector<Name>& apexes) {
  for (const Name& apex : apexes) apexes_.insert(key_of(apex));
}

bool ProviderZones::contains(const Name& apex) const {
  return apexes_.contains(key_of(apex));
}

ProviderZones ProviderZones::with(const Name& apex, bool provider) const {
  ProviderZones copy = *this;
  if (provider)
    copy.apexes_.insert(key_of(apex));
  else
    copy.apexes_.erase(key_of(apex));
  return copy;
}

}  // namespace apex::flatten
