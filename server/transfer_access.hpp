// Who may transfer which zone (RFC 5936 §6): the secondaries configured with `apexctl
// secondary add`, by source address, each with the TSIG key it must sign with, and the keys
// themselves. Immutable: a change of settings publishes a new one.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/udp.hpp>

#include "storage/transfer_settings.hpp"
#include "zones/name.hpp"
#include "zones/result.hpp"
#include "zones/tsig_key.hpp"

namespace apex::server {

class TransferAccess {
 public:
  TransferAccess() = default;
  static Result<std::shared_ptr<const TransferAccess>> from(const storage::TransferSettings& s);

  // RFC 5936 §6 and RFC 8945: the source address must belong to a secondary that gets zone;
  // if that secondary has a key, the request must be signed with it. A valid signature by
  // any other key does not open the address list. Empty when allowed, else why not.
  std::string refusal(const boost::asio::ip::address& from, const TsigKey* signer,
                      const Name& zone) const;

  // Where NOTIFY for zone goes (RFC 1996 §3.6): every secondary that gets the zone, at its
  // address and port, with the key it signs with (or null).
  struct NotifyTarget {
    boost::asio::ip::udp::endpoint to;
    const TsigKey* key;
  };
  std::vector<NotifyTarget> notify_targets(const Name& zone) const;
  // The notify_targets of zone that before did not have with the same key: a secondary
  // added, given the zone, or given another key. It has not transferred the zone from here
  // (or not with this key), so it is told at once rather than at its next SOA refresh.
  std::vector<NotifyTarget> new_notify_targets(const TransferAccess& before,
                                               const Name& zone) const;

  const TsigKeyring& keyring() const { return keyring_; }
  std::size_t secondaries() const { return entries_.size(); }

 private:
  struct Entry {
    boost::asio::ip::address address;
    std::uint16_t port = 53;
    std::optional<Name> key;
    bool all_zones = true;
    std::vector<Name> zones;

    bool gets(const Name& zone) const;
  };
  TsigKeyring keyring_;
  std::vector<Entry> entries_;
};

using TransferAccessPtr = std::shared_ptr<const TransferAccess>;

}  // namespace apex::server
