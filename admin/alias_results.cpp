// The flattener's saved results, by target and family, and what they make apexd answer.
#include "admin/alias_results.hpp"

#include <algorithm>

#include "admin/alias_settings.hpp"

namespace apex::admin {

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

std::string_view state_word(const storage::AliasTargetRow* row) {
  return row == nullptr ? std::string_view("pending") : std::string_view(row->state);
}

bool serves_addresses(std::string_view state) {
  return state == "fresh" || state == "stale";
}

namespace {

// Stored fallback lists hold canonical text: IPv6 addresses, and only they, contain ':'.
std::vector<std::string> fallbacks_of(std::string_view fallback, RRType family) {
  std::vector<std::string> out;
  for (std::string& address : split_list(fallback))
    if ((address.find(':') != std::string::npos) == (family == RRType::AAAA))
      out.push_back(std::move(address));
  return out;
}

ServedAnswer failed_answer(const storage::AliasTargetRow& row, RRType family,
                           std::uint32_t alias_ttl, std::string_view fallback) {
  using Kind = ServedAnswer::Kind;
  if (fallback.empty()) return {Kind::kServFail, {}, std::nullopt};
  ServedAnswer served{Kind::kFallback, fallbacks_of(fallback, family), std::nullopt};
  if (served.addresses.empty()) return {Kind::kNoData, {}, std::nullopt};
  // 0: a row from before the TTL served was saved (schema 3).
  if (row.served_ttl != 0) served.ttl = std::min(alias_ttl, row.served_ttl);
  return served;
}

}  // namespace

ServedAnswer served_answer(const storage::AliasTargetRow* row, RRType family,
                           std::uint32_t alias_ttl, std::string_view fallback) {
  using Kind = ServedAnswer::Kind;
  const std::string_view state = state_word(row);
  if (state == "negative") return {Kind::kNoData, {}, std::nullopt};
  if (state == "failed") return failed_answer(*row, family, alias_ttl, fallback);
  if (row == nullptr || !serves_addresses(state)) return {Kind::kServFail, {}, std::nullopt};
  ServedAnswer served{Kind::kAddresses, split_list(row->addresses), std::nullopt};
  if (served.addresses.empty()) return failed_answer(*row, family, alias_ttl, fallback);
  served.ttl = std::min(alias_ttl, row->served_ttl);
  return served;
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
