// Zone transfers over TCP (see transfer_session.hpp).
#include "server/transfer_session.hpp"

#include <chrono>
#include <optional>
#include <vector>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "flatten/wall_clock.hpp"
#include "server/log.hpp"
#include "server/unix_time.hpp"
#include "zones/ixfr_sequence.hpp"
#include "zones/responder.hpp"
#include "zones/response_encoder.hpp"
#include "zones/transfer_request.hpp"
#include "zones/tsig_signer.hpp"
#include "zones/tsig_verifier.hpp"
#include "zones/zone_transfer.hpp"

namespace apex::server {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

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

// The message buffer: a 2-octet length prefix (RFC 1035 §4.2.2), then the message.
struct Framed {
  std::vector<std::uint8_t> buffer = std::vector<std::uint8_t>(2 + kMaxMessageSize);

  std::span<std::uint8_t> message() { return {buffer.data() + 2, kMaxMessageSize}; }
  asio::const_buffer frame(std::size_t length) {
    buffer[0] = static_cast<std::uint8_t>(length >> 8);
    buffer[1] = static_cast<std::uint8_t>(length);
    return asio::buffer(buffer.data(), length + 2);
  }
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
  const std::size_t room = out.size() - answer_tsig_room(verdict);
  const auto payload = static_cast<std::uint16_t>(std::min<std::size_t>(out.size(), 65535));
  std::size_t n = encoder.encode(unsigned_query, answer, payload, out.first(room), room);
  return sign_answer(out, n, verdict, now);
}

// Sends the error answer alone; false when the connection must be closed.
asio::awaitable<bool> send_error(tcp::socket& socket, Framed& framed, const Query& query,
                                 Rcode rcode, const TsigVerdict& verdict) {
  const std::size_t n = error_answer(query, rcode, verdict, framed.message(), unix_seconds());
  if (n == 0) co_return false;
  boost::system::error_code ec;
  co_await asio::async_write(socket, framed.frame(n),
                             asio::redirect_error(asio::use_awaitable, ec));
  co_return !ec;
}

// What to do with a transfer request: stream decision.zone, or send the error answer.
struct Plan {
  TsigVerdict verdict;
  TransferDecision decision;
  std::string why;  // the refusal, logged
};

Plan plan_transfer(std::span<const std::uint8_t> request, const Query& query,
                   const Snapshot& snapshot, const boost::asio::ip::address& peer,
                   std::uint64_t now) {
  Plan plan;
  const TransferAccess& access = *snapshot.access;
  if (query.tsig.present) plan.verdict = verify_request(request, access.keyring(), now);
  if (plan.verdict.status == TsigStatus::kError) {
    plan.decision.rcode = plan.verdict.rcode;
    plan.why = "TSIG error " + std::to_string(static_cast<int>(plan.verdict.error));
    return plan;
  }
  auto zone = question_name(query);
  plan.why = zone ? access.refusal(peer, plan.verdict.key, zone->lowercased()) : "bad name";
  if (!plan.why.empty()) {
    plan.decision.rcode = Rcode::Refused;
    return plan;
  }
  plan.decision = classify_transfer(*snapshot.zones, query);
  if (plan.decision.rcode != Rcode::NoError) plan.why = "not a zone served here";
  return plan;
}

struct Incremental {
  std::unique_ptr<TransferSource> source;
  std::size_t versions = 0;
};

// RFC 1995 §4: an IXFR from a serial the journal leads on from is answered with the
// differences; otherwise (AXFR, an up-to-date client, history gone or unreadable, or more
// differences than the zone has records) the caller sends what ZoneTransfer decides alone.
std::optional<Incremental> journal_source(const ZonePtr& zone, const TransferRequest& request,
                                          JournalReader& journal) {
  if (request.question.qtype != RRType::IXFR || !request.has_client_serial ||
      ixfr_up_to_date(zone->serial(), request.client_serial))
    return std::nullopt;
  auto versions = journal.versions(zone->apex(), request.client_serial, zone->serial());
  if (!versions) return std::nullopt;
  auto sequence = std::make_unique<IxfrSequence>(zone, *versions);
  if (sequence->records() > zone->record_count()) return std::nullopt;
  return Incremental{std::move(sequence), versions->size()};
}

// A transfer refused for want of a slot, logged at most once a second across workers.
void log_busy(const std::string& what, TransferSlots& slots) {
  const auto held_back = slots.refusal_log.admit(std::chrono::steady_clock::now());
  if (!held_back) return;
  log_warning(
      what + " refused (SERVFAIL): " + std::to_string(slots.limit()) +
      " transfers under way, [transfer] max_concurrent" +
      (*held_back ? "; " + std::to_string(*held_back) + " more refused since the last" : ""));
}

// QTYPE AXFR or IXFR, read without a full parse (the question follows the header), so
// ordinary queries are parsed once, by the Responder.
bool asks_for_transfer(std::span<const std::uint8_t> m) {
  std::size_t pos = kHeaderSize;
  while (pos < m.size() && m[pos] != 0) {
    if (m[pos] > kMaxLabelLength) return false;
    pos += m[pos] + 1u;
  }
  if (pos + 3 > m.size()) return false;
  const auto qtype = static_cast<RRType>(m[pos + 1] << 8 | m[pos + 2]);
  return qtype == RRType::AXFR || qtype == RRType::IXFR;
}

}  // namespace

