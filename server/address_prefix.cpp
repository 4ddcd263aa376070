// CIDR prefixes of IPv4 and IPv6 addresses.
#include "server/address_prefix.hpp"

#include <netinet/in.h>

#include <charconv>
#include <cstring>

#include <boost/asio/ip/address.hpp>

namespace apex::server {
namespace {

// The address octets of a peer: 4 for IPv4, 16 for IPv6.
std::size_t address_octets(const sockaddr_storage& peer, std::array<std::uint8_t, 16>& out) {
  if (peer.ss_family == AF_INET6) {
    std::memcpy(out.data(), &reinterpret_cast<const sockaddr_in6&>(peer).sin6_addr, 16);
    return 16;
  }
  std::memcpy(out.data(), &reinterpret_cast<const sockaddr_in&>(peer).sin_addr, 4);
  return 4;
}

void clear_host_bits(std::array<std::uint8_t, 16>& bytes, unsigned length) {
  for (unsigned i = 0; i < bytes.size(); ++i) {
    const unsigned first_bit = i * 8;
    if (first_bit >= length)
      bytes[i] = 0;
    else if (length - first_bit < 8)
      bytes[i] &= static_cast<std::uint8_t>(0xff00u >> (length - first_bit));
  }
}

}  // namespace

AddressPrefix prefix_of(const sockaddr_storage& peer, unsigned length) {
  AddressPrefix p;
  p.family = peer.ss_family == AF_INET6 ? AF_INET6 : AF_INET;
  const std::size_t octets = address_octets(peer, p.bytes);
  p.length = static_cast<std::uint8_t>(std::min<std::size_t>(length, octets * 8));
  clear_host_bits(p.bytes, p.length);
  return p;
}

bool AddressPrefix::contains(const sockaddr_storage& peer) const {
  const sa_family_t peer_family = peer.ss_family == AF_INET6 ? AF_INET6 : AF_INET;
  return peer_family == family && prefix_of(peer, length).bytes == bytes;
}

std::string AddressPrefix::to_text() const {
  boost::asio::ip::address address;
  if (family == AF_INET6) {
    boost::asio::ip::address_v6::bytes_type b;
    std::memcpy(b.data(), bytes.data(), 16);
    address = boost::asio::ip::address_v6(b);
  } else {
    boost::asio::ip::address_v4::bytes_type b;
    std::memcpy(b.data(), bytes.data(), 4);
    address = boost::asio::ip::address_v4(b);
  }
  return address.to_string() + "/" + std::to_string(length);
}

Result<AddressPrefix> parse_address_prefix(std::string_view text) {
  const std::string wrong = "'" + std::string(text) + "' is not an address prefix (ADDR/LEN)";
  const auto slash = text.find('/');
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(std::string(text.substr(0, slash)), ec);
  if (ec) return Error{wrong};
  const unsigned max = address.is_v6() ? 128 : 32;
  unsigned length = max;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    auto [end, err] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
    if (digits.empty() || err != std::errc() || end != digits.data() + digits.size() ||
        length > max)
      return Error{wrong};
  }
  sockaddr_storage peer{};
  if (address.is_v6()) {
    auto& v6 = reinterpret_cast<sockaddr_in6&>(peer);
    v6.sin6_family = AF_INET6;
    const auto b = address.to_v6().to_bytes();
    std::memcpy(&v6.sin6_addr, b.data(), 16);
  } else {
    auto& v4 = reinterpret_cast<sockaddr_in&>(peer);
    v4.sin_family = AF_INET;
    const auto b = address.to_v4().to_bytes();
    std::memcpy(&v4.sin_addr, b.data(), 4);
  }
  return prefix_of(peer, length);
}

}  // namespace apex::server
