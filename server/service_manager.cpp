// sd_notify datagrams (see service_manager.hpp).
#include "server/service_manager.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "server/log.hpp"

namespace apex::server {
namespace {

// CLOCK_MONOTONIC in microseconds: what RELOADING=1 carries so systemd can tell this reload
// from an earlier one (systemd.service(5), Type=notify-reload).
std::string monotonic_usec() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return std::to_string(static_cast<long long>(now.tv_sec) * 1000000 + now.tv_nsec / 1000);
}

}  // namespace

ServiceManager::ServiceManager() {
  if (const char* path = std::getenv("NOTIFY_SOCKET"); path && *path) socket_ = path;
}

void ServiceManager::status(std::string_view text) const {
  send("STATUS=" + std::string(text));
}

void ServiceManager::ready() const {
  send("READY=1\nSTATUS=serving");
}

void ServiceManager::reloading() const {
  send("RELOADING=1\nMONOTONIC_USEC=" + monotonic_usec());
}

void ServiceManager::stopping() const {
  send("STOPPING=1");
}

// A failure is logged and otherwise ignored: the service manager's bookkeeping must never
// stop the server from answering.
void ServiceManager::send(const std::string& message) const {
  if (socket_.empty()) return;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket_.size() >= sizeof(address.sun_path)) {
    log_warning("NOTIFY_SOCKET path too long: " + socket_);
    return;
  }
  std::memcpy(address.sun_path, socket_.data(), socket_.size());
  if (address.sun_path[0] == '@') address.sun_path[0] = '\0';  // abstract namespace
  const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_.size());
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  if (::sendto(fd, message.data(), message.size(), MSG_NOSIGNAL,
               reinterpret_cast<const sockaddr*>(&address), length) < 0)
    log_warning("cannot notify the service manager at " + socket_ + ": " + std::strerror(errno));
  ::close(fd);
}

}  // namespace apex::server
