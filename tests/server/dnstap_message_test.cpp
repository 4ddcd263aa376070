// Specification of dnstap payloads: apexd's encoder checked against the schema's own decoder
// (protoc-c code generated from server/dnstap/dnstap.proto) and, for one payload, octet by octet.
#include "server/dnstap_message.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <memory>
#include <string>
#include <vector>

#include "dnstap.pb-c.h"

using namespace apex::server;

namespace {

struct FreeDnstap {
  void operator()(Dnstap__Dnstap* d) const { dnstap__dnstap__free_unpacked(d, nullptr); }
};
using Decoded = std::unique_ptr<Dnstap__Dnstap, FreeDnstap>;

// Decodes a payload; fails the test when the decoder rejects it or finds fields the schema
// does not have.
Decoded decode(const std::vector<std::uint8_t>& payload) {
  Decoded d(dnstap__dnstap__unpack(nullptr, payload.size(), payload.data()));
  REQUIRE(d != nullptr);
  CHECK(d->base.n_unknown_fields == 0);
  REQUIRE(d->message != nullptr);
  CHECK(d->message->base.n_unknown_fields == 0);
  return d;
}

std::vector<std::uint8_t> bytes_of(const ProtobufCBinaryData& b) {
  return {b.data, b.data + b.len};
}

std::string text_of(const ProtobufCBinaryData& b) {
  return {reinterpret_cast<const char*>(b.data), b.len};
}

DnstapEndpoint endpoint(const char* address, std::uint16_t port) {
  return DnstapEndpoint::of(boost::asio::ip::make_address(address), port);
}

const std::vector<std::uint8_t> kQuery = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0,
                                          0,    3,    'w',  'w',  'w',  0,    0, 1, 0, 1};
const std::vector<std::uint8_t> kResponse = {0x12, 0x34, 0x84, 0x00, 0x00, 0x01, 0, 1, 0, 0, 0, 0};

DnstapExchange udp_v4_exchange() {
  DnstapExchange e;
  e.protocol = DnstapProtocol::kUdp;
  e.client = endpoint("192.0.2.7", 40000);
  e.server = endpoint("198.51.100.1", 53);
  e.query_time = {1700000000, 123456789};
  e.response_time = {1700000001, 5};
  e.query = kQuery;
  e.response = kResponse;
  return e;
}

const DnstapEncoder kEncoder("ns1.hoster.example", "apexd 0.1.0");

}  // namespace

TEST_CASE(
    "AUTH_QUERY over UDP/IPv4: family, protocol, addresses, ports, time, the query verbatim") {
  auto d = decode(kEncoder.encode(DnstapType::kAuthQuery, udp_v4_exchange()));
  CHECK(d->type == DNSTAP__DNSTAP__TYPE__MESSAGE);
  const Dnstap__Message& m = *d->message;
  CHECK(m.type == DNSTAP__MESSAGE__TYPE__AUTH_QUERY);
  REQUIRE(m.has_socket_family);
  CHECK(m.socket_family == DNSTAP__SOCKET_FAMILY__INET);
  REQUIRE(m.has_socket_protocol);
  CHECK(m.socket_protocol == DNSTAP__SOCKET_PROTOCOL__UDP);
  CHECK(bytes_of(m.query_address) == std::vector<std::uint8_t>{192, 0, 2, 7});
  CHECK(bytes_of(m.response_address) == std::vector<std::uint8_t>{198, 51, 100, 1});
  CHECK((m.has_query_port && m.query_port == 40000));
  CHECK((m.has_response_port && m.response_port == 53));
  CHECK((m.has_query_time_sec && m.query_time_sec == 1700000000));
  CHECK((m.has_query_time_nsec && m.query_time_nsec == 123456789));
  REQUIRE(m.has_query_message);
  CHECK(bytes_of(m.query_message) == kQuery);
  CHECK_FALSE(m.has_response_message);
  CHECK_FALSE(m.has_response_time_sec);
}

TEST_CASE("AUTH_RESPONSE: the query time, the response and its time, not the query") {
  auto d = decode(kEncoder.encode(DnstapType::kAuthResponse, udp_v4_exchange()));
  const Dnstap__Message& m = *d->message;
  CHECK(m.type == DNSTAP__MESSAGE__TYPE__AUTH_RESPONSE);
  CHECK(m.query_time_sec == 1700000000);
  CHECK(m.query_time_nsec == 123456789);
  CHECK((m.has_response_time_sec && m.response_time_sec == 1700000001));
  CHECK((m.has_response_time_nsec && m.response_time_nsec == 5));
  REQUIRE(m.has_response_message);
  CHECK(bytes_of(m.response_message) == kResponse);
  CHECK_FALSE(m.has_query_message);
  CHECK(bytes_of(m.query_address) == std::vector<std::uint8_t>{192, 0, 2, 7});
  CHECK(m.query_port == 40000);
}

