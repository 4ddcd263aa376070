// [dnstap] keys; the limits are fstrm's (fstrm/iothr.h, fstrm_iothr_options_set_*).
#include "server/dnstap_keys.hpp"

#include <sys/un.h>

#include <bit>
#include <cstdint>
#include <string>

namespace apex::server {
namespace {

constexpr unsigned kMinQueueSize = 2, kMaxQueueSize = 16384;  // FSTRM_IOTHR_INPUT_QUEUE_SIZE_*

Status set_bool(const toml::node& node, std::string_view key, bool& field) {
  auto v = node.value_exact<bool>();  // exactly: 1 is not taken for true
  if (!v) return Error{std::string(key) + " must be true or false"};
  field = *v;
  return Ok{};
}

Status set_socket(const toml::node& node, std::string& socket) {
  constexpr std::size_t kMaxPath = sizeof(sockaddr_un::sun_path) - 1;
  auto v = node.value_exact<std::string>();
  if (!v || v->empty() || v->size() > kMaxPath)
    return Error{"socket must be the path of a UNIX socket, 1 to " + std::to_string(kMaxPath) +
                 " octets"};
  socket = *v;
  return Ok{};
}

Status set_queue_size(const toml::node& node, unsigned& queue_size) {
  auto v = node.value_exact<std::int64_t>();
  if (!v || *v < kMinQueueSize || *v > kMaxQueueSize ||
      !std::has_single_bit(static_cast<std::uint64_t>(*v)))
    return Error{"queue_size must be a power of two from " + std::to_string(kMinQueueSize) +
                 " to " + std::to_string(kMaxQueueSize)};
  queue_size = static_cast<unsigned>(*v);
  return Ok{};
}

}  // namespace

Status apply_dnstap_key(std::string_view key, const toml::node& node, DnstapSettings& settings) {
  if (key == "socket") return set_socket(node, settings.socket);
  if (key == "log_queries") return set_bool(node, key, settings.log_queries);
  if (key == "log_responses") return set_bool(node, key, settings.log_responses);
  if (key == "queue_size") return set_queue_size(node, settings.queue_size);
  if (key == "identity") {
    auto v = node.value_exact<std::string>();
    if (!v || v->size() > 255) return Error{"identity must be a string of at most 255 octets"};
    settings.identity = *v;
    return Ok{};
  }
  return Error{"unknown setting '" + std::string(key) + "'"};
}

}  // namespace apex::server
