// Outgoing zone transfers as a stream of DNS messages (AXFR, RFC 5936 §2.2; IXFR, RFC 1995
// §4), sans I/O: the caller writes each message to the TCP session (and signs it, when TSIG
// is in use) before asking for the next.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "zones/alias_table.hpp"
#include "zones/compression_table.hpp"
#include "zones/transfer_request.hpp"
#include "zones/transfer_source.hpp"
#include "zones/wire_writer.hpp"
#include "zones/zone.hpp"

namespace apex {

// Transfer messages are kept to this size unless a single record needs more: large enough
// that per-message overhead (header, TSIG) is small, small enough that every name offset in
// the message fits a compression pointer (RFC 1035 §4.1.4, 14 bits).
inline constexpr std::size_t kDefaultTransferMessageSize = 16384;

// Whether an IXFR client holding client_serial is up to date with ours: equal, or newer in
// RFC 1982 arithmetic (RFC 1995 §2). Undefined comparisons are not up to date: the client
// gets the zone.
bool ixfr_up_to_date(std::uint32_t ours, std::uint32_t client_serial);

// IXFR over UDP (RFC 1995 §2): the reply as one message in out (at most out.size() octets):
// incremental's records (the journal's differences; null when there are none to send) when
// they fit, else the zone's current SOA alone, which tells the client to ask over TCP.
// Returns the length.
std::size_t ixfr_datagram(const ZonePtr& zone, std::unique_ptr<TransferSource> incremental,
                          const TransferRequest& request, std::span<std::uint8_t> out);

class ZoneTransfer {
 public:
  // AXFR: the whole zone. IXFR without a journal: our SOA alone when the client is up to date
  // (RFC 1995 §2), else the whole zone as AXFR sends it, under the IXFR question (RFC 1995
  // §4). zone is the snapshot being streamed, kept alive to the end; aliases (may be null:
  // every ALIAS pending) supplies the flattened addresses.
  ZoneTransfer(ZonePtr zone, AliasTablePtr aliases, const TransferRequest& request,
               std::size_t max_message_size = kDefaultTransferMessageSize);
  // Any other sequence of RRsets, such as a journal's difference sequence.
  ZoneTransfer(std::unique_ptr<TransferSource> source, const TransferRequest& request,
               std::size_t max_message_size = kDefaultTransferMessageSize);

  // Writes the next complete message into out and returns its length; 0 once the stream is
  // finished. A message stays within max_message_size (clamped to 512..65535) unless a
  // single record is larger; then that record goes alone in a message of up to out.size()
  // octets. A caller that signs messages leaves room for the TSIG record in both. A record
  // that fits in neither ends the stream with a SERVFAIL message (RFC 5936 §2.2: the
  // client then discards the transfer). out must hold at least 512 octets.
  std::size_t next(std::span<std::uint8_t> out);

  bool finished() const { return finished_; }
  // The stream ended early with SERVFAIL.
  bool failed() const { return failed_; }
  std::size_t messages() const { return messages_; }

 private:
  std::uint16_t fill(WireWriter& w, std::uint16_t max_records);

  std::unique_ptr<TransferSource> source_;
  TransferRequest request_;
  std::size_t max_message_size_;
  CompressionTable table_;
  RRsetRef current_{};
  std::uint16_t record_ = 0;      // next record of current_
  std::size_t rdata_offset_ = 0;  // where it starts in current_'s packed RDATA
  bool has_current_ = false;
  bool exhausted_ = false;  // the source has no more RRsets
  bool finished_ = false;
  bool failed_ = false;
  std::size_t messages_ = 0;
};

}  // namespace apex
