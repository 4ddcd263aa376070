// dnssec_signatures in and out: only the rows a build changed are written.
#include "storage/signature_queries.hpp"

#include <algorithm>
#include <string>

namespace apex::storage {
namespace {

constexpr const char* kSelect =
    "SELECT owner, type_covered, key_tag, rrsig, digest FROM dnssec_signatures "
    "WHERE zone_id = ?1";
constexpr const char* kUpsert =
    "INSERT INTO dnssec_signatures (zone_id, owner, type_covered, key_tag, rrsig, digest) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (zone_id, owner, type_covered, key_tag) "
    "DO UPDATE SET rrsig = excluded.rrsig, digest = excluded.digest";
constexpr const char* kDelete =
    "DELETE FROM dnssec_signatures "
    "WHERE zone_id = ?1 AND owner = ?2 AND type_covered = ?3 AND key_tag = ?4";

Result<std::pair<SignatureKey, StoredSignature>> read_row(const Statement& st) {
  auto owner = st.blob(0);
  auto rrsig = st.blob(3);
  auto digest = st.blob(4);
  if (owner.empty() || rrsig.empty() || digest.size() != RRsetDigest{}.size())
    return Error{"a stored signature has an empty owner or RRSIG, or a digest of " +
                 std::to_string(digest.size()) + " octets"};
  SignatureKey key{{owner.begin(), owner.end()},
                   static_cast<RRType>(st.int64(1)),
                   static_cast<std::uint16_t>(st.int64(2))};
  StoredSignature value{{rrsig.begin(), rrsig.end()}, {}};
  std::copy(digest.begin(), digest.end(), value.digest.begin());
  return std::pair{std::move(key), std::move(value)};
}

Status bind_key_and_step(Statement& st, ZoneId zone, const SignatureKey& key) {
  st.bind(1, zone)
      .bind_blob(2, key.owner)
      .bind(3, std::int64_t{static_cast<std::uint16_t>(key.type_covered)})
      .bind(4, std::int64_t{key.key_tag});
  auto done = st.step();
  if (!done) return Error{done.error()};
  return Ok{};
}

Status upsert(StatementCache& sql, ZoneId zone, const SignatureKey& key,
              const StoredSignature& value) {
  auto st = sql.get(kUpsert);
  if (!st) return Error{st.error()};
  st->bind_blob(5, value.rrsig).bind_blob(6, value.digest);
  return bind_key_and_step(*st, zone, key);
}

Status erase(StatementCache& sql, ZoneId zone, const SignatureKey& key) {
  auto st = sql.get(kDelete);
  if (!st) return Error{st.error()};
  return bind_key_and_step(*st, zone, key);
}

}  // namespace

Result<ZoneSignatures> select_zone_signatures(StatementCache& sql, ZoneId zone) {
  auto st = sql.get(kSelect);
  if (!st) return Error{st.error()};
  st->bind(1, zone);
  ZoneSignatures out;
  for (;;) {
    auto row = st->step();
    if (!row) return Error{row.error()};
    if (!*row) return out;
    auto read = read_row(*st);
    if (!read) return Error{read.error()};
    out.insert(std::move(*read));
  }
}

Result<SignatureWrite> write_zone_signatures(StatementCache& sql, ZoneId zone,
                                             const ZoneSignatures& previous,
                                             const ZoneSignatures& current) {
  SignatureWrite done;
  for (const auto& [key, value] : current) {
    auto found = previous.find(key);
    if (found != previous.end() && found->second == value) continue;
    if (auto ok = upsert(sql, zone, key, value); !ok) return Error{ok.error()};
    ++done.written;
  }
  for (const auto& [key, value] : previous) {
    if (current.contains(key)) continue;
    if (auto ok = erase(sql, zone, key); !ok) return Error{ok.error()};
    ++done.deleted;
  }
  return done;
}

}  // namespace apex::storage
