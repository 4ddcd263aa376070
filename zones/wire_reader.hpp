// Reading DNS messages: a bounded input cursor over untrusted octets (the counterpart of
// WireWriter), shared by the query parser and the general message decoder. Every read that
// would pass the end fails and leaves the cursor where it was.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace apex {

class WireReader {
 public:
  explicit WireReader(std::span<const std::uint8_t> p) : p_(p) {}
  std::span<const std::uint8_t> packet() const { return p_; }
  std::size_t pos() const { return pos_; }
  std::size_t remaining() const { return p_.size() - pos_; }
  void seek(std::size_t pos) { pos_ = pos; }
  bool u8(std::uint8_t& v) {
    if (remaining() < 1) return false;
    v = p_[pos_++];
    return true;
  }
  bool u16(std::uint16_t& v) {
    if (remaining() < 2) return false;
    v = static_cast<std::uint16_t>(p_[pos_] << 8 | p_[pos_ + 1]);
    pos_ += 2;
    return true;
  }
  bool u32(std::uint32_t& v) {
    if (remaining() < 4) return false;
    std::uint16_t hi = 0, lo = 0;
    u16(hi);
    u16(lo);
    v = static_cast<std::uint32_t>(hi) << 16 | lo;
    return true;
  }
  bool skip(std::size_t n) {
    if (remaining() < n) return false;
    pos_ += n;
    return true;
  }

 private:
  std::span<const std::uint8_t> p_;
  std::size_t pos_ = 0;
};

// OPT RDATA (RFC 6891 §6.1.2) is a sequence of {code, length, data} options that must fill
// it exactly.
bool options_well_formed(std::span<const std::uint8_t> rdata);
// Whether well-formed OPT RDATA holds an option with this code.
bool has_option(std::span<const std::uint8_t> rdata, std::uint16_t code);

}  // namespace apex
