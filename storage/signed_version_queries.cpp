// signed_versions in and out.
#include "storage/signed_version_queries.hpp"

#include <algorithm>

namespace apex::storage {
namespace {

constexpr const char* kSelect = "SELECT serial, digest FROM signed_versions WHERE zone_id = ?1";
constexpr const char* kUpsert =
    "INSERT INTO signed_versions (zone_id, serial, digest) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (zone_id) DO UPDATE SET serial = excluded.serial, digest = excluded.digest";
constexpr const char* kDelete = "DELETE FROM signed_versions WHERE zone_id = ?1";

Status step_once(Statement& st) {
  auto done = st.step();
  if (!done) return Error{done.error()};
  return Ok{};
}

}  // namespace

Result<std::optional<SignedVersion>> select_signed_version(StatementCache& sql, ZoneId zone) {
  auto st = sql.get(kSelect);
  if (!st) return Error{st.error()};
  st->bind(1, zone);
  auto row = st->step();
  if (!row) return Error{row.error()};
  if (!*row) return std::optional<SignedVersion>{};
  auto digest = st->blob(1);
  if (digest.size() != SnapshotDigest{}.size())
    return Error{"a signed version's digest has " + std::to_string(digest.size()) + " octets"};
  SignedVersion version;
  version.serial = static_cast<std::uint32_t>(st->int64(0));
  std::copy(digest.begin(), digest.end(), version.digest.begin());
  return std::optional<SignedVersion>{version};
}

Status upsert_signed_version(StatementCache& sql, ZoneId zone, const SignedVersion& version) {
  auto st = sql.get(kUpsert);
  if (!st) return Error{st.error()};
  st->bind(1, zone).bind(2, std::int64_t{version.serial}).bind_blob(3, version.digest);
  return step_once(*st);
}

Status delete_signed_version(StatementCache& sql, ZoneId zone) {
  auto st = sql.get(kDelete);
  if (!st) return Error{st.error()};
  st->bind(1, zone);
  return step_once(*st);
}

}  // namespace apex::storage
