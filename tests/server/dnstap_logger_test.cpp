// Specification of a worker's dnstap submission through a real fstrm I/O thread, over a
// transport that records the Frame Streams it is given (or stalls, as a stuck collector).
#include "server/dnstap_logger.hpp"

#include <doctest/doctest.h>

#include <fstrm.h>

#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "dnstap.pb-c.h"

using namespace apex::server;

namespace {

// The far end: keeps every octet written; open waits for release() when asked to stall.
struct Capture {
  std::mutex mutex;
  std::vector<std::uint8_t> stream;
  std::promise<void> released;
  std::shared_future<void> gate = released.get_future().share();
  bool stall = false;
  bool opens = true;

  static Capture& of(void* obj) { return *static_cast<Capture*>(obj); }
  static fstrm_res open(void* obj) {
    Capture& c = of(obj);
    if (c.stall) c.gate.wait();
    return c.opens ? fstrm_res_success : fstrm_res_failure;
  }
  static fstrm_res close(void*) { return fstrm_res_success; }
  static fstrm_res destroy(void*) { return fstrm_res_success; }
  static fstrm_res write(void* obj, const iovec* iov, int count) {
    Capture& c = of(obj);
    std::lock_guard lock(c.mutex);
    for (int i = 0; i < count; ++i) {
      auto* at = static_cast<const std::uint8_t*>(iov[i].iov_base);
      c.stream.insert(c.stream.end(), at, at + iov[i].iov_len);
    }
    return fstrm_res_success;
  }
};

std::uint32_t be32(const std::vector<std::uint8_t>& s, std::size_t at) {
  return std::uint32_t{s[at]} << 24 | std::uint32_t{s[at + 1]} << 16 |
         std::uint32_t{s[at + 2]} << 8 | s[at + 3];
}

// An fstrm I/O thread with one input queue, writing to a Capture.
struct IoThread {
  Capture capture;
  fstrm_iothr* iothr = nullptr;

  IoThread(unsigned queue_size, bool stall) {
    capture.stall = stall;
    capture.opens = !stall;
    fstrm_rdwr* rdwr = fstrm_rdwr_init(&capture);
    fstrm_rdwr_set_open(rdwr, Capture::open);
    fstrm_rdwr_set_close(rdwr, Capture::close);
    fstrm_rdwr_set_destroy(rdwr, Capture::destroy);
    fstrm_rdwr_set_write(rdwr, Capture::write);
    fstrm_writer* writer = fstrm_writer_init(nullptr, &rdwr);
    fstrm_iothr_options* options = fstrm_iothr_options_init();
    fstrm_iothr_options_set_input_queue_size(options, queue_size);
    iothr = fstrm_iothr_init(options, &writer);
    fstrm_iothr_options_destroy(&options);
    REQUIRE(iothr != nullptr);
  }
  ~IoThread() { finish(); }
  fstrm_iothr_queue* queue() { return fstrm_iothr_get_input_queue_idx(iothr, 0); }

  // Lets a stalled open go on, then ends the thread, which writes what its queue holds.
  void finish() {
    if (iothr == nullptr) return;
    if (capture.stall) capture.released.set_value();
    fstrm_iothr_destroy(&iothr);
  }

