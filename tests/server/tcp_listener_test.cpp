// Specification of TCP sessions (RFC 7766): pipelined queries answered in order, at most
// tcp_max_queries per connection, idle connections closed, and a length prefix too short for
// a DNS header ending the stream. A real listener on a loopback port; every wait is bounded.
#include "server/tcp_listener.hpp"

#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "server/journal_reader.hpp"
#include "server/secondary_events.hpp"
#include "server/transfer_slots.hpp"
#include "tests/zones/answer_fixture.hpp"

using namespace apex;
using namespace apex::server;
namespace asio = boost::asio;
using Bytes = std::vector<std::uint8_t>;
using Clock = std::chrono::steady_clock;

namespace {

// No wait in these tests may take longer than this: a failure shows as a failed check, never
// as a hung test.
constexpr auto kPatience = std::chrono::seconds(5);

// A query for NAME A with this ID, with its RFC 1035 §4.2.2 length prefix.
Bytes framed_query(std::uint16_t id, const std::string& name) {
  Bytes q{static_cast<std::uint8_t>(id >> 8),
          static_cast<std::uint8_t>(id),
          0,
          0,
          0,
          1,
          0,
          0,
          0,
          0,
          0,
          0};
  auto n = Name::from_text(name);
  REQUIRE(n.ok());
  q.insert(q.end(), n->wire().begin(), n->wire().end());
  q.insert(q.end(), {0, 1, 0, 1});
  Bytes framed{static_cast<std::uint8_t>(q.size() >> 8), static_cast<std::uint8_t>(q.size())};
  framed.insert(framed.end(), q.begin(), q.end());
  return framed;
}

// A plain blocking client whose every read is bounded by poll().
class Client {
 public:
  explicit Client(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    REQUIRE(fd_ >= 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<const sockaddr*>(&to), sizeof to) == 0);
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  void send(const Bytes& bytes) {
    REQUIRE(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(bytes.size()));
  }

  // The next response without its prefix, or nothing when the server closed the stream.
  std::optional<Bytes> response() {
    Bytes prefix(2);
    if (!read_exactly(prefix)) return std::nullopt;
    Bytes message(static_cast<std::size_t>(prefix[0] << 8 | prefix[1]));
    if (!read_exactly(message)) return std::nullopt;
    return message;
  }

  // True when the server closed the connection within kPatience, with nothing more to read:
  // end of stream, or a reset when it closed with queries of ours unread.
  bool closed_by_server() {
    std::uint8_t byte;
    return wait_readable() && ::recv(fd_, &byte, 1, 0) <= 0;
  }

 private:
  bool wait_readable() {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, std::chrono::milliseconds(kPatience).count()) == 1;
  }
  bool read_exactly(Bytes& into) {
    std::size_t got = 0;
    while (got < into.size()) {
      REQUIRE_MESSAGE(wait_readable(), "no response in time");
      ssize_t n = ::recv(fd_, into.data() + got, into.size() - got, 0);
      if (n <= 0) return false;
      got += static_cast<std::size_t>(n);
    }
    return true;
  }

  int fd_;
};

std::uint16_t id_of(const Bytes& message) {
  return static_cast<std::uint16_t>(message.at(0) << 8 | message.at(1));
}

