// A job thread at the lowest CPU priority.
#include "server/signing_thread.hpp"

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "server/log.hpp"

namespace apex::server {
namespace {

// Linux keeps a nice value per thread (setpriority(2), "BUGS"): this one alone becomes
// nice 19, whose scheduling weight is 1/68 of a nice-0 worker's. Raising one's own nice value
// needs no privilege.
constexpr int kLowestPriority = 19;

void lower_own_priority() {
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kLowestPriority) != 0)
    log_warning(std::string("the signing thread runs at normal priority: setpriority: ") +
                std::strerror(errno));
}

}  // namespace

SigningThread::SigningThread() : thread_([this] { serve(); }) {}

SigningThread::~SigningThread() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    jobs_.clear();
  }
  wake_.notify_one();
  thread_.join();
}

void SigningThread::run(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void SigningThread::serve() {
  // Its own name, so that top -H and /proc/PID/task show what the background signing costs.
  pthread_setname_np(pthread_self(), "apexd-signer");
  lower_own_priority();
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (stopping_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

}  // namespace apex::server
