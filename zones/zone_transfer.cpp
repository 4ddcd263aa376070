// Packs the RRsets of a transfer source into messages (RFC 5936 §2.2): the question in the
// first message only, records split between messages wherever the size limit falls.
#include "zones/zone_transfer.hpp"

#include <algorithm>

#include "zones/response_encoder.hpp"
#include "zones/soa_serial.hpp"
#include "zones/wire_writer.hpp"
#include "zones/zone_contents.hpp"

namespace apex {
namespace {

constexpr std::size_t kMinMessageSize = kClassicUdpSize;
constexpr std::size_t kMaxTransferMessageSize = 65535;  // RFC 1035 §4.2.2 length prefix

// RFC 1995 §2: the reply to an up-to-date client is our SOA alone.
class CurrentSoa final : public TransferSource {
 public:
  explicit CurrentSoa(ZonePtr zone) : zone_(std::move(zone)) {}
  bool next(RRsetRef& out) override {
    if (done_) return false;
    done_ = true;
    out = RRsetRef{zone_->apex_node().owner, &zone_->soa(), zone_->soa().ttl};
    return true;
  }

 private:
  ZonePtr zone_;
  bool done_ = false;
};

std::unique_ptr<TransferSource> source_for(ZonePtr zone, AliasTablePtr aliases,
                                           const TransferRequest& request) {
  if (request.question.qtype == RRType::IXFR && request.has_client_serial &&
      ixfr_up_to_date(zone->serial(), request.client_serial))
    return std::make_unique<CurrentSoa>(std::move(zone));
  return std::make_unique<ZoneContents>(std::move(zone), std::move(aliases));
}

}  // namespace

std::size_t ixfr_datagram(const ZonePtr& zone, std::unique_ptr<TransferSource> incremental,
                          const TransferRequest& request, std::span<std::uint8_t> out) {
  if (incremental) {
    ZoneTransfer differences(std::move(incremental), request, out.size());
    const std::size_t n = differences.next(out);
    if (n != 0 && differences.finished() && !differences.failed()) return n;
  }
  ZoneTransfer soa(std::make_unique<CurrentSoa>(zone), request, out.size());
  return soa.next(out);
}

bool ixfr_up_to_date(std::uint32_t ours, std::uint32_t client_serial) {
  return client_serial == ours || serial_greater(client_serial, ours);
}

ZoneTransfer::ZoneTransfer(ZonePtr zone, AliasTablePtr aliases, const TransferRequest& request,
                           std::size_t max_message_size)
    : ZoneTransfer(source_for(std::move(zone), std::move(aliases), request), request,
                   max_message_size) {}

ZoneTransfer::ZoneTransfer(std::unique_ptr<TransferSource> source, const TransferRequest& request,
                           std::size_t max_message_size)
    : source_(std::move(source)),
      request_(request),
      max_message_size_(std::clamp(max_message_size, kMinMessageSize, kMaxTransferMessageSize)) {}

// Writes up to max_records records, until one does not fit or the source ends; returns how
// many were written.
std::uint16_t ZoneTransfer::fill(WireWriter& w, std::uint16_t max_records) {
  std::uint16_t count = 0;
  while (count < max_records) {
    if (!has_current_) {
      if (!source_->next(current_)) {
        exhausted_ = true;
        return count;
      }
      has_current_ = true;
      record_ = 0;
      rdata_offset_ = 0;
    }
    const RRset& set = *current_.rrset;
    if (record_ >= set.count) {
      has_current_ = false;
      continue;
    }
    const std::uint8_t* p = set.rdata.data() + rdata_offset_;
    const std::size_t len = static_cast<std::size_t>(p[0]) << 8 | p[1];
    const std::size_t before = w.pos();
    write_record(w, table_, current_.owner, set.type, current_.ttl, {p + 2, len});
    if (w.failed()) {
      w.rewind(before);
      table_.truncate(before);
      return count;
    }
    ++count;
    ++record_;
    rdata_offset_ += 2 + len;
  }
  return count;
}

std::size_t ZoneTransfer::next(std::span<std::uint8_t> out) {
  if (finished_) return 0;
  const std::size_t room = std::min(out.size(), kMaxTransferMessageSize);
  if (room < kMinMessageSize) {
    finished_ = failed_ = true;
    return 0;
  }
  const bool first = messages_ == 0;
  // RFC 5936 §2.2.5: an OPT answers the request's in the first message; later ones may omit it.
  const std::size_t trailer = first && request_.edns ? kOptSize : 0;
  table_.clear();
  WireWriter w(out.data(), std::min(max_message_size_, room) - trailer);
  w.rewind(kHeaderSize);
  // RFC 5936 §2.2.1: QDCOUNT is 1 in the first message and may be 0 after it; leaving the
  // question out of later messages saves its octets in each, as BIND and Knot do, and every
  // secondary accepts it.
  if (first) write_question(w, table_, request_.question);
  const std::size_t after_question = w.pos();
  std::uint16_t count = fill(w, 0xFFFF);
  if (count == 0 && !exhausted_) {
    w.set_limit(room - trailer);  // one record larger than the target size: send it alone
    count = fill(w, 1);
  }
  Rcode rcode = Rcode::NoError;
  if (count == 0 && !exhausted_) {
    rcode = Rcode::ServFail;  // larger than any message: the transfer cannot be completed
    w.rewind(after_question);
    failed_ = true;
  }
  finished_ = exhausted_ || failed_;
  ++messages_;
  w.set_limit(room);
  if (trailer) write_opt(w, rcode, kDefaultMaxUdpPayload, request_.dnssec_ok);
  // RFC 5936 §2.2.1: ID copied, QR and AA set, OPCODE QUERY, TC and RA clear, RD copied.
  std::uint16_t flags = static_cast<std::uint16_t>(
      kFlagQR | (request_.flags & (kFlagRD | kFlagCD)) | static_cast<std::uint16_t>(rcode));
  if (rcode == Rcode::NoError) flags |= kFlagAA;
  w.patch_u16(0, request_.id);
  w.patch_u16(2, flags);
  w.patch_u16(4, first ? 1 : 0);
  w.patch_u16(6, count);
  w.patch_u16(8, 0);
  w.patch_u16(10, trailer ? 1 : 0);
  return w.pos();
}

}  // namespace apex
