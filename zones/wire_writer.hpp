// Writing DNS messages: a bounded output cursor, names with compression (RFC 1035 §4.1.4)
// and resource records from zone RDATA (RFC 1035 §4.1.3); shared by responses and transfers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "zones/compression_table.hpp"
#include "zones/message.hpp"
#include "zones/rrtype.hpp"

namespace apex {

// A bounded cursor over an output buffer; a write that does not fit sets failed(). Defined
// here, inline, because it runs for every record of every response.
class WireWriter {
 public:
  WireWriter(std::uint8_t* buf, std::size_t limit) : buf_(buf), limit_(limit) {}
  std::size_t pos() const { return pos_; }
  bool failed() const { return failed_; }
  std::uint8_t* data() { return buf_; }
  void rewind(std::size_t pos) {
    pos_ = pos;
    failed_ = false;
  }
  void set_limit(std::size_t limit) { limit_ = limit; }
  void u8(std::uint8_t v) {
    if (room(1)) buf_[pos_++] = v;
  }
  void u16(std::uint16_t v) {
    if (!room(2)) return;
    buf_[pos_++] = static_cast<std::uint8_t>(v >> 8);
    buf_[pos_++] = static_cast<std::uint8_t>(v);
  }
  void u32(std::uint32_t v) {
    u16(static_cast<std::uint16_t>(v >> 16));
    u16(static_cast<std::uint16_t>(v));
  }
  void bytes(const void* p, std::size_t n) {
    if (!room(n)) return;
    // Empty RDATA comes from an empty vector whose data() may be null, and memcpy from null
    // is undefined even for zero octets (C11 7.24.1).
    if (n == 0) return;
    std::memcpy(buf_ + pos_, p, n);
    pos_ += n;
  }
  void patch_u16(std::size_t at, std::uint16_t v) {
    buf_[at] = static_cast<std::uint8_t>(v >> 8);
    buf_[at + 1] = static_cast<std::uint8_t>(v);
  }

 private:
  bool room(std::size_t n) {
    if (failed_ || pos_ + n > limit_) {
      failed_ = true;
      return false;
    }
    return true;
  }
  std::uint8_t* buf_;
  std::size_t limit_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

// Octets of an OPT pseudo-RR without options: root name, TYPE, CLASS, TTL, RDLENGTH.
inline constexpr std::size_t kOptSize = 11;

// Writes an uncompressed wire name, pointing at an earlier copy of its longest suffix that
// the table knows, and recording the suffixes it writes in full.
void write_name(WireWriter& w, CompressionTable& table, std::string_view name);

// Writes one resource record (of class IN unless told); rdata is uncompressed zone RDATA, whose
// embedded names are compressed only for the RFC 1035 types (RFC 3597 §4). On failure w.failed() is
// set and the caller rewinds (and truncates the table) to where the record began.
void write_record(WireWriter& w, CompressionTable& table, std::string_view owner, RRType type,
                  std::uint32_t ttl, std::span<const std::uint8_t> rdata,
                  RRClass rrclass = RRClass::IN);

void write_question(WireWriter& w, CompressionTable& table, const Question& q);

// OPT pseudo-RR (RFC 6891 §6.1.3): extended RCODE bits, version 0, DO copied (RFC 3225 §3),
// and the NSID option (RFC 5001 §2.3) when nsid is not empty.
void write_opt(WireWriter& w, Rcode rcode, std::uint16_t payload, bool dnssec_ok,
               std::string_view nsid = {});

}  // namespace apex
