// Specification of NOTIFY pacing (RFC 1996): sends follow [notify] rate even when the timer
// runs late, and a secondary that does not answer has at most max_unacknowledged NOTIFYs
// outstanding; an answer frees a place for the next zone. A fake secondary on loopback.
#include "server/notifier.hpp"

#include <chrono>
#include <set>
#include <string>

#include <doctest/doctest.h>
#include <boost/asio/ip/udp.hpp>

#include "tests/zones/answer_fixture.hpp"
#include "zones/message_decoder.hpp"

using namespace apex;
using namespace apex::server;
namespace asio = boost::asio;
using asio::ip::udp;

namespace {

ZoneIndexPtr zones(int count) {
  std::vector<ZonePtr> all;
  for (int i = 0; i < count; ++i) {
    const std::string apex = "z" + std::to_string(i) + ".example.";
    all.push_back(test::zone_from_text(apex, "@ 300 IN SOA ns1 host 1 2 3 4 5\n@ 300 IN NS ns1\n"));
  }
  return ZoneIndex::from_zones(std::move(all));
}

// A secondary at a loopback port that receives NOTIFYs, answering them or not.
struct FakeSecondary {
  explicit FakeSecondary(asio::io_context& io)
      : socket(io, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}

  TransferAccessPtr access() const {
    storage::TransferSettings s;
    s.secondaries.push_back({"127.0.0.1", socket.local_endpoint().port(), std::nullopt, true, {}});
    return TransferAccess::from(s).value();
  }

  // Reads what arrived; answers each when answer is set (RFC 1996 §4.7: same ID and question).
  void drain(bool answer) {
    std::array<std::uint8_t, 2048> buffer{};
    udp::endpoint from;
    boost::system::error_code ec;
    socket.non_blocking(true);
    for (;;) {
      const std::size_t n = socket.receive_from(asio::buffer(buffer), from, 0, ec);
      if (ec) return;
      auto m = decode_message({buffer.data(), n});
      REQUIRE(m.ok());
      REQUIRE(m->questions.size() == 1);
      ++received;
      zones.insert(m->questions[0].qname.to_text());
      if (!answer) continue;
      buffer[2] |= 0x80;  // QR
      buffer[3] = 0;
      socket.send_to(asio::buffer(buffer.data(), 12 + m->questions[0].qname.wire_length() + 4),
                     from, 0, ec);
    }
  }

  udp::socket socket;
  std::size_t received = 0;
  std::set<std::string> zones;
};

// A notifier announcing every one of `count` zones to one fake secondary.
struct Announcing {
  Announcing(int count, const NotifySettings& settings)
      : secondary(io), store(zones(count)), notifier(io, store, settings, events) {
    store.publish_access(secondary.access());
    REQUIRE(notifier.start().ok());
    notifier.all_zones_changed(store.current());
  }
  ~Announcing() { notifier.stop(); }

  asio::io_context io;
  FakeSecondary secondary;
  SnapshotStore store;
  SecondaryEvents events;
  Notifier notifier;
};

}  // namespace

TEST_CASE("NOTIFY keeps to the rate, and each answer lets the next zone go") {
  NotifySettings settings;
  settings.rate = 250;
  settings.max_unacknowledged = 1000;
  Announcing a(300, settings);
  asio::io_context& io = a.io;
  FakeSecondary& secondary = a.secondary;
  const auto started = std::chrono::steady_clock::now();
  while (secondary.zones.size() < 300 &&
         std::chrono::steady_clock::now() - started < std::chrono::seconds(5)) {
    io.run_for(std::chrono::milliseconds(20));
    secondary.drain(true);
  }
  const double took =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  CHECK(secondary.zones.size() == 300);
  // 300 at 250 per second: about 1.2 s; a tick-rounding or late-timer loss would take longer,
  // no pacing at all far less.
  CHECK(took > 0.9);
  CHECK(took < 3.0);
}

TEST_CASE("a silent secondary has at most max_unacknowledged NOTIFYs outstanding") {
  NotifySettings settings;
  settings.rate = 10000;
  settings.max_unacknowledged = 5;
  settings.timeout = std::chrono::milliseconds(100);
  settings.retries = 2;
  Announcing a(50, settings);
  asio::io_context& io = a.io;
  FakeSecondary& secondary = a.secondary;
  io.run_for(std::chrono::milliseconds(250));
  secondary.drain(false);
  // Five zones, each sent again after 100 ms: never a sixth zone while they are unanswered.
  CHECK(secondary.zones.size() == 5);
  CHECK(secondary.received >= 10);
  // Given up after their retries, the five make room for the next five.
  io.run_for(std::chrono::milliseconds(850));
  secondary.drain(false);
  CHECK(secondary.zones.size() == 10);
  CHECK(a.notifier.counters().given_up >= 5);
}
