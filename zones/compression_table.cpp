// Name compression lookups: linear over a small table, filtered by suffix length first.
#include "zones/compression_table.hpp"

#include "zones/name.hpp"

namespace apex {
namespace {

// Compares the (possibly compressed) name at offset in message with an uncompressed suffix,
// ignoring ASCII case. Only offsets this table recorded are followed, so this terminates.
bool name_at_equals(const std::uint8_t* message, std::size_t offset, std::string_view suffix) {
  std::size_t i = 0;
  for (;;) {
    std::uint8_t len = message[offset];
    if ((len & 0xC0) == 0xC0) {
      offset = static_cast<std::size_t>(len & 0x3F) << 8 | message[offset + 1];
      continue;
    }
    if (i >= suffix.size() || static_cast<std::uint8_t>(suffix[i]) != len) return false;
    if (len == 0) return true;
    for (std::size_t k = 1; k <= len; ++k)
      if (fold_case(message[offset + k]) != fold_case(static_cast<std::uint8_t>(suffix[i + k])))
        return false;
    offset += len + 1u;
    i += len + 1u;
  }
}

}  // namespace

int CompressionTable::find(const std::uint8_t* message, std::string_view suffix) const {
  for (std::size_t k = 0; k < size_; ++k)
    if (entries_[k].length == suffix.size() && name_at_equals(message, entries_[k].offset, suffix))
      return entries_[k].offset;
  return -1;
}

void CompressionTable::add(std::size_t offset, std::size_t length) {
  if (offset > kMaxPointerOffset || size_ == entries_.size()) return;
  entries_[size_++] = Entry{static_cast<std::uint16_t>(offset), static_cast<std::uint16_t>(length)};
}

void CompressionTable::truncate(std::size_t offset) {
  while (size_ > 0 && entries_[size_ - 1].offset >= offset) --size_;
}

}  // namespace apex
