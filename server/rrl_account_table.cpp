// Chained hashing over a preallocated array, with an intrusive least-recently-used list.
#include "server/rrl_account_table.hpp"

#include <cstring>
#include <random>

namespace apex::server {
namespace {

std::uint64_t mix(std::uint64_t h, std::uint64_t word) {
  h ^= word;
  h *= 0x9e3779b97f4a7c15ull;
  return h ^ (h >> 29);
}

std::size_t bucket_count_for(std::size_t capacity) {
  std::size_t n = 1;
  while (n < capacity) n <<= 1;
  return n;
}

}  // namespace

RrlAccountTable::RrlAccountTable(std::size_t capacity)
    : capacity_(capacity == 0 ? 1 : capacity),
      seed_(std::random_device{}() | std::uint64_t{std::random_device{}()} << 32),
      buckets_(bucket_count_for(capacity_), kNone) {
  entries_.reserve(capacity_);
}

std::uint64_t RrlAccountTable::hash(const RrlKey& key) const {
  std::uint64_t words[2];
  std::memcpy(words, key.prefix.data(), sizeof words);
  std::uint64_t h = mix(seed_, words[0]);
  h = mix(h, words[1]);
  h = mix(h, key.name_hash);
  return mix(h, std::uint64_t{key.qtype} << 16 | std::uint64_t{key.family} << 8 | key.kind);
}

RrlAccount& RrlAccountTable::find_or_add(const RrlKey& key, bool& added) {
  const auto bucket = static_cast<std::uint32_t>(hash(key) & (buckets_.size() - 1));
  for (std::uint32_t i = buckets_[bucket]; i != kNone; i = entries_[i].next_in_bucket) {
    if (entries_[i].key != key) continue;
    unlink_order(i);
    push_newest(i);
    added = false;
    return entries_[i];
  }
  std::uint32_t index;
  if (entries_.size() < capacity_) {
    index = static_cast<std::uint32_t>(entries_.size());
    entries_.emplace_back();  // within the reserved capacity: no allocation
  } else {
    index = oldest_;
    unlink_bucket(index);
    unlink_order(index);
  }
  RrlAccount& account = entries_[index];
  account = RrlAccount{};
  account.key = key;
  account.bucket = bucket;
  account.next_in_bucket = buckets_[bucket];
  buckets_[bucket] = index;
  push_newest(index);
  added = true;
  return account;
}

void RrlAccountTable::unlink_bucket(std::uint32_t index) {
  std::uint32_t* link = &buckets_[entries_[index].bucket];
  while (*link != index) link = &entries_[*link].next_in_bucket;
  *link = entries_[index].next_in_bucket;
}

void RrlAccountTable::unlink_order(std::uint32_t index) {
  RrlAccount& a = entries_[index];
  (a.newer == kNone ? newest_ : entries_[a.newer].older) = a.older;
  (a.older == kNone ? oldest_ : entries_[a.older].newer) = a.newer;
}

void RrlAccountTable::push_newest(std::uint32_t index) {
  RrlAccount& a = entries_[index];
  a.older = newest_;
  a.newer = kNone;
  if (newest_ != kNone) entries_[newest_].newer = index;
  newest_ = index;
  if (oldest_ == kNone) oldest_ = index;
}

}  // namespace apex::server
