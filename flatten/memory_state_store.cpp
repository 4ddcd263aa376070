// The in-memory StateStore: a map under a mutex.
#include "flatten/memory_state_store.hpp"

namespace apex::flatten {
namespace {

std::string key_of(const Name& name) {
  return std::string(name.lowercased().wire_view());
}

}  // namespace

Result<std::vector<TargetState>> MemoryStateStore::load() {
  std::lock_guard lock(mutex_);
  if (!error_.empty()) return Error{error_};
  std::vector<TargetState> all;
  all.reserve(states_.size());
  for (const auto& [key, state] : states_) all.push_back(state);
  return all;
}

Status MemoryStateStore::save(const std::vector<TargetState>& changed) {
  std::lock_guard lock(mutex_);
  ++save_calls_;
  if (!error_.empty()) return Error{error_};
  for (const auto& state : changed) states_[key_of(state.target)] = state;
  return Ok{};
}

Status MemoryStateStore::remove(const std::vector<Name>& targets) {
  std::lock_guard lock(mutex_);
  if (!error_.empty()) return Error{error_};
  for (const auto& target : targets) states_.erase(key_of(target));
  return Ok{};
}

std::optional<TargetState> MemoryStateStore::find(const Name& target) const {
  std::lock_guard lock(mutex_);
  auto it = states_.find(key_of(target));
  if (it == states_.end()) return std::nullopt;
  return it->second;
}

std::size_t MemoryStateStore::size() const {
  std::lock_guard lock(mutex_);
  return states_.size();
}

std::size_t MemoryStateStore::save_calls() const {
  std::lock_guard lock(mutex_);
  return save_calls_;
}

void MemoryStateStore::fail_with(std::string error) {
  std::lock_guard lock(mutex_);
  error_ = std::move(error);
}

}  // namespace apex::flatten
