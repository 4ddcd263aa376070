// TCP admission counts (see connection_table.hpp).
#include "server/connection_table.hpp"

namespace apex::server {

ClientKey ClientKey::of(const boost::asio::ip::address& address) {
  ClientKey key;
  if (address.is_v4()) {
    key.bits = address.to_v4().to_uint();
    return key;
  }
  const auto bytes = address.to_v6().to_bytes();
  key.v6 = true;
  for (int i = 0; i < 8; ++i) key.bits = key.bits << 8 | bytes[i];
  return key;
}

Admission ConnectionTable::try_admit(const ClientKey& client) {
  std::lock_guard lock(mutex_);
  if (total_ >= max_total_) return Admission::kTotalFull;
  unsigned& mine = per_client_[client];
  if (mine >= max_per_client_) return Admission::kClientFull;
  ++mine;
  ++total_;
  return Admission::kAdmitted;
}

void ConnectionTable::release(const ClientKey& client) {
  std::lock_guard lock(mutex_);
  auto it = per_client_.find(client);
  if (it == per_client_.end()) return;
  --total_;
  if (--it->second == 0) per_client_.erase(it);
}

unsigned ConnectionTable::open() const {
  std::lock_guard lock(mutex_);
  return total_;
}

}  // namespace apex::server
