// The flattener's saved results, by target and family, and what they make apexd answer.
#include "admin/alias_results.hpp"

#include <algorithm>

#include "flatten/alias_spec_builder.hpp"
#include "flatten/sqlite_state_store.hpp"
#include "zones/ip_address_text.hpp"

namespace apex::admin {
namespace {

constexpr RRType kFamilies[] = {RRType::A, RRType::AAAA};

// The addresses of a packed A or AAAA RRset (2-octet length before each RDATA).
std::vector<std::string> address_texts(const RRset& rrset) {
  std::vector<std::string> out;
  const std::vector<std::uint8_t>& packed = rrset.rdata;
  for (std::size_t pos = 0; pos + 2 <= packed.size();) {
    const std::size_t length = (std::size_t{packed[pos]} << 8) | packed[pos + 1];
    pos += 2;
    if (pos + length > packed.size()) break;
    const std::span<const std::uint8_t> address(packed.data() + pos, length);
    out.push_back(length == 4 ? ipv4_to_text(address) : ipv6_to_text(address));
    pos += length;
  }
  return out;
}

ServedAnswer::Kind kind_of(const flatten::ServedFamily& served) {
  using Kind = ServedAnswer::Kind;
  switch (served.result.state) {
    case AliasState::kAddresses:
      return served.from == flatten::ServedFrom::kFallback ? Kind::kFallback : Kind::kAddresses;
    case AliasState::kNoData:
      return Kind::kNoData;
    case AliasState::kPending:
    case AliasState::kFailed:
      break;
  }
  return Kind::kServFail;
}

}  // namespace

AliasResults::AliasResults(std::vector<storage::AliasTargetRow> rows) : rows_(std::move(rows)) {
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    const std::string key(rows_[i].target.lowercased().wire_view());
    index_.emplace(std::pair(key, rows_[i].family), i);
  }
}

const storage::AliasTargetRow* AliasResults::find(const Name& target, RRType family) const {
  auto it = index_.find(
      std::pair(std::string(target.lowercased().wire_view()), static_cast<std::uint16_t>(family)));
  return it == index_.end() ? nullptr : &rows_[it->second];
}

flatten::TargetState AliasResults::state_of(const Name& target) const {
  flatten::TargetState state;
  state.target = target;
  for (RRType family : kFamilies) {
    const storage::AliasTargetRow* row = find(target, family);
    if (row == nullptr) continue;
    if (auto loaded = flatten::from_row(*row)) state.of(family) = std::move(loaded).value();
  }
  return state;
}

std::string AliasResults::unreadable(const Name& target, RRType family) const {
  const storage::AliasTargetRow* row = find(target, family);
  if (row == nullptr) return "";
  auto loaded = flatten::from_row(*row);
  return loaded ? "" : loaded.error();
}

std::string_view state_word(const storage::AliasTargetRow* row) {
  return row == nullptr ? std::string_view("pending") : std::string_view(row->state);
}

std::optional<std::chrono::seconds> AliasResults::saved_stale_ttl(const Name& target) const {
  for (RRType family : kFamilies) {
    const storage::AliasTargetRow* row = find(target, family);
    if (row == nullptr || row->served_ttl == 0) continue;  // 0: saved before schema 4
    auto f = flatten::from_row(*row);
    if (!f) continue;
    // Then the row's served TTL is the stale TTL (flatten::served_ttl).
    const bool nothing_left = f->state == AliasState::kFailed ||
                              (f->state == AliasState::kAddresses && f->addresses.empty());
    if (nothing_left || flatten::serves_stale(*f)) return std::chrono::seconds(row->served_ttl);
  }
  return std::nullopt;
}

ServedAnswer served_answer(const AliasEntry& alias, RRType family, const AliasResults& results,
                           const flatten::FlattenPolicy& policy) {
  const flatten::TargetState target = results.state_of(alias.target);
  const flatten::AliasSpec spec =
      flatten::alias_spec(alias.owner, alias.target, alias.ttl, &alias.settings);
  flatten::FlattenPolicy saved = policy;
  saved.stale_ttl = results.saved_stale_ttl(alias.target).value_or(policy.stale_ttl);
  flatten::ServedFamily served =
      flatten::served_family(target, spec, family, flatten::assume_healthy, saved);
  ServedAnswer answer;
  answer.kind = kind_of(served);
  if (served.result.state == AliasState::kAddresses) {
    answer.addresses = address_texts(served.result.addresses);
    answer.ttl = std::min(alias.ttl, served.result.addresses.ttl);
    answer.stale = served.result.stale;
  }
  answer.result = std::move(served.result);
  return answer;
}

std::string_view to_text(ServedAnswer::Kind kind) {
  switch (kind) {
    case ServedAnswer::Kind::kAddresses:
      return "addresses";
    case ServedAnswer::Kind::kFallback:
      return "fallback";
    case ServedAnswer::Kind::kNoData:
      return "nodata";
    case ServedAnswer::Kind::kServFail:
      return "servfail";
  }
  return "?";
}

}  // namespace apex::admin
