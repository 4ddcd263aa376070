// Telling systemd where apexd is (the sd_notify protocol, systemd.service(5) Type=notify):
// one datagram per state change to the socket named in $NOTIFY_SOCKET — READY=1 once the
// listeners are bound and every zone is loaded, STATUS= while loading, RELOADING=1 with
// MONOTONIC_USEC= then READY=1 around a configuration reload, STOPPING=1 at shutdown.
// Without $NOTIFY_SOCKET (not started by systemd) every call does nothing.
#pragma once

#include <string>
#include <string_view>

namespace apex::server {

class ServiceManager {
 public:
  // Reads $NOTIFY_SOCKET: a path, or an abstract socket name starting with '@'.
  ServiceManager();

  void status(std::string_view text) const;
  void ready() const;
  void reloading() const;  // follow with ready() when the reload is done
  void stopping() const;

 private:
  void send(const std::string& message) const;

  std::string socket_;  // empty: no service manager listens
};

}  // namespace apex::server
