// Signal handling for apexd (see process_signals.hpp for the dispositions and why).
#include "server/process_signals.hpp"

#include <csignal>
#include <cstdlib>
#include <string>

#include "server/log.hpp"

namespace apex::server {

void ignore_stray_signals() {
  for (int signo :
       {SIGPIPE, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGIO, SIGPWR, SIGSTKFLT, SIGXFSZ})
    std::signal(signo, SIG_IGN);
}

ProcessSignals::ProcessSignals(boost::asio::io_context& io, std::function<void()> stop,
                               std::function<void()> reload)
    : set_(io, SIGINT, SIGTERM, SIGHUP), stop_(std::move(stop)), reload_(std::move(reload)) {
  // Handled here rather than only ignored, so an operator who sends them sees why nothing
  // happened.
  set_.add(SIGUSR1);
  set_.add(SIGUSR2);
}

void ProcessSignals::start() {
  set_.async_wait([this](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    handle(signo);
    start();
  });
}

void ProcessSignals::handle(int signo) {
  switch (signo) {
    case SIGINT:
    case SIGTERM: {
      const std::string name = signo == SIGINT ? "SIGINT" : "SIGTERM";
      if (stopping_) {
        log_warning("received a second " + name + ", exiting at once");
        std::_Exit(1);
      }
      stopping_ = true;
      log_info("received " + name + ", shutting down");
      stop_();
      return;
    }
    case SIGHUP:
      log_info("received SIGHUP, reloading the configuration");
      reload_();
      return;
    default:
      log_info(std::string("received ") + (signo == SIGUSR1 ? "SIGUSR1" : "SIGUSR2") +
               ", which apexd does not use: ignored");
  }
}

}  // namespace apex::server