// A listener on 127.0.0.1, port chosen by the kernel, served by its own thread.
struct Server {
  asio::io_context io;
  SnapshotStore store{ZoneIndex::from_zones({test::zone_from_text("example.com.", R"(
$TTL 300
@   IN SOA ns1 hostmaster 1 7200 3600 1209600 300
    IN NS ns1
ns1 IN A 192.0.2.1
a   IN A 192.0.2.10
b   IN A 192.0.2.11
c   IN A 192.0.2.12
)")})};
  SnapshotReader reader{store};
  Responder responder;
  ConnectionTable connections{16, 16};
  TransferCounters transfers;
  SecondaryEvents events;
  JournalReader journal{"/nonexistent/apexdns-test.db"};  // transfers are not asked for
  TransferSlots slots{1};
  TransferServices services{events, journal, slots};
  QueryMetrics metrics;
  std::optional<TcpListener> listener;
  std::uint16_t port = 0;
  std::thread thread;

  explicit Server(TcpLimits limits) {
    asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
    port = acceptor.local_endpoint().port();
    listener.emplace(std::move(acceptor), reader, responder, connections, limits, transfers,
                     services, metrics);
    listener->start();
    thread = std::thread([this] { io.run_for(std::chrono::seconds(30)); });
  }
  // Clients are gone by now (declared after the server): their sessions end on their own.
  ~Server() {
    asio::post(io, [this] { listener->close(); });
    open_after_close();
    io.stop();
    thread.join();
  }

  // Admission slots still held, once the server had kPatience to give them back.
  unsigned open_after_close() {
    const auto until = Clock::now() + kPatience;
    while (connections.open() > 0 && Clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return connections.open();
  }
};

constexpr TcpLimits kRoomy{std::chrono::seconds(10), 0};

}  // namespace

TEST_CASE("pipelined queries are answered in the order they were sent (RFC 7766 §6.2.1.1)") {
  Server server(kRoomy);
  Client client(server.port);
  Bytes burst;
  const std::vector<std::pair<std::uint16_t, std::string>> queries = {{1, "a.example.com."},
                                                                      {2, "b.example.com."},
                                                                      {3, "nowhere.example.com."},
                                                                      {4, "c.example.com."}};
  for (const auto& [id, name] : queries) {
    Bytes q = framed_query(id, name);
    burst.insert(burst.end(), q.begin(), q.end());
  }
  client.send(burst);  // all four in one segment
  for (std::uint16_t id = 1; id <= 4; ++id) {
    auto r = client.response();
    REQUIRE(r.has_value());
    CHECK(id_of(*r) == id);
  }
  // The connection stays open for more.
  client.send(framed_query(5, "a.example.com."));
  auto r = client.response();
  REQUIRE(r.has_value());
  CHECK(id_of(*r) == 5);
}

TEST_CASE("after tcp_max_queries answers the server closes the connection") {
  Server server({std::chrono::seconds(10), 2});
  Client client(server.port);
  Bytes burst = framed_query(1, "a.example.com.");
  Bytes second = framed_query(2, "b.example.com.");
  Bytes third = framed_query(3, "c.example.com.");
  burst.insert(burst.end(), second.begin(), second.end());
  burst.insert(burst.end(), third.begin(), third.end());
  client.send(burst);
  auto r1 = client.response();
  auto r2 = client.response();
  REQUIRE(r1.has_value());
  REQUIRE(r2.has_value());
  CHECK(id_of(*r1) == 1);
  CHECK(id_of(*r2) == 2);
  CHECK(client.closed_by_server());  // the third is never answered
  CHECK(server.open_after_close() == 0);
  // A new connection gets its own count.
  Client next(server.port);
  next.send(framed_query(4, "a.example.com."));
  auto r4 = next.response();
  REQUIRE(r4.has_value());
  CHECK(id_of(*r4) == 4);
}

TEST_CASE("an idle connection is closed after the idle time-out (RFC 7766 §6.2.3)") {
  Server server({std::chrono::milliseconds(200), 0});
  SUBCASE("silent from the start") {
    Client client(server.port);
    const auto start = Clock::now();
    CHECK(client.closed_by_server());
    CHECK(Clock::now() - start >= std::chrono::milliseconds(150));
  }
  SUBCASE("silent after an answer") {
    Client client(server.port);
    client.send(framed_query(1, "a.example.com."));
    REQUIRE(client.response().has_value());
    const auto answered = Clock::now();
    CHECK(client.closed_by_server());
    CHECK(Clock::now() - answered >= std::chrono::milliseconds(150));
  }
  SUBCASE("a query sent too slowly") {
    Client client(server.port);
    Bytes q = framed_query(1, "a.example.com.");
    client.send(Bytes(q.begin(), q.begin() + 5));  // prefix and part of the header only
    CHECK(client.closed_by_server());
  }
  CHECK(server.open_after_close() == 0);
}

TEST_CASE("a length prefix shorter than a DNS header ends the stream") {
  Server server(kRoomy);
  Client client(server.port);
  Bytes stream = framed_query(1, "a.example.com.");
  // RFC 1035 §4.1.1: a message is at least its 12-octet header; 11 cannot be DNS.
  Bytes short_message{0, 11, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0};
  Bytes after = framed_query(3, "b.example.com.");
  stream.insert(stream.end(), short_message.begin(), short_message.end());
  stream.insert(stream.end(), after.begin(), after.end());
  client.send(stream);
  auto r = client.response();
  REQUIRE(r.has_value());
  CHECK(id_of(*r) == 1);             // what came before is answered
  CHECK(client.closed_by_server());  // nothing after it is
  CHECK(server.open_after_close() == 0);
}
