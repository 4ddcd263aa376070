// Transfer access control (see transfer_access.hpp).
#include "server/transfer_access.hpp"

#include <algorithm>

namespace apex::server {

Result<TransferAccessPtr> TransferAccess::from(const storage::TransferSettings& s) {
  auto access = std::make_shared<TransferAccess>();
  std::vector<TsigKey> keys;
  for (const auto& k : s.keys) {
    auto algorithm = tsig_algorithm_from_text(k.algorithm);
    if (!algorithm) return Error{"TSIG key " + k.name.to_text() + ": " + algorithm.error()};
    keys.push_back(TsigKey{k.name, *algorithm, k.secret});
  }
  auto keyring = TsigKeyring::create(std::move(keys));
  if (!keyring) return Error{keyring.error()};
  access->keyring_ = std::move(*keyring);
  for (const auto& sec : s.secondaries) {
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(sec.address, ec);
    if (ec) return Error{"secondary " + sec.endpoint() + ": not an IP address"};
    access->entries_.push_back(Entry{address, sec.port, sec.key, sec.all_zones, sec.zones});
  }
  return TransferAccessPtr(std::move(access));
}

bool TransferAccess::Entry::gets(const Name& zone) const {
  return all_zones || std::find(zones.begin(), zones.end(), zone) != zones.end();
}

std::vector<TransferAccess::NotifyTarget> TransferAccess::notify_targets(const Name& zone) const {
  std::vector<NotifyTarget> out;
  for (const auto& e : entries_)
    if (e.gets(zone)) out.push_back({{e.address, e.port}, e.key ? keyring_.find(*e.key) : nullptr});
  return out;
}

std::vector<TransferAccess::NotifyTarget> TransferAccess::new_notify_targets(
    const TransferAccess& before, const Name& zone) const {
  std::vector<NotifyTarget> out;
  for (const auto& e : entries_) {
    if (!e.gets(zone)) continue;
    const bool known = std::any_of(before.entries_.begin(), before.entries_.end(), [&](auto& b) {
      return b.address == e.address && b.port == e.port && b.key == e.key && b.gets(zone);
    });
    if (!known) out.push_back({{e.address, e.port}, e.key ? keyring_.find(*e.key) : nullptr});
  }
  return out;
}

std::string TransferAccess::refusal(const boost::asio::ip::address& from, const TsigKey* signer,
                                    const Name& zone) const {
  bool listed = false;
  for (const auto& e : entries_) {
    if (e.address != from) continue;
    listed = true;
    if (!e.gets(zone)) continue;
    if (!e.key) return {};
    if (signer && signer->name == *e.key) return {};
  }
  if (!listed) return "not a secondary";
  return signer ? "not allowed with key " + signer->name.to_text()
                : "not signed with the secondary's TSIG key, or zone not allowed";
}

}  // namespace apex::server
