// The bounded table of response rate limiting accounts: a fixed array of entries, hash
// buckets chained through it and a least-recently-used order, all allocated up front so a
// warm worker never allocates per query (ARCHITECTURE.md §3.1). When full, the least recently
// used account is reused, as BIND does beyond max-table-size.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace apex::server {

// What an account is for: a client prefix, a response class, the name the responses are
// imputed to (as a hash) and, for positive answers, the question's type.
struct RrlKey {
  std::array<std::uint8_t, 16> prefix{};
  std::uint64_t name_hash = 0;
  std::uint16_t qtype = 0;
  std::uint8_t family = 0;
  std::uint8_t kind = 0;

  friend bool operator==(const RrlKey&, const RrlKey&) = default;
};

struct RrlAccount {
  RrlKey key;
  std::int32_t balance = 0;   // credits: one per response, rate per second
  std::uint32_t updated = 0;  // the second the balance was last brought forward
  std::uint32_t limited = 0;  // responses limited since the last log line (log records)
  std::uint32_t logged = 0;   // the second of the last log line (log records)
  std::uint8_t slip_count = 0;
  bool reported = false;  // a log line was written for this record
  // Table links (entry indices).
  std::uint32_t bucket = 0, next_in_bucket = 0, older = 0, newer = 0;
};

class RrlAccountTable {
 public:
  // capacity: the most accounts kept (at least 1).
  explicit RrlAccountTable(std::size_t capacity);

  // The account for key, made the most recently used. A new one (added is set) has only its
  // key set; when the table is full it takes the place of the least recently used.
  RrlAccount& find_or_add(const RrlKey& key, bool& added);

  std::size_t size() const { return entries_.size(); }
  std::size_t capacity() const { return capacity_; }

 private:
  std::uint64_t hash(const RrlKey& key) const;
  void unlink_bucket(std::uint32_t index);
  void unlink_order(std::uint32_t index);
  void push_newest(std::uint32_t index);

  static constexpr std::uint32_t kNone = 0xffffffff;
  std::size_t capacity_;
  std::uint64_t seed_;  // per table, so chains cannot be lengthened from outside at will
  std::vector<RrlAccount> entries_;
  std::vector<std::uint32_t> buckets_;  // a power of two, at least capacity
  std::uint32_t newest_ = kNone, oldest_ = kNone;
};

}  // namespace apex::server
