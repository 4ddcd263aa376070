// Periodic, coalesced writes of secondary_state (see secondary_state_recorder.hpp).
#include "server/secondary_state_recorder.hpp"

#include <utility>
#include <vector>

#include "server/log.hpp"

namespace apex::server {
namespace {

// Events with the same key update the same columns of the same rows: only the last matters.
std::string key_of(const storage::SecondaryEvent& e) {
  return std::to_string(static_cast<int>(e.kind)) + " " + e.address + " " + std::to_string(e.port) +
         " " + e.zone.lowercased().to_text();
}

}  // namespace

SecondaryStateRecorder::SecondaryStateRecorder(boost::asio::io_context& io,
                                               std::filesystem::path database,
                                               SecondaryEvents& events,
                                               std::chrono::milliseconds interval)
    : timer_(io), database_(std::move(database)), events_(events), interval_(interval) {}

void SecondaryStateRecorder::start() {
  stopped_ = false;
  arm();
}

void SecondaryStateRecorder::stop() {
  stopped_ = true;
  timer_.cancel();
}

void SecondaryStateRecorder::arm() {
  if (stopped_) return;
  timer_.expires_after(interval_);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    flush();
    arm();
  });
}

void SecondaryStateRecorder::take_events() {
  for (auto& event : events_.take()) {
    std::string key = key_of(event);
    pending_.insert_or_assign(std::move(key), std::move(event));
  }
  if (const auto dropped = events_.take_dropped(); dropped > 0)
    log_warning("secondary state: " + std::to_string(dropped) +
                " NOTIFY and transfer events dropped (the queue was full)");
}

bool SecondaryStateRecorder::flush() {
  take_events();
  if (pending_.empty()) return true;
  if (auto written = write(); !written) {
    if (!failing_)
      log_warning("secondary state not saved (retrying every " + std::to_string(interval_.count()) +
                  " ms): " + written.error());
    failing_ = true;
    return false;
  }
  if (failing_) log_info("secondary state saved again");
  failing_ = false;
  pending_.clear();
  return true;
}

Status SecondaryStateRecorder::write() {
  if (!db_) {
    auto opened = storage::Database::open(database_, storage::OpenMode::kExisting);
    if (!opened) return Error{opened.error()};
    db_ = std::move(*opened);
  }
  // Nothing can be kept (apexd warned at start); `apexctl zone status` shows older state.
  if (db_->read_only()) return Ok{};
  std::vector<storage::SecondaryEvent> batch;
  batch.reserve(pending_.size());
  for (const auto& [key, event] : pending_) batch.push_back(event);
  return db_->record_secondary_events(batch);
}

}  // namespace apex::server
