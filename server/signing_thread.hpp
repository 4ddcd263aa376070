// The thread that signs zones in the background (ARCHITECTURE.md §4, DNSSEC signing): a
// shared ALIAS target's new address re-signs thousands of zones, which must not take CPU
// time from answering. It runs at the lowest CPU priority (nice 19, per thread on Linux), so
// on a core that a worker also uses, the scheduler gives the worker nearly all of the time
// it wants and the signing takes what is left; on an idle core it runs at full speed.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace apex::server {

class SigningThread {
 public:
  SigningThread();
  // Lets the running job finish and drops those not started.
  ~SigningThread();
  SigningThread(const SigningThread&) = delete;
  SigningThread& operator=(const SigningThread&) = delete;

  // Runs job on the thread, after the jobs given before it.
  void run(std::function<void()> job);

 private:
  void serve();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::thread thread_;  // last: started once the members it uses exist
};

}  // namespace apex::server
