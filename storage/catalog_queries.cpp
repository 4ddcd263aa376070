// The SQL over the catalog table and the zones' member labels (schema in migrations.cpp).
#include "storage/catalog_queries.hpp"

#include <string>

#include "storage/stored_name.hpp"

namespace apex::storage {

Result<CatalogState> select_catalog_state(StatementCache& sql) {
  auto st = sql.get("SELECT name, serial FROM catalog WHERE id = 1");
  if (!st) return Error{st.error()};
  auto row = st->step();
  if (!row) return Error{row.error()};
  if (!*row) return Error{"the catalog row is missing"};
  CatalogState state;
  state.serial = static_cast<std::uint32_t>(st->int64(1));
  if (st->is_null(0)) return state;
  auto name = stored_name(st->text(0), "catalog name");
  if (!name) return Error{name.error()};
  state.name = std::move(name).value();
  return state;
}

Result<std::vector<CatalogMember>> select_catalog_members(StatementCache& sql) {
  auto st = sql.get("SELECT name, catalog_label FROM zones ORDER BY name");
  if (!st) return Error{st.error()};
  std::vector<CatalogMember> members;
  for (;;) {
    auto row = st->step();
    if (!row) return Error{row.error()};
    if (!*row) return members;
    auto zone = stored_name(st->text(0), "zone name");
    if (!zone) return Error{zone.error()};
    members.push_back(CatalogMember{std::move(zone).value(), std::string(st->text(1))});
  }
}

Status update_catalog_name(StatementCache& sql, const std::optional<Name>& name) {
  auto st = sql.get("UPDATE catalog SET name = ?1 WHERE id = 1");
  if (!st) return Error{st.error()};
  if (name) st->bind(1, name_key(*name));
  return st->run();
}

Status bump_catalog_serial(StatementCache& sql) {
  auto st = sql.get(
      "UPDATE catalog SET serial = CASE WHEN serial >= 4294967295 THEN 1 ELSE serial + 1 END "
      "WHERE id = 1");
  if (!st) return Error{st.error()};
  return st->run();
}

}  // namespace apex::storage
