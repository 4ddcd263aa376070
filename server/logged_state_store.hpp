// A StateStore that reports failed saves of the flattener's results once per episode: the
// first failure after a success (or at start) and the first success after failures, never
// every write of a failing run (the flattener saves at each publication).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "flatten/state_store.hpp"

namespace apex::server {

class LoggedStateStore final : public flatten::StateStore {
 public:
  // failed(error) at the start of a failing episode, recovered() at its end. Called on the
  // thread that calls save() and remove() (one at a time, as StateStore guarantees).
  using Failed = std::function<void(const std::string& error)>;
  using Recovered = std::function<void()>;

  LoggedStateStore(flatten::StateStore& inner, Failed failed, Recovered recovered)
      : inner_(inner), failed_(std::move(failed)), recovered_(std::move(recovered)) {}

  Result<std::vector<flatten::TargetState>> load() override { return inner_.load(); }
  Status save(const std::vector<flatten::TargetState>& changed) override;
  Status remove(const std::vector<Name>& targets) override;

  bool failing() const { return failing_; }

 private:
  Status note(Status status);

  flatten::StateStore& inner_;
  Failed failed_;
  Recovered recovered_;
  bool failing_ = false;
};

// The log lines apexd writes for it.
LoggedStateStore::Failed log_state_save_failure();
LoggedStateStore::Recovered log_state_save_recovery();

}  // namespace apex::server
