// Conversions between TargetState families and alias_state rows; addresses and chains are
// kept as readable text so the CLI can show them as they are.
#include "flatten/sqlite_state_store.hpp"

#include <map>
#include <sstream>

#include "flatten/wall_clock.hpp"
#include "zones/ip_address_text.hpp"

namespace apex::flatten {
namespace {

std::string addresses_text(const std::vector<Address>& addresses) {
  std::string out;
  for (const auto& a : addresses) {
    if (!out.empty()) out += ",";
    out += a.size() == 4 ? ipv4_to_text(a) : ipv6_to_text(a);
  }
  return out;
}

Result<std::vector<Address>> parse_addresses(const std::string& text) {
  std::vector<Address> out;
  std::istringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (auto v4 = ipv4_from_text(item))
      out.emplace_back(v4->begin(), v4->end());
    else if (auto v6 = ipv6_from_text(item))
      out.emplace_back(v6->begin(), v6->end());
    else
      return Error{"stored address '" + item + "' is not an IP address"};
  }
  return out;
}

std::string chain_text(const std::vector<Name>& chain) {
  std::string out;
  for (const auto& n : chain) out += (out.empty() ? "" : " ") + n.to_text();
  return out;
}

Result<std::vector<Name>> parse_chain(const std::string& text) {
  std::vector<Name> out;
  std::istringstream in(text);
  std::string item;
  while (in >> item) {
    auto name = Name::from_text(item);
    if (!name) return Error{"stored chain: " + name.error()};
    out.push_back(std::move(*name));
  }
  return out;
}

Result<ResultSource> source_of(const std::string& word) {
  if (word.empty()) return ResultSource::kNone;
  if (word == "local") return ResultSource::kLocal;
  if (word == "upstream") return ResultSource::kUpstream;
  return Error{"stored source '" + word + "' is unknown"};
}

Result<AliasState> state_of(const std::string& word) {
  if (word == "fresh" || word == "stale") return AliasState::kAddresses;
  if (word == "negative") return AliasState::kNoData;
  if (word == "failed") return AliasState::kFailed;
  if (word == "pending") return AliasState::kPending;
  return Error{"stored state '" + word + "' is unknown"};
}

}  // namespace

storage::AliasTargetRow to_row(const Name& target, RRType family, const TargetState::Family& f,
                               std::int64_t now_ms, std::chrono::seconds stale_ttl) {
  storage::AliasTargetRow row;
  row.target = target;
  row.family = static_cast<std::uint16_t>(family);
  row.state = std::string(to_text(status_of(f, now_ms)));
  row.addresses = addresses_text(f.addresses);
  row.ttl = f.ttl;
  row.chain = chain_text(f.chain);
  row.last_success_ms = f.last_success_ms;
  row.last_attempt_ms = f.last_attempt_ms;
  row.failing_since_ms = f.failing_since_ms;
  row.negative_since_ms = f.negative_since_ms;
  row.next_refresh_ms = f.next_refresh_ms;
  row.last_error = f.last_error;
  row.last_error_ms = f.last_error_ms;
  row.consecutive_failures = f.consecutive_failures;
  row.served_ttl = served_ttl(f, stale_ttl_seconds(stale_ttl));
  row.source = std::string(to_text(f.source));
  return row;
}

Result<TargetState::Family> from_row(const storage::AliasTargetRow& row) {
  TargetState::Family f;
  auto state = state_of(row.state);
  auto addresses = parse_addresses(row.addresses);
  auto chain = parse_chain(row.chain);
  auto source = source_of(row.source);
  if (!state) return Error{state.error()};
  if (!source) return Error{source.error()};
  if (!addresses) return Error{addresses.error()};
  if (!chain) return Error{chain.error()};
  f.state = *state;
  f.addresses = std::move(*addresses);
  f.ttl = row.ttl;
  f.chain = std::move(*chain);
  f.last_success_ms = row.last_success_ms;
  f.last_attempt_ms = row.last_attempt_ms;
  f.failing_since_ms = row.failing_since_ms;
  f.negative_since_ms = row.negative_since_ms;
  f.next_refresh_ms = row.next_refresh_ms;
  f.last_error = row.last_error;
  f.last_error_ms = row.last_error_ms;
  f.consecutive_failures = row.consecutive_failures;
  f.source = *source;
  return f;
}

void SqliteStateStore::replace_database(std::unique_ptr<storage::Database> db) {
  std::lock_guard lock(mutex_);
  db_ = std::move(db);
}

Result<storage::Database*> SqliteStateStore::connection() {
  if (!db_) return Error{"the database is being reopened"};
  return db_.get();
}

Result<std::vector<TargetState>> SqliteStateStore::load() {
  std::lock_guard lock(mutex_);
  auto db = connection();
  if (!db) return Error{db.error()};
  auto rows = (*db)->alias_targets();
  if (!rows) return Error{rows.error()};
  std::map<Name, TargetState, CanonicalLess> targets;
  for (const auto& row : *rows) {
    auto family = from_row(row);
    if (!family) return Error{"alias state of " + row.target.to_text() + ": " + family.error()};
    TargetState& t = targets[row.target];
    t.target = row.target;
    t.of(static_cast<RRType>(row.family)) = std::move(*family);
  }
  std::vector<TargetState> out;
  for (auto& [name, state] : targets) out.push_back(std::move(state));
  return out;
}

Status SqliteStateStore::save(const std::vector<TargetState>& changed) {
  std::lock_guard lock(mutex_);
  auto db = connection();
  if (!db) return Error{db.error()};
  if ((*db)->read_only()) return Ok{};  // results live in memory only (apexd warned at start)
  const std::int64_t now = system_now_ms();
  std::vector<storage::AliasTargetRow> rows;
  for (const auto& t : changed) {
    rows.push_back(to_row(t.target, RRType::A, t.a, now, stale_ttl_));
    rows.push_back(to_row(t.target, RRType::AAAA, t.aaaa, now, stale_ttl_));
  }
  return (*db)->save_alias_targets(rows);
}

Status SqliteStateStore::remove(const std::vector<Name>& targets) {
  std::lock_guard lock(mutex_);
  auto db = connection();
  if (!db) return Error{db.error()};
  if ((*db)->read_only()) return Ok{};
  return (*db)->transaction([&]() -> Status {
    for (const auto& t : targets)
      if (auto done = (*db)->forget_alias_target(t); !done) return done;
    return Ok{};
  });
}

}  // namespace apex::flatten