TEST_CASE("TCP over IPv6: INET6 with 16-octet addresses") {
  DnstapExchange e = udp_v4_exchange();
  e.protocol = DnstapProtocol::kTcp;
  e.client = endpoint("2001:db8::7", 51000);
  e.server = endpoint("2001:db8::53", 5353);
  auto d = decode(kEncoder.encode(DnstapType::kAuthQuery, e));
  const Dnstap__Message& m = *d->message;
  CHECK(m.socket_family == DNSTAP__SOCKET_FAMILY__INET6);
  CHECK(m.socket_protocol == DNSTAP__SOCKET_PROTOCOL__TCP);
  std::vector<std::uint8_t> client(16, 0), server(16, 0);
  client[0] = server[0] = 0x20;
  client[1] = server[1] = 0x01;
  client[2] = server[2] = 0x0d;
  client[3] = server[3] = 0xb8;
  client[15] = 0x07;
  server[15] = 0x53;
  CHECK(bytes_of(m.query_address) == client);
  CHECK(bytes_of(m.response_address) == server);
  CHECK(m.query_port == 51000);
  CHECK(m.response_port == 5353);
}

TEST_CASE("a wildcard listener's address is not told, its port is") {
  DnstapExchange e = udp_v4_exchange();
  e.server = endpoint("0.0.0.0", 53);
  auto d = decode(kEncoder.encode(DnstapType::kAuthQuery, e));
  CHECK_FALSE(d->message->has_response_address);
  CHECK((d->message->has_response_port && d->message->response_port == 53));
  CHECK(d->message->socket_family == DNSTAP__SOCKET_FAMILY__INET);
}

TEST_CASE("identity and version are told; empty ones are left out") {
  auto told = decode(kEncoder.encode(DnstapType::kAuthQuery, udp_v4_exchange()));
  CHECK(text_of(told->identity) == "ns1.hoster.example");
  CHECK(text_of(told->version) == "apexd 0.1.0");
  auto untold = decode(DnstapEncoder("", "").encode(DnstapType::kAuthQuery, udp_v4_exchange()));
  CHECK_FALSE(untold->has_identity);
  CHECK_FALSE(untold->has_version);
}

TEST_CASE("messages longer than 127 octets get multi-octet length prefixes") {
  std::vector<std::uint8_t> query(300, 0xaa), response(65535, 0x55);
  query[0] = 0x01;
  response[65534] = 0x02;
  DnstapExchange e = udp_v4_exchange();
  e.query = query;
  e.response = response;
  auto q = decode(kEncoder.encode(DnstapType::kAuthQuery, e));
  CHECK(bytes_of(q->message->query_message) == query);
  auto r = decode(kEncoder.encode(DnstapType::kAuthResponse, e));
  CHECK(bytes_of(r->message->response_message) == response);
}

TEST_CASE("size() is the encoded length: encode writes exactly that many octets") {
  const DnstapExchange e = udp_v4_exchange();
  for (DnstapType type : {DnstapType::kAuthQuery, DnstapType::kAuthResponse}) {
    const std::size_t size = kEncoder.size(type, e);
    std::vector<std::uint8_t> buffer(size + 16, 0xee);
    kEncoder.encode(type, e, buffer.data());
    CHECK(std::vector<std::uint8_t>(buffer.begin() + static_cast<std::ptrdiff_t>(size),
                                    buffer.end()) == std::vector<std::uint8_t>(16, 0xee));
    CHECK(kEncoder.encode(type, e).size() == size);
  }
}

TEST_CASE("octet by octet: a minimal AUTH_QUERY") {
  DnstapExchange e;  // no addresses known, UDP
  e.query_time = {1, 2};
  const std::vector<std::uint8_t> query = {0xab};
  e.query = query;
  const std::vector<std::uint8_t> expected = {
      0x72, 14,              // Dnstap.message (14, length-delimited), 14 octets:
      0x08, 1,               //   Message.type AUTH_QUERY
      0x18, 1,               //   socket_protocol UDP
      0x40, 1,               //   query_time_sec 1 (8, varint)
      0x4d, 2,  0,    0, 0,  //   query_time_nsec 2 (9, fixed32, little-endian)
      0x52, 1,  0xab,        //   query_message (10)
      0x78, 1};              // Dnstap.type MESSAGE (15, varint)
  CHECK(DnstapEncoder("", "").encode(DnstapType::kAuthQuery, e) == expected);
}

TEST_CASE("endpoints from socket addresses: network-order address, host-order port") {
  sockaddr_storage storage{};
  auto& v4 = reinterpret_cast<sockaddr_in&>(storage);
  v4.sin_family = AF_INET;
  v4.sin_port = htons(5353);
  ::inet_pton(AF_INET, "203.0.113.9", &v4.sin_addr);
  DnstapEndpoint e = DnstapEndpoint::of(storage);
  CHECK(e.address_size == 4);
  CHECK(std::vector<std::uint8_t>(e.address.begin(), e.address.begin() + 4) ==
        std::vector<std::uint8_t>{203, 0, 113, 9});
  CHECK(e.port == 5353);

  sockaddr_storage storage6{};
  auto& v6 = reinterpret_cast<sockaddr_in6&>(storage6);
  v6.sin6_family = AF_INET6;
  v6.sin6_port = htons(853);
  ::inet_pton(AF_INET6, "2001:db8::1", &v6.sin6_addr);
  DnstapEndpoint e6 = DnstapEndpoint::of(storage6);
  CHECK(e6.address_size == 16);
  CHECK(e6.address[0] == 0x20);
  CHECK(e6.address[15] == 0x01);
  CHECK(e6.port == 853);
}
