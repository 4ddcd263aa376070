// Text alias settings to typed columns: run once, inside the schema 11 migration.
#include "storage/alias_settings_upgrade.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/statement.hpp"
#include "zones/ip_address_text.hpp"

namespace apex::storage {
namespace {

using Address = std::vector<std::uint8_t>;

struct Typed {
  std::vector<std::uint8_t> a, aaaa;  // packed, as the columns hold them
  std::optional<std::int64_t> port;
};

void add_packed(std::vector<Address> addresses, std::vector<std::uint8_t>& column) {
  std::sort(addresses.begin(), addresses.end());
  addresses.erase(std::unique(addresses.begin(), addresses.end()), addresses.end());
  for (const Address& a : addresses) column.insert(column.end(), a.begin(), a.end());
}

Typed typed(std::string_view fallback, std::string_view health) {
  std::vector<Address> v4s, v6s;
  while (!fallback.empty()) {
    const std::size_t comma = std::min(fallback.find(','), fallback.size());
    const std::string_view item = fallback.substr(0, comma);
    if (auto v4 = ipv4_from_text(item)) v4s.emplace_back(v4->begin(), v4->end());
    if (auto v6 = ipv6_from_text(item)) v6s.emplace_back(v6->begin(), v6->end());
    fallback.remove_prefix(std::min(comma + 1, fallback.size()));
  }
  Typed out;
  add_packed(std::move(v4s), out.a);
  add_packed(std::move(v6s), out.aaaa);
  constexpr std::string_view kTcp = "tcp:";
  if (health.substr(0, kTcp.size()) == kTcp) {
    const std::string_view digits = health.substr(kTcp.size());
    unsigned port = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec == std::errc() && end == digits.data() + digits.size() && port >= 1 && port <= 65535)
      out.port = port;
  }
  return out;
}

}  // namespace

Status convert_alias_settings_text(sqlite3* db) {
  auto select =
      PreparedStatement::prepare(db, "SELECT rowid, fallback, health FROM alias_settings", false);
  if (!select) return Error{select.error()};
  auto update = PreparedStatement::prepare(
      db,
      "UPDATE alias_settings SET fallback_a = ?2, fallback_aaaa = ?3, health_port = ?4 "
      "WHERE rowid = ?1",
      false);
  if (!update) return Error{update.error()};
  Statement rows(select->get());
  for (;;) {
    auto row = rows.step();
    if (!row) return Error{row.error()};
    if (!*row) return Ok{};
    const Typed t = typed(rows.text(1), rows.text(2));
    Statement write(update->get());
    write.bind(1, rows.int64(0)).bind_blob(2, t.a).bind_blob(3, t.aaaa);
    if (t.port) write.bind(4, *t.port);
    if (auto done = write.run(); !done) return done;
  }
}

}  // namespace apex::storage
