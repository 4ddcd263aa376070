#include "server/udp_receive_buffer.hpp"

#include <sys/socket.h>

#include <algorithm>

namespace apex::server {

std::size_t receive_buffer(int fd) {
  int value = 0;
  socklen_t length = sizeof value;
  if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &value, &length) != 0 || value < 0) return 0;
  return static_cast<std::size_t>(value) / 2;
}

std::size_t widen_receive_buffer(int fd, std::size_t bytes) {
  if (bytes == 0) return receive_buffer(fd);
  const int asked = static_cast<int>(std::min(bytes, kLargestReceiveBuffer));
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &asked, sizeof asked);
  if (receive_buffer(fd) < static_cast<std::size_t>(asked))
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &asked, sizeof asked);
  return receive_buffer(fd);
}

}  // namespace apex::server