std::optional<Query> transfer_query(std::span<const std::uint8_t> request) {
  if (!asks_for_transfer(request)) return std::nullopt;
  Query query;
  const ParseOutcome outcome = parse_query(request, query);
  const bool parsed = outcome == ParseOutcome::kQuery || outcome == ParseOutcome::kSigned;
  if (!parsed || !is_transfer_query(query)) return std::nullopt;
  return query;
}

std::optional<Query> ixfr_query(std::span<const std::uint8_t> request) {
  auto query = transfer_query(request);
  if (!query || query->question.qtype != RRType::IXFR) return std::nullopt;
  return query;
}

std::size_t answer_ixfr_datagram(std::span<const std::uint8_t> request, const Query& query,
                                 const Snapshot& snapshot, const boost::asio::ip::address& peer,
                                 std::span<std::uint8_t> out, JournalReader& journal) {
  const std::uint64_t now = unix_seconds();
  const Plan plan = plan_transfer(request, query, snapshot, peer, now);
  if (!plan.why.empty()) {
    // Debug only: a datagram's source address may be forged, and each would cost a line.
    log_debug("IXFR over UDP of " + zone_text(query) + " from " + peer.to_string() +
              " refused: " + plan.why);
    return error_answer(query, plan.decision.rcode, plan.verdict, out, now);
  }
  const std::size_t payload = query.edns.present
                                  ? std::max<std::size_t>(query.edns.udp_payload, kClassicUdpSize)
                                  : kClassicUdpSize;
  const std::size_t size = std::min(out.size(), payload);
  const TransferRequest transfer = TransferRequest::of(query);
  auto incremental = journal_source(plan.decision.zone, transfer, journal);
  std::size_t n =
      ixfr_datagram(plan.decision.zone, incremental ? std::move(incremental->source) : nullptr,
                    transfer, out.first(size - answer_tsig_room(plan.verdict)));
  if (plan.verdict.valid() && n != 0)
    n = TsigSigner(*plan.verdict.key, plan.verdict.tsig->mac).sign(out.first(size), n, now);
  return n;
}

asio::awaitable<bool> serve_transfer(tcp::socket& socket, std::span<const std::uint8_t> request,
                                     Query query, Snapshot snapshot, Deadline& deadline,
                                     TransferCounters& counters, TransferServices& services) {
  boost::system::error_code ec;
  const auto peer = socket.remote_endpoint(ec).address();
  if (ec) co_return false;
  const std::string what =
      std::string(transfer_kind(query)) + " of " + zone_text(query) + " to " + peer.to_string();
  auto with_ec = asio::redirect_error(asio::use_awaitable, ec);
  Framed framed;
  const Plan plan = plan_transfer(request, query, snapshot, peer, unix_seconds());
  if (!plan.why.empty()) {
    log_info(what + " refused: " + plan.why);
    counters.refused.fetch_add(1, std::memory_order_relaxed);
    co_return co_await send_error(socket, framed, query, plan.decision.rcode, plan.verdict);
  }
  // Past the limit the secondary gets SERVFAIL at once, as from BIND beyond transfers-out
  // (RFC 1035 §4.1.1: unable to process for a problem of the server's, not of the request);
  // it tries again later. The connection stays open for its next request.
  const auto slot = services.slots.try_acquire();
  if (!slot) {
    log_busy(what, services.slots);
    counters.refused.fetch_add(1, std::memory_order_relaxed);
    counters.busy.fetch_add(1, std::memory_order_relaxed);
    co_return co_await send_error(socket, framed, query, Rcode::ServFail, plan.verdict);
  }

  const auto started = std::chrono::steady_clock::now();
  const TransferRequest transfer = TransferRequest::of(query);
  std::optional<ZoneTransfer> stream;
  std::string form;
  if (auto incremental = journal_source(plan.decision.zone, transfer, services.journal)) {
    form = ", " + std::to_string(incremental->versions) + " version(s) from serial " +
           std::to_string(transfer.client_serial);
    stream.emplace(std::move(incremental->source), transfer);
  } else {
    stream.emplace(plan.decision.zone, snapshot.aliases, transfer);
  }
  std::optional<TsigSigner> signer;
  if (plan.verdict.valid()) signer.emplace(*plan.verdict.key, plan.verdict.tsig->mac);
  while (true) {
    auto out = framed.message();
    // Each message leaves room for the TSIG that signs it.
    std::size_t n = stream->next(out.first(kMaxMessageSize - answer_tsig_room(plan.verdict)));
    if (n == 0) break;
    if (signer) n = signer->sign(out, n, unix_seconds());
    // RFC 5936 §2.2: a stream that cannot be completed is ended by closing the connection,
    // so the secondary never takes a partial zone for a whole one.
    if (n == 0) co_return false;
    deadline.arm();  // each message gets the idle time-out, not the whole zone
    co_await asio::async_write(socket, framed.frame(n), with_ec);
    if (ec) co_return false;
  }
  if (stream->failed()) co_return false;
  counters.transfers.fetch_add(1, std::memory_order_relaxed);
  services.events.add(storage::transferred(peer.to_string(), plan.decision.zone->apex(),
                                           plan.decision.zone->serial(), flatten::system_now_ms()));
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  log_info(what + ": serial " + std::to_string(plan.decision.zone->serial()) + ", " +
           std::to_string(stream->messages()) + " messages in " + std::to_string(ms) + " ms" +
           form + (signer ? ", TSIG " + plan.verdict.key->name.to_text() : ""));
  co_return true;
}

}  // namespace apex::server
