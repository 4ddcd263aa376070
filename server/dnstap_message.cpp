// Protobuf encoding of dnstap payloads, written directly: a payload is a dozen scalar and
// byte-string fields, so one pass counts its size and a second writes it into the buffer the
// frame is submitted in, with no intermediate message objects on the query path.
#include "server/dnstap_message.hpp"

#include <netinet/in.h>

#include <cstring>
#include <ctime>

namespace apex::server {
namespace {

// Protobuf wire types (https://protobuf.dev/programming-guides/encoding/).
enum WireType : unsigned { kVarint = 0, kLengthDelimited = 2, kFixed32 = 5 };

// Field numbers of dnstap.proto.
namespace dnstap_field {
constexpr unsigned kIdentity = 1, kVersion = 2, kMessage = 14, kType = 15;
}
namespace message_field {
constexpr unsigned kType = 1, kSocketFamily = 2, kSocketProtocol = 3, kQueryAddress = 4,
                   kResponseAddress = 5, kQueryPort = 6, kResponsePort = 7, kQueryTimeSec = 8,
                   kQueryTimeNsec = 9, kQueryMessage = 10, kResponseTimeSec = 12,
                   kResponseTimeNsec = 13, kResponseMessage = 14;
}
constexpr std::uint64_t kDnstapTypeMessage = 1;             // Dnstap.Type MESSAGE
constexpr std::uint64_t kFamilyInet = 1, kFamilyInet6 = 2;  // SocketFamily

constexpr std::size_t varint_size(std::uint64_t v) {
  std::size_t n = 1;
  for (; v >= 0x80; v >>= 7) ++n;
  return n;
}

// Counts the octets the fields would take.
struct Counter {
  std::size_t size = 0;
  void varint(unsigned, std::uint64_t v) { size += 1 + varint_size(v); }
  void fixed32(unsigned, std::uint32_t) { size += 1 + 4; }
  void bytes(unsigned, std::span<const std::uint8_t> b) {
    size += 1 + varint_size(b.size()) + b.size();
  }
};

// Writes the fields; every field number here is below 16, so each tag is one octet.
struct Writer {
  std::uint8_t* at;
  void raw_varint(std::uint64_t v) {
    for (; v >= 0x80; v >>= 7) *at++ = static_cast<std::uint8_t>(v | 0x80);
    *at++ = static_cast<std::uint8_t>(v);
  }
  void tag(unsigned field, WireType type) { *at++ = static_cast<std::uint8_t>(field << 3 | type); }
  void varint(unsigned field, std::uint64_t v) {
    tag(field, kVarint);
    raw_varint(v);
  }
  void fixed32(unsigned field, std::uint32_t v) {  // little-endian
    tag(field, kFixed32);
    for (int i = 0; i < 4; ++i) *at++ = static_cast<std::uint8_t>(v >> (8 * i));
  }
  void bytes(unsigned field, std::span<const std::uint8_t> b) {
    tag(field, kLengthDelimited);
    raw_varint(b.size());
    if (!b.empty()) std::memcpy(at, b.data(), b.size());
    at += b.size();
  }
};

std::span<const std::uint8_t> address_of(const DnstapEndpoint& e) {
  return {e.address.data(), e.address_size};
}

std::span<const std::uint8_t> text(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// The Message fields, in field-number order.
template <class Out>
void message_fields(Out& out, DnstapType type, const DnstapExchange& e) {
  using namespace message_field;
  out.varint(kType, static_cast<std::uint64_t>(type));
  if (e.client.address_size != 0)
    out.varint(kSocketFamily, e.client.address_size == 4 ? kFamilyInet : kFamilyInet6);
  out.varint(kSocketProtocol, static_cast<std::uint64_t>(e.protocol));
  if (e.client.address_size != 0) out.bytes(kQueryAddress, address_of(e.client));
  if (e.server.address_size != 0) out.bytes(kResponseAddress, address_of(e.server));
  if (e.client.port != 0) out.varint(kQueryPort, e.client.port);
  if (e.server.port != 0) out.varint(kResponsePort, e.server.port);
  out.varint(kQueryTimeSec, e.query_time.sec);
  out.fixed32(kQueryTimeNsec, e.query_time.nsec);
  if (type == DnstapType::kAuthQuery) {
    out.bytes(kQueryMessage, e.query);
    return;
  }
  out.varint(kResponseTimeSec, e.response_time.sec);
  out.fixed32(kResponseTimeNsec, e.response_time.nsec);
  out.bytes(kResponseMessage, e.response);
}

std::size_t message_size(DnstapType type, const DnstapExchange& e) {
  Counter c;
  message_fields(c, type, e);
  return c.size;
}

}  // namespace

DnstapTime dnstap_now() {
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  return {static_cast<std::uint64_t>(now.tv_sec), static_cast<std::uint32_t>(now.tv_nsec)};
}

DnstapEndpoint DnstapEndpoint::of(const sockaddr_storage& peer) {
  DnstapEndpoint e;
  if (peer.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(peer);
    std::memcpy(e.address.data(), &v6.sin6_addr, 16);
    e.address_size = 16;
    e.port = ntohs(v6.sin6_port);
  } else if (peer.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(peer);
    std::memcpy(e.address.data(), &v4.sin_addr, 4);
    e.address_size = 4;
    e.port = ntohs(v4.sin_port);
  }
  return e;
}

DnstapEndpoint DnstapEndpoint::of(const boost::asio::ip::address& address, std::uint16_t port) {
  DnstapEndpoint e;
  e.port = port;
  if (address.is_unspecified()) return e;
  if (address.is_v4()) {
    const auto bytes = address.to_v4().to_bytes();
    std::memcpy(e.address.data(), bytes.data(), 4);
    e.address_size = 4;
  } else {
    const auto bytes = address.to_v6().to_bytes();
    std::memcpy(e.address.data(), bytes.data(), 16);
    e.address_size = 16;
  }
  return e;
}

DnstapEncoder::DnstapEncoder(std::string identity, std::string version)
    : identity_(std::move(identity)), version_(std::move(version)) {}

std::size_t DnstapEncoder::size(DnstapType type, const DnstapExchange& exchange) const {
  const std::size_t body = message_size(type, exchange);
  Counter c;
  if (!identity_.empty()) c.bytes(dnstap_field::kIdentity, text(identity_));
  if (!version_.empty()) c.bytes(dnstap_field::kVersion, text(version_));
  c.size += 1 + varint_size(body) + body;  // message
  c.varint(dnstap_field::kType, kDnstapTypeMessage);
  return c.size;
}

void DnstapEncoder::encode(DnstapType type, const DnstapExchange& exchange,
                           std::uint8_t* out) const {
  Writer w{out};
  if (!identity_.empty()) w.bytes(dnstap_field::kIdentity, text(identity_));
  if (!version_.empty()) w.bytes(dnstap_field::kVersion, text(version_));
  w.tag(dnstap_field::kMessage, kLengthDelimited);
  w.raw_varint(message_size(type, exchange));
  message_fields(w, type, exchange);
  w.varint(dnstap_field::kType, kDnstapTypeMessage);
}

std::vector<std::uint8_t> DnstapEncoder::encode(DnstapType type,
                                                const DnstapExchange& exchange) const {
  std::vector<std::uint8_t> out(size(type, exchange));
  encode(type, exchange, out.data());
  return out;
}

}  // namespace apex::server
