// Name compression (RFC 1035 §4.1.4): remembers where name suffixes were written in the
// message so later names can point at them.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace apex {

class CompressionTable {
 public:
  // Offset of an earlier copy of this uncompressed wire suffix in message, or -1.
  int find(const std::uint8_t* message, std::string_view suffix) const;
  // Records that a suffix of the given uncompressed length starts at offset.
  void add(std::size_t offset, std::size_t length);
  // Forgets entries at or after offset (the message was cut back there).
  void truncate(std::size_t offset);
  void clear() { size_ = 0; }

 private:
  struct Entry {
    std::uint16_t offset;
    std::uint16_t length;
  };
  // Pointers hold 14 bits (RFC 1035 §4.1.4).
  static constexpr std::size_t kMaxPointerOffset = 0x3FFF;
  std::array<Entry, 96> entries_{};
  std::size_t size_ = 0;
};

}  // namespace apex
