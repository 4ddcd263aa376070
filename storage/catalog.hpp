// What the database holds of the catalog zone apexd produces (RFC 9432): its name, its
// serial and the member label of every stored zone.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "zones/catalog_zone.hpp"
#include "zones/name.hpp"

namespace apex::storage {

struct CatalogState {
  std::optional<Name> name;  // lower-case; none while no catalog is set
  std::uint32_t serial = 0;  // RFC 1982, never 0; moves on whenever membership changes

  friend bool operator==(const CatalogState&, const CatalogState&) = default;
};

// The state and every stored zone as a member, by zone name, read in one transaction.
struct Catalog {
  CatalogState state;
  std::vector<CatalogMember> members;
};

}  // namespace apex::storage
