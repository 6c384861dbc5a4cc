#include "collectors/ssh_watchdog.h"

#include <sys/socket.h>

namespace appdiag {

Watchdog::Watchdog(std::chrono::milliseconds limit) : limit_(limit), thread_([this] { run(); }) {}

Watchdog::~Watchdog() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Watchdog::arm(int fd) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    armed_ = true;
    fd_ = fd;
    deadline_ = std::chrono::steady_clock::now() + limit_;
  }
  wake_.notify_one();
}

void Watchdog::disarm() {
  std::lock_guard<std::mutex> lock(mutex_);
  armed_ = false;
}

void Watchdog::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    if (!armed_) {
      wake_.wait(lock);
      continue;
    }
    auto deadline = deadline_;
    if (wake_.wait_until(lock, deadline) == std::cv_status::timeout && armed_ && !stop_ && deadline_ == deadline) {
      fired_ = true;
      armed_ = false;
      // The blocked read returns with an error; the connection is over.
      if (fd_ >= 0) shutdown(fd_, SHUT_RDWR);
    }
  }
}

}  // namespace appdiag
