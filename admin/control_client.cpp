// A blocking exchange on a UNIX stream socket with poll(2) deadlines (see control_client.hpp).
#include "admin/control_client.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace apex::admin {
namespace {

using Clock = std::chrono::steady_clock;
using Outcome = ControlExchange::Outcome;

class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

ControlExchange failed(const std::filesystem::path& socket, const std::string& what) {
  return {Outcome::kFailed, "control socket " + socket.string() + ": " + what};
}

// Waits until fd is ready for events or the deadline passes; false on time-out.
bool wait_for(int fd, short events, Clock::time_point deadline) {
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, events, 0};
    const int n = poll(&p, 1, static_cast<int>(left));
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return true;  // the next call reports the error
  }
}

}  // namespace

ControlExchange exchange_control(const std::filesystem::path& socket, std::string_view request,
                                 std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string path = socket.string();
  if (path.size() >= sizeof address.sun_path) return failed(socket, "the path is too long");
  std::memcpy(address.sun_path, path.data(), path.size());
  Descriptor fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (fd.get() < 0) return failed(socket, std::strerror(errno));
  if (connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    if (errno == ENOENT)
      return {Outcome::kNotRunning, "apexd is not running (no control socket " + path + ")"};
    if (errno == ECONNREFUSED)
      return {Outcome::kNotRunning,
              "apexd is not running (nothing answers on the control socket " + path + ")"};
    // A UNIX socket does not connect in the background: EAGAIN means its backlog is full.
    if (errno == EAGAIN) return failed(socket, "apexd has too many clients waiting; try again");
    return failed(socket, std::strerror(errno));
  }
  const std::string line = std::string(request) + "\n";
  for (std::size_t sent = 0; sent < line.size();) {
    const ssize_t n = send(fd.get(), line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    // apexd may answer (a refusal) and close before reading everything: read its reason.
    if (n < 0 && (errno == EPIPE || errno == ECONNRESET)) break;
    if (n < 0 && errno != EAGAIN && errno != EINTR) return failed(socket, std::strerror(errno));
    if (!wait_for(fd.get(), POLLOUT, deadline)) return failed(socket, "sending timed out");
  }
  std::string reply;
  char buffer[16384];
  while (true) {
    const ssize_t n = recv(fd.get(), buffer, sizeof buffer, 0);
    if (n == 0) return {Outcome::kReply, std::move(reply)};
    if (n > 0) {
      reply.append(buffer, static_cast<std::size_t>(n));
      if (reply.size() > kMaxControlReply) return failed(socket, "the reply is too long");
      continue;
    }
    if (errno != EAGAIN && errno != EINTR) return failed(socket, std::strerror(errno));
    if (!wait_for(fd.get(), POLLIN, deadline))
      return failed(socket, "no reply within " + std::to_string(timeout.count() / 1000) + " s");
  }
}

}  // namespace apex::admin
