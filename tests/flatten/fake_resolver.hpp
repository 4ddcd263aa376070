// Test fixture: a scripted recursive resolver on a loopback address (UDP, optionally TCP), and
// the helpers that build its responses (RFC 1035 §4.1 wire form, OPT per RFC 6891).
#pragma once

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "zones/message.hpp"
#include "zones/message_decoder.hpp"
#include "zones/name.hpp"
#include "zones/rrtype.hpp"

namespace apex::flatten::test {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;
using Bytes = std::vector<std::uint8_t>;

inline const asio::ip::address kLoopback = asio::ip::make_address("127.0.0.1");

inline void put_u16(Bytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
inline void put_u32(Bytes& b, std::uint32_t v) {
  put_u16(b, static_cast<std::uint16_t>(v >> 16));
  put_u16(b, static_cast<std::uint16_t>(v));
}
inline void put_name(Bytes& b, const Name& name) {
  b.insert(b.end(), name.wire().begin(), name.wire().end());
}
inline Name name(const char* text) {
  return *Name::from_text(text);
}

inline Bytes a(std::uint8_t last) {
  return {192, 0, 2, last};
}
inline Bytes name_rdata(const char* text) {
  Bytes b;
  put_name(b, name(text));
  return b;
}
// An SOA as a resolver puts it in the authority section of a negative answer.
inline Bytes soa(std::uint32_t minimum) {
  Bytes b = name_rdata("ns.example.");
  put_name(b, name("hostmaster.example."));
  for (std::uint32_t v : {1u, 7200u, 3600u, 1209600u, minimum}) put_u32(b, v);
  return b;
}

struct RR {
  const char* owner;
  RRType type;
  std::uint32_t ttl;
  Bytes rdata;
};

inline void put_rr(Bytes& b, const RR& rr) {
  put_name(b, name(rr.owner));
  put_u16(b, static_cast<std::uint16_t>(rr.type));
  put_u16(b, 1);
  put_u32(b, rr.ttl);
  put_u16(b, static_cast<std::uint16_t>(rr.rdata.size()));
  b.insert(b.end(), rr.rdata.begin(), rr.rdata.end());
}

// A resolver's response to query; the optional fields forge or bend it.
struct Reply {
  const DecodedMessage& query;
  Rcode rcode = Rcode::NoError;
  std::vector<RR> answer = {};
  std::vector<RR> authority = {};
  std::uint16_t extra_flags = 0;  // e.g. TC
  std::optional<std::uint16_t> id = {};
  std::optional<Name> qname = {};
  std::optional<RRType> qtype = {};
  bool qr = true;

  Bytes wire() const {
    Bytes b;
    put_u16(b, id.value_or(query.id));
    const std::uint16_t flags = (qr ? kFlagQR : 0) | kFlagRD | 0x0080 /* RA */ | extra_flags |
                                static_cast<std::uint16_t>(rcode);
    put_u16(b, flags);
    for (std::size_t count : {std::size_t{1}, answer.size(), authority.size(), std::size_t{1}})
      put_u16(b, static_cast<std::uint16_t>(count));
    put_name(b, qname.value_or(query.questions.at(0).qname));
    put_u16(b, static_cast<std::uint16_t>(qtype.value_or(query.questions.at(0).qtype)));
    put_u16(b, 1);
    for (const RR& rr : answer) put_rr(b, rr);
    for (const RR& rr : authority) put_rr(b, rr);
    b.insert(b.end(), {0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0});  // OPT, payload 1232
    return b;
  }
};

// A recursive resolver whose behaviour each test scripts: on_query sees every decoded query
// and may answer, forge, delay or stay silent.
class FakeResolver {
 public:
  using Handler = std::function<void(FakeResolver&, const DecodedMessage&, const udp::endpoint&)>;

  // Holds the same port for UDP and TCP from the start (a TCP listener only when serve_tcp
  // is called), so another process cannot take the TCP port in between.
  explicit FakeResolver(asio::io_context& io, asio::ip::address address = kLoopback)
      : io_(io), socket_(io) {
    for (int attempt = 0; attempt < 50 && !acceptor_; ++attempt) {
      socket_ = udp::socket(io, udp::endpoint(address, 0));
      boost::system::error_code ec;
      tcp::acceptor acceptor(io);
      acceptor.open(address.is_v6() ? tcp::v6() : tcp::v4(), ec);
      if (!ec) acceptor.bind(tcp::endpoint(address, socket_.local_endpoint().port()), ec);
      if (!ec) acceptor_.emplace(std::move(acceptor));
    }
    REQUIRE(acceptor_);
    receive();
  }

  udp::endpoint endpoint() const { return socket_.local_endpoint(); }
  void send(const Bytes& message, const udp::endpoint& to) {
    socket_.send_to(asio::buffer(message), to);
  }
  // Answers TCP queries on the same address and port with respond(query).
  void serve_tcp(std::function<Bytes(const DecodedMessage&)> respond) {
    acceptor_->listen();
    asio::co_spawn(io_, accept_loop(std::move(respond)), asio::detached);
  }

  Handler on_query;
  std::vector<DecodedMessage> queries;
  std::vector<udp::endpoint> sources;
  unsigned tcp_queries = 0;

 private:
  void receive() {
    socket_.async_receive_from(asio::buffer(buffer_), from_,
                               [this](const boost::system::error_code& ec, std::size_t n) {
                                 if (ec) return;
                                 auto query = decode_message({buffer_.data(), n});
                                 REQUIRE_MESSAGE(query.ok(), query.error());
                                 queries.push_back(*query);
                                 sources.push_back(from_);
                                 if (on_query) on_query(*this, *query, from_);
                                 receive();
                               });
  }

  asio::awaitable<void> accept_loop(std::function<Bytes(const DecodedMessage&)> respond) {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket peer =
          co_await acceptor_->async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      std::uint8_t prefix[2];
      co_await asio::async_read(peer, asio::buffer(prefix),
                                asio::redirect_error(asio::use_awaitable, ec));
      Bytes request(static_cast<std::size_t>(prefix[0] << 8 | prefix[1]));
      co_await asio::async_read(peer, asio::buffer(request),
                                asio::redirect_error(asio::use_awaitable, ec));
      if (ec) continue;
      ++tcp_queries;
      Bytes reply = respond(*decode_message(request));
      Bytes framed;
      put_u16(framed, static_cast<std::uint16_t>(reply.size()));
      framed.insert(framed.end(), reply.begin(), reply.end());
      co_await asio::async_write(peer, asio::buffer(framed),
                                 asio::redirect_error(asio::use_awaitable, ec));
    }
  }

  asio::io_context& io_;
  udp::socket socket_;
  std::optional<tcp::acceptor> acceptor_;
  std::array<std::uint8_t, 4096> buffer_{};
  udp::endpoint from_;
};

}  // namespace apex::flatten::test
