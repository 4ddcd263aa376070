// The refresh schedule: when each (target, family) is next resolved, ordered by due time so
// one timer serves every target (ARCHITECTURE.md §5: TTL-driven refresh).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "zones/rrtype.hpp"

namespace apex::flatten {

struct RefreshSlot {
  std::string key;  // lower-cased wire form of the target
  RRType family = RRType::A;

  friend auto operator<=>(const RefreshSlot& a, const RefreshSlot& b) {
    return std::tie(a.key, a.family) <=> std::tie(b.key, b.family);
  }
  friend bool operator==(const RefreshSlot&, const RefreshSlot&) = default;
};

class RefreshQueue {
 public:
  // Sets (or moves) the slot's due time.
  void schedule(const RefreshSlot& slot, std::int64_t due_ms);
  void cancel(const RefreshSlot& slot);
  // Cancels both families of the target.
  void cancel_target(const std::string& key);

  std::optional<std::int64_t> earliest() const;
  // Removes and returns the slots due at now_ms, earliest first.
  std::vector<RefreshSlot> take_due(std::int64_t now_ms);

  std::size_t size() const { return due_.size(); }

 private:
  std::set<std::pair<std::int64_t, RefreshSlot>> order_;
  std::map<RefreshSlot, std::int64_t> due_;
};

}  // namespace apex::flatten
