// How names are kept in the database: lower-cased absolute presentation form ("example.com."),
// so UNIQUE constraints and lookups are case-insensitive (RFC 4343) without a collation.
#pragma once

#include <string>
#include <string_view>

#include "zones/name.hpp"
#include "zones/result.hpp"

namespace apex::storage {

// The stored form of a name (zone apexes, owners, targets, key names).
inline std::string name_key(const Name& name) {
  return name.lowercased().to_text();
}

// A name read back from a column; what names the column for the error.
inline Result<Name> stored_name(std::string_view text, std::string_view what) {
  auto name = Name::from_text(text);
  if (!name)
    return Error{"stored " + std::string(what) + " '" + std::string(text) +
                 "' is not a valid name: " + name.error()};
  return name;
}

}  // namespace apex::storage
