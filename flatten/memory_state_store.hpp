// A StateStore in memory (tests, and a server run without persistence): TargetStates kept by
// lower-cased target name.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "flatten/state_store.hpp"

namespace apex::flatten {

class MemoryStateStore final : public StateStore {
 public:
  Result<std::vector<TargetState>> load() override;
  Status save(const std::vector<TargetState>& changed) override;
  Status remove(const std::vector<Name>& targets) override;

  // For tests: the stored state of one target, how many save() calls were made, and a failure
  // to return from every later call (empty: succeed).
  std::optional<TargetState> find(const Name& target) const;
  std::size_t size() const;
  std::size_t save_calls() const;
  void fail_with(std::string error);

 private:
  mutable std::mutex mutex_;
  std::map<std::string, TargetState> states_;  // by lower-cased wire form
  std::size_t save_calls_ = 0;
  std::string error_;
};

}  // namespace apex::flatten
