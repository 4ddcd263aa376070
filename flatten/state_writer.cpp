// Coalesced background persistence of flattening state (ARCHITECTURE.md §5).
#include "flatten/state_writer.hpp"

#include <boost/asio/post.hpp>

namespace apex::flatten {
namespace {

std::string key_of(const Name& name) {
  return std::string(name.lowercased().wire_view());
}

}  // namespace

StateWriter::StateWriter(StateStore& store) : store_(store) {}

StateWriter::~StateWriter() {
  close();
}

void StateWriter::save(std::vector<TargetState> changed) {
  std::lock_guard lock(mutex_);
  if (closed_ || changed.empty()) return;
  for (auto& state : changed) {
    std::string key = key_of(state.target);
    removals_.erase(key);
    saves_.insert_or_assign(std::move(key), std::move(state));
  }
  post_flush_locked();
}

void StateWriter::remove(std::vector<Name> targets) {
  std::lock_guard lock(mutex_);
  if (closed_ || targets.empty()) return;
  for (auto& target : targets) {
    std::string key = key_of(target);
    saves_.erase(key);
    removals_.insert_or_assign(std::move(key), std::move(target));
  }
  post_flush_locked();
}

void StateWriter::close() {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
  }
  thread_.join();  // runs the flush already posted, if any
  flush();         // anything queued after it was taken
}

std::string StateWriter::last_error() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

void StateWriter::post_flush_locked() {
  if (flush_posted_) return;
  flush_posted_ = true;
  boost::asio::post(thread_, [this] { flush(); });
}

void StateWriter::flush() {
  std::map<std::string, TargetState> saves;
  std::map<std::string, Name> removals;
  {
    std::lock_guard lock(mutex_);
    saves.swap(saves_);
    removals.swap(removals_);
    flush_posted_ = false;
  }
  auto note = [this](const Status& status) {
    if (status) return;
    ++errors_;
    std::lock_guard lock(mutex_);
    last_error_ = status.error();
  };
  if (!removals.empty()) {
    std::vector<Name> names;
    for (auto& [key, name] : removals) names.push_back(std::move(name));
    note(store_.remove(names));
  }
  if (!saves.empty()) {
    std::vector<TargetState> states;
    for (auto& [key, state] : saves) states.push_back(std::move(state));
    note(store_.save(states));
  }
}

}  // namespace apex::flatten
