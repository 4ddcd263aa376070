// Failed saves of the flattener's results, reported once per episode.
#include "server/logged_state_store.hpp"

#include "server/log.hpp"
#include "server/sqlite_errors.hpp"

namespace apex::server {

Status LoggedStateStore::save(const std::vector<flatten::TargetState>& changed) {
  return note(inner_.save(changed));
}

Status LoggedStateStore::remove(const std::vector<Name>& targets) {
  return note(inner_.remove(targets));
}

Status LoggedStateStore::note(Status status) {
  if (!status) count_sqlite_error();  // every failure, though only the first is logged
  if (!status && !failing_) failed_(status.error());
  if (status && failing_) recovered_();
  failing_ = !status;
  return status;
}

LoggedStateStore::Failed log_state_save_failure() {
  return [](const std::string& error) {
    log_error(
        "flatten: ALIAS results not saved (answers still follow them; a restart would start "
        "from older results; logged again only once saving works again): " +
        error);
  };
}

LoggedStateStore::Recovered log_state_save_recovery() {
  return [] { log_info("flatten: ALIAS results saved again"); };
}

}  // namespace apex::server
