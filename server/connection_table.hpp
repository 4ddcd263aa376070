// Admission of TCP connections across all workers: a total limit, so descriptors never run
// out, and a per-client limit (IPv4 address, IPv6 /64), so one client cannot hold every slot.
// Consulted on accept and close only, never per query.
#pragma once

#include <cstdint>
#include <mutex>
#include <unordered_map>

#include <boost/asio/ip/address.hpp>

namespace apex::server {

// A client as far as connection limits go: an IPv4 address, or the /64 of an IPv6 address
// (one subscriber's allocation, RFC 6177).
struct ClientKey {
  bool v6 = false;
  std::uint64_t bits = 0;

  static ClientKey of(const boost::asio::ip::address& address);
  friend bool operator==(const ClientKey&, const ClientKey&) = default;
};

struct ClientKeyHash {
  std::size_t operator()(const ClientKey& k) const {
    return std::hash<std::uint64_t>{}(k.bits) ^ static_cast<std::size_t>(k.v6);
  }
};

enum class Admission { kAdmitted, kTotalFull, kClientFull };

class ConnectionTable {
 public:
  ConnectionTable(unsigned max_total, unsigned max_per_client)
      : max_total_(max_total), max_per_client_(max_per_client) {}

  Admission try_admit(const ClientKey& client);
  void release(const ClientKey& client);

  unsigned open() const;
  unsigned max_total() const { return max_total_; }

 private:
  mutable std::mutex mutex_;
  std::unordered_map<ClientKey, unsigned, ClientKeyHash> per_client_;
  unsigned total_ = 0;
  unsigned max_total_;
  unsigned max_per_client_;
};

}  // namespace apex::server
