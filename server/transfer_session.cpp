// Zone transfers over TCP (see transfer_session.hpp).
#include "server/transfer_session.hpp"

#include <chrono>
#include <optional>
#include <vector>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "server/log.hpp"
#include "zones/response_encoder.hpp"
#include "zones/responder.hpp"
#include "zones/transfer_request.hpp"
#include "zones/tsig_signer.hpp"
#include "zones/tsig_verifier.hpp"
#include "zones/zone_transfer.hpp"

namespace apex::server {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

// Room left in every message for the TSIG that signs it: owner and algorithm names of at most
// 255 octets each, fixed fields, and a MAC of at most 64 octets (hmac-sha512).
constexpr std::size_t kTsigRoom = 255 + 10 + 255 + 16 + 64 + 6;

std::uint64_t unix_now() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
}

const char* transfer_kind(const Query& q) {
  return q.question.qtype == RRType::IXFR ? "IXFR" : "AXFR";
}

Result<Name> question_name(const Query& q) {
  return Name::from_wire({q.question.wire.data(), q.question.length});
}

std::string zone_text(const Query& q) {
  auto name = question_name(q);
  return name ? name->to_text() : "?";
}

class TransferWriter {
 public:
  explicit TransferWriter(tcp::socket& socket) : socket_(socket), buffer_(2 + kMaxMessageSize) {}

  std::span<std::uint8_t> message() { return {buffer_.data() + 2, kMaxMessageSize}; }

  asio::awaitable<bool> send(std::size_t length) {
    buffer_[0] = static_cast<std::uint8_t>(length >> 8);
    buffer_[1] = static_cast<std::uint8_t>(length);
    boost::system::error_code ec;
    co_await asio::async_write(socket_, asio::buffer(buffer_.data(), length + 2),
                               asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
  }

 private:
  tcp::socket& socket_;
  std::vector<std::uint8_t> buffer_;
};

// A single answer carrying only rcode, with the TSIG the verdict calls for: signed when the
// request was validly signed, the error TSIG of RFC 8945 §5.3.2 otherwise.
std::size_t error_answer(const Query& query, Rcode rcode, const TsigVerdict& verdict,
                         std::span<std::uint8_t> out, std::uint64_t now) {
  Query unsigned_query = query;
  unsigned_query.tsig = Tsig{};
  Answer answer;
  answer.rcode = rcode;
  ResponseEncoder encoder;
  std::size_t n = encoder.encode(unsigned_query, answer, kMaxMessageSize,
                                 out.first(kMaxMessageSize - kTsigRoom), kMaxMessageSize - kTsigRoom);
  if (verdict.valid()) return TsigSigner(*verdict.key, verdict.tsig->mac).sign(out, n, now);
  if (verdict.status == TsigStatus::kError) return append_error_tsig(out, n, verdict, now);
  return n;
}

asio::awaitable<bool> refuse(TransferWriter& writer, const Query& query, Rcode rcode,
                             const TsigVerdict& verdict, std::uint64_t now,
                             TransferCounters& counters) {
  counters.refused.fetch_add(1, std::memory_order_relaxed);
  std::size_t n = error_answer(query, rcode, verdict, writer.message(), now);
  co_return n != 0 && co_await writer.send(n);
}

}  // namespace

asio::awaitable<bool> serve_transfer(tcp::socket& socket, std::span<const std::uint8_t> request,
                                     Query query, Snapshot snapshot, Deadline& deadline,
                                     TransferCounters& counters) {
  TransferWriter writer(socket);
  const std::uint64_t now = unix_now();
  const TransferAccess& access = *snapshot.access;
  boost::system::error_code ec;
  const auto peer = socket.remote_endpoint(ec).address();
  if (ec) co_return false;
  const std::string what = std::string(transfer_kind(query)) + " of " + zone_text(query) +
                           " to " + peer.to_string();

  TsigVerdict verdict;
  if (query.tsig.present) verdict = verify_request(request, access.keyring(), now);
  if (verdict.status == TsigStatus::kError) {
    log_info(what + " refused: TSIG error " + std::to_string(static_cast<int>(verdict.error)));
    co_return co_await refuse(writer, query, verdict.rcode, verdict, now, counters);
  }
  auto zone = question_name(query);
  std::string why = zone ? access.refusal(peer, verdict.key, zone->lowercased()) : "bad name";
  if (!why.empty()) {
    log_info(what + " refused: " + why);
    co_return co_await refuse(writer, query, Rcode::Refused, verdict, now, counters);
  }
  TransferDecision decision = classify_transfer(*snapshot.zones, query);
  if (decision.rcode != Rcode::NoError) {
    log_info(what + " refused: not a zone served here");
    co_return co_await refuse(writer, query, decision.rcode, verdict, now, counters);
  }

  const auto started = std::chrono::steady_clock::now();
  ZoneTransfer stream(decision.zone, snapshot.aliases, TransferRequest::of(query));
  std::optional<TsigSigner> signer;
  if (verdict.valid()) signer.emplace(*verdict.key, verdict.tsig->mac);
  while (true) {
    auto out = writer.message();
    std::size_t n = stream.next(out.first(kMaxMessageSize - kTsigRoom));
    if (n == 0) break;
    if (signer) n = signer->sign(out, n, unix_now());
    // RFC 5936 §2.2: a stream that cannot be completed is ended by closing the connection,
    // so the secondary never takes a partial zone for a whole one.
    deadline.arm();  // each message gets the idle time-out, not the whole zone
    if (n == 0 || !co_await writer.send(n)) co_return false;
  }
  if (stream.failed()) co_return false;
  counters.transfers.fetch_add(1, std::memory_order_relaxed);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  log_info(what + ": serial " + std::to_string(decision.zone->serial()) + ", " +
           std::to_string(stream.messages()) + " messages in " + std::to_string(ms) + " ms" +
           (signer ? ", TSIG " + verdict.key->name.to_text() : ""));
  co_return true;
}

}  // namespace apex::server
