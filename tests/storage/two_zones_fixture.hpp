// A database with two zones, shop.test. and blog.test., each holding only its SOA: the
// starting point of the storage specifications about what hangs off zones.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <memory>

#include "storage/database.hpp"

namespace apex::storage::test {

inline Name name(const char* text) {
  return Name::from_text(text).value();
}

inline Record soa(const char* apex) {
  return Record{name(apex), RRType::SOA, RRClass::IN, 60, {0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0,
                                                           0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5}};
}

inline std::unique_ptr<Database> with_zones(const std::filesystem::path& path) {
  auto db = Database::open(path, OpenMode::kCreate).value();
  for (const char* apex : {"shop.test.", "blog.test."})
    REQUIRE(db->replace_zone(name(apex), {soa(apex)}).ok());
  return db;
}

}  // namespace apex::storage::test
