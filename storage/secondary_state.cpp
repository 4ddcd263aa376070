// Building SecondaryEvents (see secondary_state.hpp).
#include "storage/secondary_state.hpp"

#include <utility>

namespace apex::storage {

SecondaryEvent notify_sent(std::string address, std::uint16_t port, Name zone, std::uint32_t serial,
                           std::int64_t at_ms) {
  return {
      SecondaryEvent::Kind::kNotifySent, std::move(address), port, std::move(zone), at_ms, serial};
}

SecondaryEvent notify_acknowledged(std::string address, std::uint16_t port, Name zone,
                                   std::int64_t at_ms) {
  return {SecondaryEvent::Kind::kNotifyAcknowledged,
          std::move(address),
          port,
          std::move(zone),
          at_ms,
          0};
}

SecondaryEvent transferred(std::string address, Name zone, std::uint32_t serial,
                           std::int64_t at_ms) {
  return {
      SecondaryEvent::Kind::kTransferred, std::move(address), 0, std::move(zone), at_ms, serial};
}

}  // namespace apex::storage
