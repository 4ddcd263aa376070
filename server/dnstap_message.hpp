// dnstap payloads (https://dnstap.info): AUTH_QUERY and AUTH_RESPONSE messages in the protobuf
// encoding of the dnstap schema, the fields of server/dnstap/dnstap.proto.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/ip/address.hpp>

namespace apex::server {

// Message.Type: what an authoritative server sees (the AQ and AR ends of the schema's diagram).
enum class DnstapType : std::uint8_t { kAuthQuery = 1, kAuthResponse = 2 };

// SocketProtocol: the transport the query came over.
enum class DnstapProtocol : std::uint8_t { kUdp = 1, kTcp = 2 };

// Seconds and nanoseconds since 1970 (query_time_* and response_time_*).
struct DnstapTime {
  std::uint64_t sec = 0;
  std::uint32_t nsec = 0;
};

// The wall clock (CLOCK_REALTIME), as dnstap times are.
DnstapTime dnstap_now();

// An address and port as dnstap carries them: the address in network order, 4 octets for IPv4
// (SocketFamily INET) or 16 for IPv6 (INET6). An empty address or port 0 is left out.
struct DnstapEndpoint {
  std::array<std::uint8_t, 16> address{};
  std::uint8_t address_size = 0;
  std::uint16_t port = 0;

  static DnstapEndpoint of(const sockaddr_storage& peer);
  // The unspecified address (a wildcard listener) is not an address a client sent to: left out.
  static DnstapEndpoint of(const boost::asio::ip::address& address, std::uint16_t port);
};

// One query and its answer; response is empty when none was sent.
struct DnstapExchange {
  DnstapProtocol protocol = DnstapProtocol::kUdp;
  DnstapEndpoint client;  // query_address, query_port: the initiator
  DnstapEndpoint server;  // response_address, response_port: this server
  DnstapTime query_time;
  DnstapTime response_time;
  std::span<const std::uint8_t> query;
  std::span<const std::uint8_t> response;
};

// Encodes Dnstap payloads with this server's identity and version. The schema's recommended
// fields: AUTH_QUERY carries the query and its time, AUTH_RESPONSE the query time, the
// response and its time; both the family, protocol, addresses and ports.
class DnstapEncoder {
 public:
  DnstapEncoder(std::string identity, std::string version);

  std::size_t size(DnstapType type, const DnstapExchange& exchange) const;
  // Writes exactly size(type, exchange) octets at out.
  void encode(DnstapType type, const DnstapExchange& exchange, std::uint8_t* out) const;
  std::vector<std::uint8_t> encode(DnstapType type, const DnstapExchange& exchange) const;

 private:
  std::string identity_, version_;
};

}  // namespace apex::server
