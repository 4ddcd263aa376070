// One zone-transfer request on a TCP connection (AXFR, RFC 5936 §4.2; IXFR, RFC 1995): the
// decisions come first (TSIG, RFC 8945 §5.2; access, RFC 5936 §6; which zone), then the
// sans-I/O ZoneTransfer produces the messages, each signed when the request was (RFC 8945
// §5.3.1), and this session only moves them, in order, with nothing else in between.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <span>

#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "server/io_deadline.hpp"
#include "server/snapshot_store.hpp"
#include "server/transfer_access.hpp"
#include "server/transfer_services.hpp"
#include "zones/message.hpp"

namespace apex::server {

struct TransferCounters {
  std::atomic<std::uint64_t> transfers{0};  // streams completed
  std::atomic<std::uint64_t> refused{0};    // answered with an error rcode
  std::atomic<std::uint64_t> busy{0};       // of which: SERVFAIL, every slot taken
};

// Answers request (already parsed into query, a transfer query) from the snapshot; false when
// the connection must be closed (a write failed, or a stream could not be completed). A
// completed stream is counted and added to the events (which serial went to which address).
// An IXFR is answered from the journal when it holds the way from the client's serial. A
// stream holds one of the transfer slots while it runs; when none is free the request gets
// SERVFAIL.
// A transfer query (QTYPE AXFR or IXFR), fully parsed, or nothing: anything else goes to the
// Responder, which answers malformed or signed-with-an-unknown-key queries as usual.
std::optional<Query> transfer_query(std::span<const std::uint8_t> request);
// The same for an IXFR alone: what a UDP listener answers itself (AXFR over UDP is the
// Responder's to refuse).
std::optional<Query> ixfr_query(std::span<const std::uint8_t> request);

// IXFR over UDP (RFC 1995 §2), decided as over TCP (TSIG, access, zone): the journal's
// differences when they fit the client's payload size, else the current SOA alone, which
// sends the client to TCP. Returns the answer's length in out.
std::size_t answer_ixfr_datagram(std::span<const std::uint8_t> request, const Query& query,
                                 const Snapshot& snapshot, const boost::asio::ip::address& peer,
                                 std::span<std::uint8_t> out, JournalReader& journal);

boost::asio::awaitable<bool> serve_transfer(boost::asio::ip::tcp::socket& socket,
                                            std::span<const std::uint8_t> request, Query query,
                                            Snapshot snapshot, Deadline& deadline,
                                            TransferCounters& counters, TransferServices& services);

}  // namespace apex::server