  // The data frames written, decoded (control frames skipped).
  std::vector<Dnstap__Message__Type> written_types() {
    finish();
    std::vector<Dnstap__Message__Type> types;
    const auto& s = capture.stream;
    for (std::size_t at = 0; at + 4 <= s.size();) {
      std::uint32_t length = be32(s, at);
      at += 4;
      if (length == 0) {  // escape: a control frame follows
        at += 4 + be32(s, at);
        continue;
      }
      Dnstap__Dnstap* d = dnstap__dnstap__unpack(nullptr, length, &s[at]);
      REQUIRE(d != nullptr);
      REQUIRE(d->message != nullptr);
      types.push_back(d->message->type);
      dnstap__dnstap__free_unpacked(d, nullptr);
      at += length;
    }
    return types;
  }
};

const std::vector<std::uint8_t> kQuery = {0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1};
const std::vector<std::uint8_t> kResponse = {0x12, 0x34, 0x84, 0, 0, 1, 0, 0, 0,
                                             0,    0,    0,    0, 0, 1, 0, 1};

DnstapExchange exchange(bool answered) {
  DnstapExchange e;
  e.client = DnstapEndpoint::of(boost::asio::ip::make_address("192.0.2.1"), 1053);
  e.query = kQuery;
  if (answered) e.response = kResponse;
  return e;
}

const DnstapEncoder kEncoder("test", "apexd test");
constexpr auto kQ = DNSTAP__MESSAGE__TYPE__AUTH_QUERY;
constexpr auto kR = DNSTAP__MESSAGE__TYPE__AUTH_RESPONSE;

}  // namespace

TEST_CASE("queries and responses reach the stream in order, each counted as sent") {
  IoThread io(64, false);
  std::atomic<bool> connected{true};
  DnstapLogger logger(kEncoder, DnstapSettings{}, connected);
  logger.attach(io.iothr, io.queue());
  logger.log(exchange(true));
  logger.log(exchange(false));  // dropped by the responder: the query alone
  logger.log(exchange(true));
  CHECK(io.written_types() == std::vector<Dnstap__Message__Type>{kQ, kR, kQ, kQ, kR});
  CHECK(logger.counters().sent == 5);
  CHECK(logger.counters().dropped == 0);
}

TEST_CASE("log_queries and log_responses choose the message types") {
  std::atomic<bool> connected{true};
  SUBCASE("responses only") {
    IoThread io(64, false);
    DnstapSettings settings;
    settings.log_queries = false;
    DnstapLogger logger(kEncoder, settings, connected);
    logger.attach(io.iothr, io.queue());
    logger.log(exchange(true));
    logger.log(exchange(false));
    CHECK(io.written_types() == std::vector<Dnstap__Message__Type>{kR});
    CHECK(logger.counters().sent == 1);
  }
  SUBCASE("queries only") {
    IoThread io(64, false);
    DnstapSettings settings;
    settings.log_responses = false;
    DnstapLogger logger(kEncoder, settings, connected);
    logger.attach(io.iothr, io.queue());
    logger.log(exchange(true));
    logger.log(exchange(true));
    CHECK(io.written_types() == std::vector<Dnstap__Message__Type>{kQ, kQ});
    CHECK(logger.counters().sent == 2);
  }
}

TEST_CASE("a full queue drops and counts the frame at once instead of waiting") {
  IoThread io(4, true);  // the I/O thread is stuck connecting: nothing leaves the queue
  std::atomic<bool> connected{true};
  DnstapSettings settings;
  settings.log_responses = false;
  DnstapLogger logger(kEncoder, settings, connected);
  logger.attach(io.iothr, io.queue());
  for (int i = 0; i < 20; ++i) logger.log(exchange(true));
  const auto sent = logger.counters().sent.load();
  CHECK(sent >= 1);
  CHECK(sent <= 4);
  CHECK(logger.counters().dropped == 20 - sent);
}

TEST_CASE("without a connected collector every frame is dropped and counted") {
  IoThread io(64, false);
  std::atomic<bool> connected{false};
  DnstapLogger logger(kEncoder, DnstapSettings{}, connected);
  logger.attach(io.iothr, io.queue());
  logger.log(exchange(true));
  logger.log(exchange(false));
  CHECK(logger.counters().sent == 0);
  CHECK(logger.counters().dropped == 3);
  CHECK(io.written_types().empty());
  connected = true;  // the collector is back
}

TEST_CASE("a logger without a queue drops everything") {
  std::atomic<bool> connected{true};
  DnstapLogger logger(kEncoder, DnstapSettings{}, connected);
  logger.log(exchange(true));
  CHECK(logger.counters().dropped == 2);
  CHECK(logger.counters().sent == 0);
}
