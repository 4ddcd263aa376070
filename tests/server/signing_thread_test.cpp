// Specification of the background signing thread: jobs run in order, on one thread of the
// lowest CPU priority.
#include "server/signing_thread.hpp"

#include <doctest/doctest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <future>
#include <vector>

namespace apex::server {

TEST_CASE("jobs run in the order given, on a thread of nice 19, not the caller's") {
  const int caller_priority = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  std::vector<int> order;
  std::promise<int> priority;
  std::promise<pid_t> thread;
  {
    SigningThread signer;
    for (int i = 0; i < 5; ++i) signer.run([&order, i] { order.push_back(i); });
    signer.run([&] {
      priority.set_value(getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())));
      thread.set_value(gettid());
    });
    CHECK(priority.get_future().get() == 19);
    CHECK(thread.get_future().get() != gettid());
  }
  CHECK(order == std::vector<int>{0, 1, 2, 3, 4});
  // The caller's own priority is untouched.
  CHECK(getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())) == caller_priority);
}

}  // namespace apex::server
