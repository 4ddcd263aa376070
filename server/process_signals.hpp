// apexd's signal dispositions: SIGTERM/SIGINT stop it (a second one at once), SIGHUP reloads
// the configuration, and every other signal whose default would end the process silently is
// ignored on purpose, so no signal takes the server down without a log line.
#pragma once

#include <functional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

namespace apex::server {

// Call first in main(), before any thread starts, so every thread inherits the dispositions:
// SIGPIPE (a log pipe whose reader went away; writes then fail with EPIPE instead), SIGUSR1,
// SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGIO, SIGPWR, SIGSTKFLT and SIGXFSZ are ignored.
// SIGQUIT keeps its core dump: it is how an operator asks for one.
void ignore_stray_signals();

class ProcessSignals {
 public:
  ProcessSignals(boost::asio::io_context& io, std::function<void()> stop,
                 std::function<void()> reload);
  void start();

 private:
  void handle(int signo);

  boost::asio::signal_set set_;
  std::function<void()> stop_;
  std::function<void()> reload_;
  bool stopping_ = false;
};

}  // namespace apex::server
